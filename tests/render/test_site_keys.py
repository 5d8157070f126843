"""A document page's key (render/site/keys.py) changes with everything the page shows: its file, the attachments
found beside it, and what it shows of other records (解读 both ways, catalogue row, domain, normative status) —
though it digests the file instead of the page's context. A file changed after it was loaded is keyed by the
page's whole context, so that the page built from what was loaded is never taken for the file as it is now."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

import pytest

from gongkai.link import link
from gongkai.load import load_county
from gongkai.model import County, Document
from gongkai.render.site import urls
from gongkai.render.site.keys import document_key
from gongkai.render.site.plugin import _parsed_from

from kit import blank_pdf, write_county

TODAY = dt.date(2026, 11, 26)
POLICY = "content/documents/2026/gdlb.md"
READING = "content/documents/2026/gdlb-jd.md"
NOTICE = "content/documents/2026/dbns.md"


def _keys(root: Path, today: dt.date = TODAY) -> dict[str, str]:
    """Every document's page key, as a build finds its file unchanged since it loaded it."""
    county = load_county(root)
    return {doc.origin.path: _key(root, county, doc, today) for doc in county.documents}


def _key(root: Path, county: County, doc: Document, today: dt.date, parsed: bool = True) -> str:
    source = hashlib.sha256((root / doc.origin.path).read_bytes()).digest()
    return document_key("site", doc, link(county, today), today, source, {}, urls.document(doc), {}, parsed)


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_county(tmp_path)


def _changed(root: Path, edit: object) -> set[str]:
    before = _keys(root)
    assert callable(edit)
    edit(root)
    after = _keys(root)
    return {path for path in before.keys() & after.keys() if before[path] != after[path]}


def test_the_same_sources_give_the_same_keys(root: Path) -> None:
    assert _keys(root) == _keys(root)


def test_a_title_changes_its_page_and_the_pages_that_show_it(root: Path) -> None:
    """The policy's title is shown on its 解读's page."""
    assert _changed(root, lambda r: _edit(r, POLICY, "标题: 测试县2026年", "标题: 测试县2026年度")) == {POLICY, READING}


def test_a_body_changes_its_own_page(root: Path) -> None:
    assert _changed(root, lambda r: _edit(r, NOTICE, "\n---\n\n", "\n---\n\n补充一句。\n")) == {NOTICE}


def test_a_new_interpretation_changes_its_policys_page(root: Path) -> None:
    def add(r: Path) -> None:
        text = (r / READING).read_text(encoding="utf-8").replace("00002", "00009").replace("政策解读\n", "图解\n", 1)
        (r / "content/documents/2026/gdlb-tj.md").write_text(text, encoding="utf-8")

    assert _changed(root, add) == {POLICY}


def test_an_interpretation_pointed_elsewhere_changes_both_pages(root: Path) -> None:
    moved = _changed(root, lambda r: _edit(r, READING, "解读对象: 11341700MB1714830K/202603-00001", "解读对象: 无"))
    assert moved == {POLICY, READING}


def test_a_catalogue_row_changes_the_pages_published_under_it(root: Path) -> None:
    """The row is still found (by its 二级事项), under a new 一级事项."""
    edit = lambda r: _edit(r, "catalog/snbt.yml", "一级事项: 农业生产发展资金", "一级事项: 农业生产发展专项资金")  # noqa: E731
    assert _changed(root, edit) == {POLICY}


def test_a_domain_renamed_changes_its_documents_pages(root: Path) -> None:
    renamed = "名称: 惠农补贴\n    别名: [涉农补贴]"
    assert _changed(root, lambda r: _edit(r, "catalog/domains.yml", "名称: 涉农补贴\n    别名: [惠农补贴]", renamed)) == {
        POLICY,
        READING,
    }


def test_an_attachment_replaced_changes_its_documents_page(root: Path) -> None:
    _edit(root, NOTICE, "\n---\n\n", "\n附件: [名单.pdf]\n---\n\n")
    (root / "content/documents/2026/名单.pdf").write_bytes(blank_pdf())
    before = _keys(root)
    (root / "content/documents/2026/名单.pdf").write_bytes(blank_pdf() + b"\n" * 4096)  # another size on the page
    assert _keys(root)[NOTICE] != before[NOTICE]


def test_the_normative_status_on_the_build_date_changes_the_page(root: Path) -> None:
    _edit(root, POLICY, "组配分类: 政策文件", "组配分类: 行政规范性文件\n有效期至: 2026-12-31")
    county = load_county(root)
    policy = next(doc for doc in county.documents if doc.origin.path == POLICY)
    assert _key(root, county, policy, TODAY) != _key(root, county, policy, dt.date(2027, 1, 5))


def test_a_file_changed_after_it_was_loaded_is_keyed_by_its_page(root: Path) -> None:
    county = load_county(root)
    notice = next(doc for doc in county.documents if doc.origin.path == NOTICE)
    data = (root / NOTICE).read_bytes()
    assert _parsed_from(data, notice)
    _edit(root, NOTICE, "标题: ", "标题: 新")  # after the load: the page shows the title loaded
    assert not _parsed_from((root / NOTICE).read_bytes(), notice)
    assert _key(root, county, notice, TODAY, parsed=False) != _key(root, county, notice, TODAY)
    loaded_again = next(doc for doc in load_county(root).documents if doc.origin.path == NOTICE)
    assert _key(root, county, notice, TODAY, parsed=False) != _key(root, county, loaded_again, TODAY)
    assert dataclasses.replace(notice, files=()) == notice


def test_a_title_above_a_document_changes_its_page(root: Path) -> None:
    """当前位置 names the pages above it (kept once a folder: the same for every document of the folder)."""
    county = load_county(root)
    notice = next(doc for doc in county.documents if doc.origin.path == NOTICE)
    source = hashlib.sha256((root / NOTICE).read_bytes()).digest()
    links, url = link(county, TODAY), urls.document(notice)
    keys = [
        document_key("site", notice, links, TODAY, source, {}, url, titles, True, {})
        for titles in ({}, {"documents/": "文件库"}, {"documents/": "全部文件"})
    ]
    assert len(set(keys)) == 3
    trails: dict[str, str] = {}
    for titles in ({"documents/": "文件库"}, {"documents/": "文件库"}):
        assert document_key("site", notice, links, TODAY, source, {}, url, titles, True, trails) == keys[1]
