"""Every page readable on every screen and in every mode: the demo county behind nginx, in Chromium at a
desktop and a phone width, in the normal, 大字 and 高对比 modes — nothing cut off, nothing scrolling sideways
but a table box that says so (layout_checks.OVERFLOW_PROBE)."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from a11y_checks import browser_page
from layout_checks import MODES, OVERFLOW_PROBE, WIDTHS, every_page
from test_hosting import SUB_PATH, demo_site, nginx

__all__ = ["demo_site", "nginx"]  # module fixtures shared with test_hosting: the demo county behind nginx

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base(nginx: str) -> str:
    return f"{nginx}{SUB_PATH}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_cuts_anything_off(base: str, demo_site: Path, width: str, mode: str) -> None:
    pages = every_page(demo_site)
    assert len(pages) > 300, "every page of the demo county, the 404 page included"
    problems: list[str] = []
    w, h = WIDTHS[width]
    with browser_page(viewport={"width": w, "height": h}) as page:
        page.add_init_script(f"localStorage.setItem('gk-a11y', '{MODES[mode]}')")
        for path in pages:
            page.goto(base + path)
            problems += [f"/{path}: {line}" for line in page.evaluate(OVERFLOW_PROBE)]
    assert not problems, f"{len(problems)} problems at {width} px in {mode}:\n" + "\n".join(problems[:40])


# Each column of a catalogue table, as rendered: its width over the font size (in characters).
COLUMN_CHARS = """() => [...document.querySelectorAll(".gk-catalog tbody tr:first-child > *")].map((cell) =>
  (cell.getBoundingClientRect().width - parseFloat(getComputedStyle(cell).paddingLeft) * 2) /
  parseFloat(getComputedStyle(cell).fontSize))"""
WRAPPED_DATES = r"""() => [...document.querySelectorAll(".gk-catalog td, .gk-meta td, .gk-list time")]
  .filter((cell) => /^\d{4}-\d\d-\d\d$|^(有效|失效|废止|主动|全社会)$/.test(cell.textContent.trim()))
  .filter((cell) => { const r = document.createRange(); r.selectNodeContents(cell); return r.getClientRects().length > 1; })
  .map((cell) => cell.textContent.trim())"""


def _plain(text: str) -> str:
    """Text as extracted from a PDF compares with text in the page: NFKC (⽬ → 目), Chinese characters only.

    Some glyphs come back as radicals NFKC does not fold (门 as ⻔), so they are left out on both sides."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if "\u4e00" <= c <= "\u9fff")


def _shows(page_text: str, text: str) -> bool:
    """Whether a page shows ``text``: four characters of it in a row, as extracted."""
    return any(text[i : i + 4] in page_text for i in range(max(1, len(text) - 3)))


def _ten_row_catalogue(site: Path) -> str:
    for folder in sorted((site / "jcgk").iterdir()):
        page = folder / "index.html"
        if page.is_file() and page.read_text(encoding="utf-8").count('<tr id="row-') == 10:
            return f"jcgk/{folder.name}/"
    raise AssertionError("the demo county has a catalogue of 10 rows")


def test_catalogue_columns_are_four_characters_wide_and_dates_never_break(base: str, demo_site: Path) -> None:
    catalogue = _ten_row_catalogue(demo_site)
    with browser_page(viewport={"width": 1366, "height": 900}) as page:
        for path in (catalogue, "xxgk/gfxwj/"):
            page.goto(base + path)
            widths = page.evaluate(COLUMN_CHARS)
            assert widths and min(widths) >= 4 - 0.05, f"/{path}: columns {[round(w, 1) for w in widths]} characters"
            assert not page.evaluate(WRAPPED_DATES), f"/{path}: broken across lines"
        page.emulate_media(media="print")
        page.goto(base + catalogue)
        widths = page.evaluate(COLUMN_CHARS)
        assert min(widths) >= 4 - 0.05, f"printed: columns {[round(w, 1) for w in widths]} characters"


def test_a_catalogue_of_ten_rows_prints_on_two_landscape_pages(base: str, demo_site: Path) -> None:
    from pypdf import PdfReader

    catalogue = _ten_row_catalogue(demo_site)
    with browser_page() as page:
        page.goto(base + catalogue)
        after = page.locator(".gk-scroll:has(.gk-catalog) + *").inner_text()  # what follows the table
        # As a browser's print dialog does: the page's own @page size (A4 landscape for catalogues).
        pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    raw = [p.extract_text() for p in pdf.pages]
    texts = [_plain(text) for text in raw]
    after = _plain(after)
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf.pages}
    assert sizes == {(842, 595)}, f"every page A4 landscape, not {sizes}"
    assert all(text.strip() for text in raw), f"no blank page: {[len(t) for t in raw]}"
    ends = [i for i, text in enumerate(texts, 1) if _shows(text, after)]
    assert ends and ends[0] <= 2, f"the table ends on page {ends} of {len(texts)} (before «{after}»)"
