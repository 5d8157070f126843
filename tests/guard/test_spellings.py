"""Property: every spelling the normaliser folds is caught in every kind of output file.

Each test writes one generated spelling (``spellings.py``) into one kind of file, the way the site
or an attachment would hold it, reads it back through the guard's readers and expects the number.
"""

from __future__ import annotations

import csv
import gzip
import html
import io
import json
from urllib.parse import quote

import files
import openpyxl
import weasyprint
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from spellings import Spelling, spellings

from gongkai.guard.patterns import Found
from gongkai.guard.scan import scan_bytes, scan_name

QUICK = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _found(data: bytes | str, name: str) -> set[Found]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return {spot.found for spot in scan_bytes(raw, name, lines=False).spots}


def _page(body: str) -> str:
    return f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>通知</title></head><body>{body}</body></html>'


@QUICK
@given(spellings())
def test_html_text(spelling: Spelling):
    assert spelling.found in _found(
        _page(f"<article><p>联系人：王秀兰，{spelling.markup}。</p></article>"), "a/index.html"
    )


@QUICK
@given(spellings(), st.sampled_from(["alt", "title", "content", "value", "data-tel", "aria-label"]))
def test_html_attributes(spelling: Spelling, attribute: str):
    value = spelling.references.replace('"', "&quot;")
    assert spelling.found in _found(_page(f'<p><img src="a.png" {attribute}="{value}"></p>'), "a/index.html")


@QUICK
@given(spellings(lines=False))
def test_urls(spelling: Spelling):
    link = f'<p><a href="https://www.example.cn/search?q={quote(spelling.text)}">查询</a></p>'
    assert spelling.found in _found(_page(link), "a/index.html")


@QUICK
@given(spellings(lines=False))
def test_file_names(spelling: Spelling):
    name = f"documents/2026/{spelling.text.replace('/', '-')}/index.html"
    assert spelling.found in {spot.found for spot in scan_name(name)}


@QUICK
@given(spellings())
def test_feeds(spelling: Spelling):
    content = html.escape(f"<p>联系电话 {spelling.markup}</p>", quote=False)
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>青溪县</title>'
        f'<entry><title>通知</title><content type="html">{content}</content></entry></feed>'
    )
    assert spelling.found in _found(feed, "feed.xml")


@QUICK
@given(spellings(), st.booleans())
def test_json(spelling: Spelling, ascii_only: bool):
    data = json.dumps({"标题": "通知", "正文": f"联系电话 {spelling.text}。"}, ensure_ascii=ascii_only)
    assert spelling.found in _found(data, "data/documents.json")


@QUICK
@given(spellings())
def test_csv(spelling: Spelling):
    out = io.StringIO()
    csv.writer(out).writerows([["序号", "标题", "内容概述"], ["1", "通知", f"联系电话 {spelling.text}"]])
    assert spelling.found in _found(out.getvalue(), "data/documents.csv")
    assert spelling.found in _found(gzip.compress(out.getvalue().encode()), "data/documents.csv.gz")


@QUICK
@given(spellings())
def test_search_bundle(spelling: Spelling):
    text = "\u200b".join(f"联系电话 {spelling.text}")  # Pagefind cuts Chinese text with zero-width spaces
    fragment = b"pagefind_dcd" + json.dumps({"content": text, "url": "/a/"}).encode()
    assert spelling.found in _found(gzip.compress(fragment), "pagefind/fragment/zh_1.pf_fragment")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spellings(), st.integers(0, 30))
def test_xlsx(spelling: Spelling, cut: int):
    book = openpyxl.Workbook()
    book.active.append(["户主姓名", "备注"])
    cut = cut % max(len(spelling.text), 1)
    split = CellRichText([spelling.text[:cut], TextBlock(InlineFont(b=True), spelling.text[cut:])])
    book.active.append(["王秀兰", split if cut else spelling.text])
    out = io.BytesIO()
    book.save(out)
    assert spelling.found in _found(out.getvalue(), "villages/a/b/2026-gdlb.xlsx")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spellings(), st.lists(st.integers(1, 30), max_size=3))
def test_docx_runs_and_properties(spelling: Spelling, cuts: list[int]):
    text, runs, at = spelling.text, [], 0
    for cut in sorted(c % max(len(text), 1) for c in cuts):
        runs.append(text[at:cut])
        at = cut
    runs.append(text[at:])
    assert spelling.found in _found(files.docx(["联系电话 ", *runs, "。"]), "附件.docx")
    assert spelling.found in _found(files.docx(["通知"], creator=spelling.text), "附件.docx")


@SLOW
@given(spellings(fonts=True))
def test_pdf_text(spelling: Spelling):
    pdf = weasyprint.HTML(string=_page(f"<p>联系电话 {spelling.markup}</p>")).write_pdf()
    assert spelling.found in _found(pdf, "附件.pdf")


@SLOW
@given(spellings())
def test_pdf_metadata_and_annotations(spelling: Spelling):
    assert spelling.found in _found(files.pdf_with_metadata(spelling.text), "附件.pdf")
    assert spelling.found in _found(files.pdf_with_annotation(spelling.text), "附件.pdf")


@SLOW
@given(spellings())
def test_pdf_form_with_one_digit_per_box(spelling: Spelling):
    boxes = [c for c in spelling.text if c.strip() and c not in "-./·－・–"]
    assert spelling.found in _found(files.pdf_with_boxes(boxes), "申请表.pdf")


@QUICK
@given(spellings())
def test_old_office_files(spelling: Spelling):
    text = f"联系电话 {spelling.text}。"
    assert spelling.found in _found(files.ole({"WordDocument": text.encode("utf-16-le")}), "附件.doc")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spellings(lines=False))
def test_picture_metadata(spelling: Spelling):
    assert spelling.found in _found(files.png_with_text(spelling.text), "a.png")
    assert spelling.found in _found(files.jpeg_with_comment(spelling.text), "a.jpg")
    assert spelling.found in _found(files.gif_with_comment(spelling.text), "a.gif")


@QUICK
@given(spellings(written=True))
def test_written_spellings_in_pages_tables_and_remarks(spelling: Spelling):
    """List separators (「138，0000，0106」), a float's 「.0」, labels, Chinese numerals and an x after a
    phone, as a clerk or a program writes them: in a page, a CSV cell and a Markdown source."""
    assert spelling.found in _found(_page(f"<p>咨询电话 {spelling.markup} 万老师</p>"), "a/index.html")
    out = io.StringIO()
    csv.writer(out).writerows([["户主姓名", "备注"], ["王秀兰", spelling.text]])
    assert spelling.found in _found(out.getvalue(), "villages/a/b/2026-gdlb.csv")
    assert spelling.found in _found(f"# 通知\n\n联系人 {spelling.text}\n", "content/xxgk/zhidu.md")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spellings(written=True))
def test_written_spellings_in_office_files(spelling: Spelling):
    book = openpyxl.Workbook()
    book.active.append(["户主姓名", "备注"])
    book.active.append(["王秀兰", spelling.text])
    out = io.BytesIO()
    book.save(out)
    assert spelling.found in _found(out.getvalue(), "villages/a/b/2026-gdlb.xlsx")
    assert spelling.found in _found(files.docx(["联系电话", spelling.text, "。"]), "附件.docx")
