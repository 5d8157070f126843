"""`gongkai check`: the build without the write stage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import Problem, SourceErrors
from ..link.held import publishable
from ..render.site import plan_site
from ..render.site.plugin import content_clashes
from .build import load_and_check
from .progress import Progress


def check(
    root: Path, today: dt.date, progress: Progress | None = None, strict: bool = False
) -> tuple[int, list[Problem]]:
    """Load, check and plan every page (URL clashes included); return the document count and the warnings."""
    progress = progress or Progress(quiet=True)
    county, warnings = load_and_check(root, today, progress, strict)
    with progress.stage("检查页面网址"):
        shown = publishable(county)
        plan = plan_site(shown, today)  # as build plans it: without the documents held back
        clashes = content_clashes(root, shown, plan, today)  # what the build's plugin refuses (render/site/plugin.py)
        if clashes:
            raise SourceErrors(clashes)
    return len(county.documents), warnings
