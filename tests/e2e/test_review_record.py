"""Review: the record written after a build that took the published files' stats from what it knew (commands/
build.py ``_unmoved``: the pages kept in place, the search bundle's files placed) vouches for the site as published
— the next build with nothing changed is 「没有改动」 — and for nothing else: a kept page written in place since (its
size and time kept) is found, built again and never published as it was written."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from gongkai.commands.build import build
from gongkai.write.unchanged import recorded, tree_digest

from kit import append_line, cold_site, kept_spare, site_digests, write_county

TODAY = dt.date(2026, 11, 26)
CHANGED = "content/documents/2026/gdlb.md"
PAGE = "documents/2026/dbns/index.html"


def _three_builds(root: Path) -> Path:
    write_county(root)
    site = root / "site"
    build(root, site, TODAY)
    for number in range(2):  # the third build finds the second's pages in place (and the bundle's files)
        append_line(root, CHANGED, f"第{number + 2}条　补贴标准每亩{110 + number}元。")
        report = build(root, site, TODAY)
    assert report.kept > 0, report
    return site


def test_the_record_after_pages_kept_in_place_is_the_site_as_published(tmp_path: Path) -> None:
    root = tmp_path / "county"
    site = _three_builds(root)
    before = recorded(root, site)
    assert before is not None and before.tree == tree_digest(site)
    assert build(root, site, TODAY).unchanged


def test_a_kept_page_written_in_place_after_such_a_build_is_not_vouched_for(tmp_path: Path) -> None:
    root = tmp_path / "county"
    site = _three_builds(root)
    page = site / PAGE
    good, before = page.read_bytes(), os.stat(page)
    assert os.stat(kept_spare(root) / PAGE).st_ino == before.st_ino  # the spare's link of it
    with page.open("r+b") as changed:
        changed.write(b"<!-- 110101199003071234 -->")
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    report = build(root, site, TODAY)
    assert not report.unchanged
    assert page.read_bytes() == good
    assert site_digests(site, every_entry=True) == cold_site(root, "cold", TODAY)
