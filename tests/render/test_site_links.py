"""The pages take the links the check stage resolved (``link`` runs once a build), unless documents are held
back: then the site's own county is linked again, without them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gongkai.commands.build import build
from gongkai.link import Links, link
from gongkai.model import County
from gongkai.render.site import plan as planning

from kit import document, write_county

TODAY = dt.date(2026, 11, 26)
HELD = "content/documents/2026/held.md"


def _planned_links(monkeypatch: pytest.MonkeyPatch) -> list[County]:
    """The counties plan_site links itself."""
    linked: list[County] = []

    def counted(county: County, today: dt.date) -> Links:
        linked.append(county)
        return link(county, today)

    monkeypatch.setattr(planning, "link", counted)
    return linked


def test_the_pages_take_the_check_stages_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_county(tmp_path)
    linked = _planned_links(monkeypatch)
    build(root, root / "site", TODAY, clean=True)
    assert linked == []


def test_with_a_document_held_back_the_pages_link_the_county_they_publish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = document("待定领域的文件", "11341700MB1714830K/202603-00099", "2026-03-10").replace("领域: 涉农补贴", "领域: 待定")
    root = write_county(tmp_path, {HELD: held})
    linked = _planned_links(monkeypatch)
    report = build(root, root / "site", TODAY, clean=True)
    assert report.warnings and len(linked) == 1
    assert HELD not in {doc.origin.path for doc in linked[0].documents}
    assert not (root / "site/documents/2026/held").exists()
