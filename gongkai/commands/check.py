"""`gongkai check`: the build without the write stage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..render.site import plan_site
from .build import load_and_check
from .progress import Progress


def check(root: Path, today: dt.date, progress: Progress | None = None) -> int:
    """Load, check and plan every page (URL clashes included); return how many documents were checked."""
    progress = progress or Progress(quiet=True)
    county = load_and_check(root, progress)
    with progress.stage("检查页面网址"):
        plan_site(county, today)
    return len(county.documents)
