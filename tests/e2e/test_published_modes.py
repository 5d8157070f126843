"""Every published file is world-readable as a full build writes it (0644), whatever happened to a file a build links
into the site: a page, data file or asset of the published site whose mode was changed by hand (reuse links it
over when its bytes are unchanged), a cached PDF sheet stored under another umask (``gongkai serve`` renders
sheets into the same cache without the build lock's umask)."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

from gongkai.commands.build import build

from kit import write_county

TODAY = dt.date(2026, 11, 26)
NOTICE = "content/documents/2026/dbns.md"


def _modes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): stat.S_IMODE(p.lstat().st_mode) for p in site.rglob("*") if p.is_file()}


def test_a_file_whose_mode_was_changed_is_published_as_a_full_build_writes_it(tmp_path: Path) -> None:
    root = write_county(tmp_path / "county")
    site = root / "site"
    build(root, site, TODAY)
    changed = [
        site / "index.html",  # a data page
        site / "data/catalog.csv",  # a data file
        site / "assets/gongkai/search.css",  # an asset
        next(site.rglob("*.pdf")),  # a sheet: the cache's entry itself, hard-linked
    ]
    for path in changed:
        os.chmod(path, 0o600)
    for cached in (root / ".cache/sheets").glob("*.pdf"):  # as a preview run with umask 077 stores them
        os.chmod(cached, 0o600)
    notice = root / NOTICE
    notice.write_text(notice.read_text(encoding="utf-8") + "\n再补充一句。\n", encoding="utf-8")
    build(root, site, TODAY)
    full = tmp_path / "full"
    build(root, full, TODAY, clean=True)
    for tree in (site, full):
        unreadable = sorted(name for name, mode in _modes(tree).items() if mode != 0o644)
        assert not unreadable, f"{tree.name}: not published as a full build writes a file (0644): {unreadable}"
