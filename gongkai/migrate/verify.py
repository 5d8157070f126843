"""Every planned file checked as ``check`` will check it, before anything is written.

The plan is written into a scratch copy of the county's sources (top-level files and the source folders)
and the whole ``check`` runs there; the errors about the documents this import writes come back, so the
summary and the review workbook list what the build would refuse — nothing is discovered at build time.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from ..errors import Problem
from ..guard.sources import SOURCE_DIRS
from .state import ImportPlan


def build_problems(root: Path, plan: ImportPlan, today: dt.date) -> list[Problem]:
    """The errors ``check`` would report on the documents of ``plan`` once written."""
    from ..check import check_all
    from ..load import load_sources
    from ..load.cache import LoadCache

    paths = {p.path for p in plan.documents}
    with tempfile.TemporaryDirectory(prefix="gongkai-import-") as scratch:
        copy = Path(scratch)
        for item in root.iterdir():
            if item.is_file() and not item.is_symlink():
                shutil.copy2(item, copy / item.name)
            elif item.name in SOURCE_DIRS and item.is_dir() and not item.is_symlink():
                shutil.copytree(item, copy / item.name, symlinks=True)
        for rel, (_, content) in plan.files.items():
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            (copy / rel).write_bytes(content)
        county, problems = load_sources(copy, LoadCache(None))  # a throwaway copy: nothing worth caching
        if county is not None:
            problems += check_all(county, copy, today)
    return [p for p in problems if not p.warning and p.path in paths]
