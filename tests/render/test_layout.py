"""The layout rules of every printed sheet, measured on the PDFs of the sheet gallery's samples.

What `make gallery` shows is what is measured here: rows per page, the table's width against the
text width, lines per row, where the closing text goes — from the PDF's own coordinates.
"""

from __future__ import annotations

import pytest
from pdfgeom import PageGeometry, geometry

from gongkai.render.sheets.compose import compose
from gongkai.render.sheets.flow import MIN_ROWS
from gongkai.render.sheets.gallery import samples
from gongkai.render.sheets.page import PAGES, PT_PER_MM
from gongkai.render.sheets.pdf import render_batch

SAMPLES = {sample.name: sample for sample in samples()}


@pytest.fixture(scope="module")
def printed() -> dict[str, list[PageGeometry]]:
    """Every gallery sample rendered in one batch (as the build renders), by name."""
    done = render_batch([s.context for s in SAMPLES.values()])
    return {name: geometry(pdf) for name, (pdf, _) in zip(SAMPLES, done, strict=True)}


def tables(pages: list[PageGeometry]) -> list[list[int]]:
    """Per table (numbering restarts at 1), how many of its rows each page holds."""
    found: list[list[int]] = []
    for page in pages:
        previous = None
        for number in page.row_numbers():
            if number == 1 or not found:
                found.append([0])
            elif previous is None:
                found[-1].append(0)
            found[-1][-1] += 1
            previous = number
    return found


@pytest.mark.parametrize("name", list(SAMPLES))
def test_pages_are_as_laid_out_and_tables_keep_enough_rows_per_page(printed, name: str) -> None:
    sample, pages = SAMPLES[name], printed[name]
    assert len(pages) == compose(sample.context).count
    for per_page in tables(pages):
        if len(per_page) > 1:  # a split table: at least MIN_ROWS rows on each of its pages
            assert min(per_page) >= MIN_ROWS, per_page


@pytest.mark.parametrize("name", list(SAMPLES))
def test_table_spans_the_text_width_on_every_page(printed, name: str) -> None:
    box = PAGES[SAMPLES[name].context.page_size]  # type: ignore[attr-defined]
    _top, right, _bottom, left = (m * PT_PER_MM for m in box.margins_mm)
    for page in printed[name]:
        if page.vertical_rules:
            assert page.table_left == pytest.approx(left, abs=1)
            assert page.table_right == pytest.approx(page.width - right, abs=1)


@pytest.mark.parametrize("name", [n for n in SAMPLES if not n.startswith("cover")])
def test_closing_is_on_the_last_page_with_at_least_three_rows(printed, name: str) -> None:
    pages = printed[name]
    assert all("（盖章）" not in p.text for p in pages[:-1])
    assert "（盖章）" in pages[-1].text
    rows = len(pages[-1].row_numbers())
    assert rows >= min(3, SAMPLES[name].rows)


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("payout-001", 1),
        ("payout-005", 1),
        ("payout-012", 1),
        ("payout-020", 1),  # 20 households and 3 phone lines: one A4 portrait page
        ("payout-018-phones", 1),
        ("payout-020-qr", 1),
        ("payout-037", 2),
        ("catalogue-07", 1),
        ("catalogue-community", 1),
    ],
)
def test_short_lists_fit_few_pages(printed, name: str, count: int) -> None:
    assert len(printed[name]) == count


def test_a_long_list_fills_every_page_but_the_last(printed) -> None:
    pages = printed["payout-300"]
    rows = [len(p.row_numbers()) for p in pages]
    assert sum(rows) == 300
    assert len(set(rows[1:-2])) == 1  # the middle pages are full (the one before the last may give rows to it)
    assert rows[-1] >= MIN_ROWS


def test_names_groups_amounts_and_dates_stay_on_one_line(printed) -> None:
    for name in ("payout-020", "payout-037", "payout-300", "payout-a4-landscape-037", "payout-a3-landscape-037"):
        assert all(not p.continuation_lines() for p in printed[name]), name
    lines = [run.text for page in printed["payout-long-names"] for run in page.table_lines()]
    for whole in (
        "阿卜杜·热合曼",
        "买买提·艾力",
        "诸葛明月光",
        "司马䶮",
        "吉𠮷祥",
        "第十二村民小组",
        "2026-06-30",
        "1,023.62",
    ):
        assert any(whole in line for line in lines), whole
    wrapped = [line for page in printed["payout-long-names"] for line in page.continuation_lines()]
    assert wrapped and all(line in ("补发上年", "度补贴") for line in wrapped)


def test_year_end_notice_flows_subsidies_without_heading_or_subtotal_pages(printed) -> None:
    for name in ("year-3-subsidies", "year-4-subsidies"):
        for page in printed[name]:
            text = page.text
            assert page.row_numbers() or "（盖章）" in text
            if "小计" in text or "序号" in text:
                assert page.row_numbers()
        assert sum(len(t) for t in tables(printed[name])) >= 2


def test_a_table_that_cannot_keep_five_rows_a_page_still_keeps_the_closing_with_rows() -> None:
    """9 rows and a closing that do not fit one page: 6 + 3 rows, never the closing alone (the demo's catalogues)."""
    from gongkai.render.sheets.flow import FEWER_ROWS, Block, TableHead, paginate

    head = TableHead(20, 9)
    blocks = [Block("title", 40, keep_with_next=True)]
    blocks += [Block("row", 30, table=head) for _ in range(9)]
    blocks.append(Block("closing", 100, keep_with_prev=True))
    pages = paginate(blocks, 40 + 20 + 9 * 30 + 50)  # everything but half the closing fits on one page
    assert len(pages) == 2
    last = [b.kind for b in pages[-1].blocks]
    assert last[-1] == "closing" and last.count("row") >= FEWER_ROWS
    assert [b.kind for b in pages[0].blocks].count("row") >= FEWER_ROWS
