"""Where a piece of evidence points from the report: the public page (网站地址), else the built file."""

from __future__ import annotations

import os
from pathlib import Path

from ..findings import Evidence


def href(evidence: Evidence, site_url: str | None, site_dir: Path, out: Path) -> str | None:
    """The link of the evidence's page, or None."""
    url = evidence.url
    if url is None:
        return None
    if url.startswith(("http://", "https://")):
        return url
    if site_url:
        return site_url.rstrip("/") + "/" + url
    target = site_dir / url
    if url == "" or url.endswith("/"):
        target = target / "index.html"
    return Path(os.path.relpath(target, out)).as_posix()
