"""QR codes on sheets: the village's page online, as an SVG data URI WeasyPrint embeds."""

from __future__ import annotations

import functools

import segno


@functools.lru_cache(maxsize=1024)
def qr_data_uri(url: str) -> str:
    """The QR code of ``url`` (error correction M, no quiet zone: the sheet's margin is one)."""
    return str(segno.make(url, error="m").svg_data_uri(border=0, dark="#000", light=None))
