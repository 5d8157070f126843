"""Where a piece of evidence points from the report: the built page that was audited, or an outside address."""

from __future__ import annotations

import os
from pathlib import Path

from ..findings import Evidence


def href(evidence: Evidence, site_dir: Path, out: Path) -> str | None:
    """The link of the evidence's page (relative to the report, so it opens offline), or None."""
    url = evidence.url
    if url is None:
        return None
    if url.startswith(("http://", "https://")):
        return url
    target = site_dir / url
    if url == "" or url.endswith("/"):
        target = target / "index.html"
    return Path(os.path.relpath(target, out)).as_posix()
