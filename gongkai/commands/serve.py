"""`gongkai serve`: a local preview that rebuilds and reloads the browser when a source changes."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from mkdocs.commands.serve import serve as mkdocs_serve

from ..errors import SourceErrors
from ..load.site_config import check_site_config

WATCHED = ("county.yml", "catalog", "villages", "theme", "reports", "index-ledger.csv")


def serve(root: Path, today: dt.date, address: str = "127.0.0.1:8000") -> None:
    """Serve the site at ``address``; sources, catalogues, villages and the theme are watched."""
    problems = check_site_config(root)  # before MkDocs reads it with a loader that runs what it names
    if problems:
        raise SourceErrors(problems)
    os.environ["GONGKAI_TODAY"] = today.isoformat()
    os.environ["GONGKAI_GUIDE"] = "1"  # the preview is for the clerks: it shows their 使用指南
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    watch = [str(root / name) for name in WATCHED if (root / name).exists()]
    mkdocs_serve(str(root / "mkdocs.yml"), dev_addr=address, livereload=True, watch=watch)
