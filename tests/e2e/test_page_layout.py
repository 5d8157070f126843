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


def _ten_row_catalogues(site: Path) -> list[str]:
    """The domain pages whose catalogue has exactly 10 rows."""
    pages = [folder / "index.html" for folder in sorted((site / "jcgk").iterdir())]
    found = [f"jcgk/{page.parent.name}/" for page in pages
             if page.is_file() and page.read_text(encoding="utf-8").count('<tr id="row-') == 10]  # fmt: skip
    assert found, "the demo county has a catalogue of 10 rows"
    return found


def _ten_row_catalogue(site: Path) -> str:
    return _ten_row_catalogues(site)[0]


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


@pytest.mark.parametrize("mode", ["普通", "大字"])
def test_a_catalogue_of_ten_rows_prints_on_two_landscape_pages(base: str, demo_site: Path, mode: str) -> None:
    from pypdf import PdfReader

    problems: list[str] = []
    with browser_page() as page:
        page.add_init_script(f"localStorage.setItem('gk-a11y', '{MODES[mode]}')")
        for path in _ten_row_catalogues(demo_site):
            page.goto(base + path)
            documents = _plain(page.locator(".gk-domain-documents h2").inner_text())  # 本领域信息（共 N 条）
            # As a browser's print dialog does: the page's own @page size (A4 landscape for catalogues).
            pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
            raw = [p.extract_text() for p in pdf.pages]
            texts = [_plain(text) for text in raw]
            sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf.pages}
            if len(pdf.pages) > 2:
                problems.append(f"/{path}: {len(pdf.pages)} pages")
            if sizes != {(842, 595)}:
                problems.append(f"/{path}: every page A4 landscape, not {sizes}")
            if not all(text.strip() for text in raw):
                problems.append(f"/{path}: a blank page: {[len(t) for t in raw]} characters")
            if any(documents in text for text in texts):
                problems.append(f"/{path}: the domain's document list prints («{documents}»)")
            # The header row is repeated on every page but the last (which may hold only the footer).
            if not all("公开依据" in text for text in texts[:-1]):
                problems.append(f"/{path}: the header row is not repeated: {[('公开依据' in t) for t in texts]}")
    assert not problems, "\n".join(problems)


# The text of the header bar a reader sees (Material's bar: the menu button on narrow screens).
HEADER_TEXT = """() => [...document.querySelectorAll(".md-header *")]
  .filter((el) => el.checkVisibility({opacityProperty: true, visibilityProperty: true}))
  .map((el) => [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent.trim()).join("") +
    getComputedStyle(el, "::after").content.replace(/^none$|^normal$|"/g, ""))
  .filter(Boolean).join(" ")"""


@pytest.mark.parametrize("mode", ["普通", "大字"])
def test_the_phone_header_names_the_menu_not_the_page_again(base: str, demo_site: Path, mode: str) -> None:
    catalogue = _ten_row_catalogue(demo_site)
    document = sorted(demo_site.glob("documents/[0-9]*/*/index.html"))[0].parent.relative_to(demo_site).as_posix()
    with browser_page(viewport={"width": 390, "height": 844}) as page:
        page.add_init_script(f"localStorage.setItem('gk-a11y', '{MODES[mode]}')")
        for path in (catalogue, document + "/"):
            page.goto(base + path)
            title = page.locator("h1").first.inner_text().strip()
            header = page.evaluate(HEADER_TEXT)
            assert header == "栏目导航", f"/{path}: the header bar shows «{header}» (the page is «{title}»)"
        page.locator("label.md-header__button[for='__drawer']").click()
        page.locator(".md-nav--primary").get_by_role("link", name="基层政务公开").first.wait_for(state="visible")


# The column headings of the 年报 tables that break inside a word: a heading of a few characters and no
# punctuation (商业企业, 科研机构) shown on more than one line.
BROKEN_HEADINGS = r"""() => [...document.querySelectorAll(".gk-report thead th")]
  .filter((cell) => /^[\u4e00-\u9fff]{2,8}$/.test(cell.textContent.trim()))
  .filter((cell) => { const r = document.createRange(); r.selectNodeContents(cell); return r.getClientRects().length > 1; })
  .map((cell) => cell.textContent.trim())"""
# For each 年报 table scrolled to its right end: the rows whose label is out of view or covered.
LABELS_OUT_OF_VIEW = """async () => {
  const out = [];
  for (const box of document.querySelectorAll(".gk-scroll:has(.gk-report)")) {
    if (box.scrollWidth <= box.clientWidth + 1) continue;
    box.scrollIntoView();
    box.scrollLeft = box.scrollWidth;
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const edge = box.getBoundingClientRect();
    for (const row of box.querySelectorAll("tbody tr")) {
      const label = [...row.querySelectorAll("th[scope=row]")].pop();
      if (!label) continue;
      window.scrollBy(0, label.getBoundingClientRect().top - innerHeight / 2);  // the page only, not the box
      const r = label.getBoundingClientRect();
      const top = document.elementFromPoint(r.left + 4, r.top + r.height / 2);
      if (r.left < edge.left - 1 || !(top === label || label.contains(top))) out.push(label.textContent.trim());
    }
  }
  return out;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_report_headings_break_between_words_only(base: str, width: str) -> None:
    w, h = WIDTHS[width]
    with browser_page(viewport={"width": w, "height": h}) as page:
        page.goto(base + "xxgk/nianbao/2025/")
        assert page.locator(".gk-report thead th").count() > 20
        assert not page.evaluate(BROKEN_HEADINGS), "年报 headings broken inside a word"


@pytest.mark.parametrize("mode", ["普通", "大字"])
def test_report_row_labels_stay_in_view_while_the_numbers_scroll(base: str, mode: str) -> None:
    with browser_page(viewport={"width": 390, "height": 844}) as page:
        page.add_init_script(f"localStorage.setItem('gk-a11y', '{MODES[mode]}')")
        page.goto(base + "xxgk/nianbao/2025/")
        assert page.locator(".gk-scroll:has(.gk-report)[data-gk-overflow='true']").count() >= 2, "tables scroll on a phone"
        hidden = page.evaluate(LABELS_OUT_OF_VIEW)
        assert not hidden, f"row labels out of view at the right end: {hidden[:5]}"


def test_nested_report_labels_never_cover_each_other(base: str) -> None:
    """A group label (三、本年度办理结果) and the corner of a nested table scroll with the numbers: kept in view,
    the row labels under them stacked on top of them at the box's edge and hid column headings."""
    with browser_page(viewport={"width": 390, "height": 844}) as page:
        page.goto(base + "xxgk/nianbao/2025/")
        positions = page.evaluate(
            "() => [...document.querySelectorAll('.gk-report--nested .gk-report__group, .gk-report--nested "
            ".gk-report__corner')].map((cell) => getComputedStyle(cell).position)"
        )
        assert positions and set(positions) == {"static"}
