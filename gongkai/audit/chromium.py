"""The Chromium the audit's axe check drives (the tests and benchmarks use the same flags)."""

from __future__ import annotations

import shutil

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""Debian's Chromium through Playwright; the flags keep it off a closed network."""


def chromium() -> str | None:
    """The Chromium binary on this machine, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")
