"""`gongkai check`: the build without the write stage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import Problem
from ..link.held import publishable
from ..render.site import plan_site
from .build import load_and_check
from .progress import Progress


def check(
    root: Path, today: dt.date, progress: Progress | None = None, strict: bool = False
) -> tuple[int, list[Problem]]:
    """Load, check and plan every page (URL clashes included); return the document count and the warnings."""
    progress = progress or Progress(quiet=True)
    county, warnings = load_and_check(root, today, progress, strict)
    with progress.stage("检查页面网址"):
        plan_site(publishable(county), today)  # as build plans it: without the documents held back
    return len(county.documents), warnings
