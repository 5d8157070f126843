"""PDF notice sheets: context, text of the rendered PDF, determinism, cache and pool."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest

from gongkai.errors import BuildFailed, EnvironmentProblem
from gongkai.model import PayoutList, PayoutRow, Phone, Town, Village
from gongkai.render.sheets import (
    SheetJob,
    gallery,
    render_pdf,
    render_sheets,
    require_cjk_font,
    require_fast_subsetting,
    sheet_context,
)
from gongkai.render.sheets import pdf as sheets_pdf
from gongkai.render.sheets.cache import cache_key as sheet_cache_key
from gongkai.render.sheets.context import SheetContext
from gongkai.render.sheets.pdf import render_html, templates_fingerprint

from kit import copy_demo

NAMES = ("王秀兰", "李建国", "张桂英", "刘志强", "陈玉梅", "杨德华", "赵小明", "欧阳春花")
BASIS = "《青溪县2026年耕地地力保护补贴实施方案》（青政办〔2026〕12号）"
PHONES = (
    Phone(name="县财政局监督电话", number="0550-7012345"),
    Phone(name="县农业农村局政策咨询电话", number="0550-7023456"),
)


def payout_row(i: int) -> PayoutRow:
    """Row i; odd rows carry an unmasked ID, as a careless import might leave it."""
    id_number = f"340123{19500101 + i:08d}{i:04d}" if i % 2 else f"340123********{i:04d}"
    quantity = Decimal(f"{1 + i % 9}.{i % 10}")
    return PayoutRow(
        name=NAMES[i % len(NAMES)],
        group=f"第{'一二三四五六'[i % 6]}村民组",
        id_number=id_number,
        quantity=quantity,
        rate=Decimal("110"),
        amount=quantity * 110,
        paid_on=dt.date(2026, 6, 30),
        note="代领" if i % 17 == 0 else None,
    )


def payout(count: int) -> PayoutList:
    return PayoutList(
        subsidy="耕地地力保护补贴",
        year=2026,
        basis=BASIS,
        unit="亩",
        table="2026-gdlb.csv",
        notice_start=dt.date(2026, 11, 20),
        notice_end=dt.date(2026, 11, 26),
        issued=dt.date(2026, 11, 20),
        phones=PHONES,
        rows=tuple(payout_row(i) for i in range(count)),
    )


VILLAGE = Village(code="shangxi", name="上溪村", phones=(Phone(name="上溪村委会", number="0550-7034567"),))
TOWN = Town(
    code="chengguan", name="城关镇", phones=(Phone(name="城关镇纪委监督电话", number="0550-7045678"), PHONES[0])
)
COUNTY = gallery.COUNTY


def context(count: int) -> SheetContext:
    return sheet_context(payout(count), VILLAGE, TOWN, COUNTY)


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, with all white space removed (CJK lines break anywhere)."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return [re.sub(r"\s+", "", page) for page in text.split("\f")[:-1]]


@pytest.fixture(scope="module")
def pages() -> list[str]:
    return pdf_pages(render_pdf(context(80)))


# The context


@pytest.mark.parametrize(
    ("stored", "printed"),
    [
        ("340123199001011234", "340123********1234"),
        ("34012319900101123X", "340123********123X"),
        ("340123900101123", "340123*****1123"),
        ("340123********1234", "340123********1234"),
        (None, ""),
    ],
)
def test_unmasked_id_is_masked_again(stored: str | None, printed: str) -> None:
    row = dataclasses.replace(payout_row(0), id_number=stored)
    ctx = sheet_context(dataclasses.replace(payout(0), rows=(row,)), VILLAGE, TOWN, COUNTY)
    assert ctx.rows[0].id_number == printed


def test_context_formats_and_masks_every_row() -> None:
    ctx = context(3)
    assert ctx.title == "城关镇上溪村2026年耕地地力保护补贴发放结果公示"
    assert ctx.issuer == "上溪村民委员会"
    assert ctx.columns[4:7] == ("数量（亩）", "标准（元/亩）", "金额（元）")
    assert [row.id_number for row in ctx.rows] == ["340123********0000", "340123********0001", "340123********0002"]
    assert ctx.rows[1] == dataclasses.replace(
        ctx.rows[1], number=2, quantity="2.10", rate="110", amount="231.00", paid_on="2026-06-30", note=""
    )
    assert (ctx.total_quantity, ctx.total_amount, ctx.household_count) == ("6.30", "693.00", 3)


def test_context_lists_each_phone_once_payout_first() -> None:
    numbers = [phone.number for phone in context(1).phones]
    assert numbers == ["0550-7012345", "0550-7023456", "0550-7034567", "0550-7045678"]


def test_amounts_have_two_decimals_and_thousands_separators() -> None:
    rows = (PayoutRow(name="王秀兰", amount=Decimal("1234.5")), PayoutRow(name="李建国", amount=Decimal("100")))
    ctx = sheet_context(dataclasses.replace(payout(0), rows=rows, unit=None), VILLAGE, TOWN, COUNTY)
    assert [row.amount for row in ctx.rows] == ["1,234.50", "100.00"]
    assert (ctx.total_amount, ctx.total_quantity) == ("1,334.50", "")
    assert ctx.columns[4:6] == ("数量", "标准（元）")
    assert ctx.rows[0].id_number == ctx.rows[0].group == ctx.rows[0].paid_on == ""


def test_page_size_is_checked() -> None:
    assert dataclasses.replace(context(1), page_size="A3 landscape").page_size == "A3 landscape"
    with pytest.raises(ValueError, match="page_size"):
        dataclasses.replace(context(1), page_size="Letter")


# The PDF


def test_sheet_spans_pages_with_header_and_page_numbers_on_each(pages: list[str]) -> None:
    total = len(pages)
    assert total >= 3
    for number, page in enumerate(pages, start=1):
        assert "户主姓名" in page
        assert f"第{number}页共{total}页" in page


def test_first_page_has_title_and_basis(pages: list[str]) -> None:
    assert "城关镇上溪村2026年耕地地力保护补贴发放结果公示" in pages[0]
    assert f"根据{BASIS}，现将上溪村2026年耕地地力保护补贴发放结果公示如下（共80户，发放金额47,520.00元）" in pages[0]


def test_ids_are_masked_in_the_pdf(pages: list[str]) -> None:
    text = "".join(pages)
    assert "340123********0001" in text
    assert "340123********0079" in text
    assert not re.search(r"\d{17}[\dX]", text)


def test_total_row_once_on_the_last_page(pages: list[str]) -> None:
    assert "".join(pages).count("合计") == 1
    assert "合计（80户）432.0047,520.00" in pages[-1]


def test_last_page_has_notice_period_phones_and_signature(pages: list[str]) -> None:
    last = pages[-1]
    assert "公示期：2026年11月20日至2026年11月26日。" in last
    assert "如有异议，请在公示期内向村民委员会或乡镇人民政府反映。" in last
    for phone in (*PHONES, *VILLAGE.phones, TOWN.phones[0]):
        assert f"{phone.name}：{phone.number}" in last
    assert last.endswith(f"上溪村民委员会（盖章）2026年11月20日第{len(pages)}页共{len(pages)}页")


def test_same_input_gives_the_same_bytes_dated_by_the_sheet() -> None:
    first, second = render_pdf(context(5)), render_pdf(context(5))
    assert first == second
    info = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert info is not None and info.creation_date is not None
    assert info.creation_date.date() == dt.date(2026, 11, 20)


def test_landscape_page_is_wider_than_high() -> None:
    pdf = render_pdf(dataclasses.replace(context(2), page_size="A4 landscape"))
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(box.width), round(box.height)) == (842, 595)


# Templates and fonts


def test_theme_extends_the_package_template(tmp_path: Path) -> None:
    (tmp_path / "sheets").mkdir()
    (tmp_path / "sheets" / "payout.html").write_text(
        '{% extends "gongkai/payout.html" %}{% block heading %}<p>青溪县{{ town_name }}</p>{{ super() }}{% endblock %}',
        encoding="utf-8",
    )
    html = render_html(context(1), [tmp_path])
    assert "<p>青溪县城关镇</p>" in html and "<h1 " in html
    assert templates_fingerprint([tmp_path]) != templates_fingerprint()


def test_missing_font_is_reported_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets_pdf, "_font_families", lambda: ["DejaVu Sans", "Noto Serif"])
    with pytest.raises(EnvironmentProblem) as caught:
        require_cjk_font()
    assert str(caught.value) == "未找到中文字体（Noto Sans CJK SC）。请安装：sudo apt-get install fonts-noto-cjk"


def test_missing_harfbuzz_subsetter_is_reported_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.text import ffi

    message = (
        "缺少 HarfBuzz 字体子集库（libharfbuzz-subset0），生成公示表会慢几十倍。"
        "请安装：sudo apt-get install libharfbuzz-subset0（或运行 scripts/setup.sh build）"
    )
    monkeypatch.setattr(ffi, "harfbuzz_subset", None)  # as WeasyPrint finds it: before a sheet is drawn
    with pytest.raises(EnvironmentProblem) as caught:
        require_fast_subsetting(exact=True)
    assert str(caught.value) == message
    monkeypatch.setattr(sheets_pdf, "_HARFBUZZ_SUBSET", ("libharfbuzz-subset-missing.so.0", "harfbuzz-subset-missing"))
    with pytest.raises(EnvironmentProblem) as caught:  # at a build's start, without importing WeasyPrint
        require_fast_subsetting()
    assert str(caught.value) == message
    monkeypatch.undo()
    require_fast_subsetting()  # this machine has it
    require_fast_subsetting(exact=True)
    monkeypatch.setattr(sheets_pdf, "_HARFBUZZ_SUBSET", ("libharfbuzz-subset-missing.so.0",))
    require_fast_subsetting()  # a host naming the library otherwise: WeasyPrint itself is asked, never refused


def test_a_build_that_draws_no_sheet_imports_no_weasyprint(tmp_path: Path) -> None:
    """Importing WeasyPrint is 0.6 s of a build's start-up: only a sheet drawn imports it."""
    code = (
        "import sys; from gongkai.commands import cli; from gongkai.render.sheets import require_fast_subsetting;"
        "require_fast_subsetting(); print('weasyprint' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"


def test_installed_font_is_found() -> None:
    require_cjk_font()


# Many sheets: cache and pool


def jobs(amount_of_first: Decimal | None = None) -> list[SheetJob]:
    made = []
    for number, name in enumerate(("shangxi", "xiaxi", "dongcun")):
        ctx = dataclasses.replace(context(4 + number), village_name=name)
        if number == 0 and amount_of_first is not None:
            rows = (dataclasses.replace(ctx.rows[0], amount=f"{amount_of_first:.2f}"), *ctx.rows[1:])
            ctx = dataclasses.replace(ctx, rows=rows)
        made.append(SheetJob(ctx, f"villages/chengguan/{name}/2026-gdlb.pdf"))
    return made


def test_cache_renders_only_what_changed(tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    first = render_sheets(jobs(), site, cache, workers=1)
    assert (first.rendered, first.cached) == (3, 0) and first.pages >= 3
    ticks: list[tuple[int, int]] = []
    again = render_sheets(jobs(), site, cache, workers=1, progress=lambda *tick: ticks.append(tick))
    assert (again.rendered, again.cached, again.pages) == (0, 3, 0)
    assert ticks == [(1, 3), (2, 3), (3, 3)]
    changed = render_sheets(jobs(Decimal("999.99")), site, cache, workers=1)
    assert (changed.rendered, changed.cached) == (1, 2)
    assert "999.99" in "".join(pdf_pages((site / jobs()[0].output).read_bytes()))


def test_a_damaged_or_linked_cache_entry_is_rendered_again(tmp_path: Path) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    render_sheets(jobs(), site, cache, workers=1)
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(next(cache.glob("*.pdf")).read_bytes())  # a whole PDF, outside the cache
    entries = sorted(cache.glob("*.pdf"))
    entries[0].write_bytes(entries[0].read_bytes()[:2000])  # truncated
    entries[1].write_bytes(b"\0" * 4096)  # garbage
    entries[2].unlink()
    entries[2].symlink_to(outside)  # whatever it points to would be published
    shutil.rmtree(site)
    again = render_sheets(jobs(), site, cache, workers=1)
    assert (again.rendered, again.cached) == (3, 0)
    for job in jobs():
        published = site / job.output
        assert not published.is_symlink() and not published.samefile(outside)
        assert "合计" in "".join(pdf_pages(published.read_bytes()))
    assert not any(entry.is_symlink() for entry in cache.iterdir())


def test_a_cache_entry_changed_in_place_is_rendered_again(tmp_path: Path) -> None:
    """A bit flipped (still a PDF at both ends), or the published sheet edited in place — it is the cache
    entry, hard-linked —, is not published again: the guard would refuse a damaged one on every build
    (``--clean`` too), and an edited one would differ from what a clean build gives."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    render_sheets(jobs(), site, cache, workers=1)
    first = {job.output: (site / job.output).read_bytes() for job in jobs()}
    published = site / jobs()[1].output
    entry = next(e for e in sorted(cache.glob("*.pdf")) if not e.samefile(published))  # two sheets damaged
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 0x40
    with open(entry, "r+b") as file:  # in place: the published sheet (the same file) changes too
        file.write(data)
    assert any(published.samefile(other) for other in cache.glob("*.pdf"))  # the entry itself
    with open(published, "r+b") as file:  # edited by hand in the published site, its size kept
        file.seek(published.stat().st_size // 3)
        file.write(b"%")
    again = render_sheets(jobs(), tmp_path / "again", cache, workers=1)
    assert (again.rendered, again.cached) == (2, 1)
    assert {job.output: (tmp_path / "again" / job.output).read_bytes() for job in jobs()} == first


def test_pool_writes_every_sheet(tmp_path: Path) -> None:
    report = render_sheets(jobs(), tmp_path / "site", tmp_path / "cache", workers=2)
    assert (report.rendered, report.cached) == (3, 0)
    for job in jobs():
        assert f"现将{job.context.village_name}2026年" in pdf_pages((tmp_path / "site" / job.output).read_bytes())[0]


@pytest.mark.parametrize("outputs", [["a.pdf", "a.pdf"], ["../a.pdf"], ["/a.pdf"], ["a.html"]])
def test_bad_outputs_are_refused(tmp_path: Path, outputs: list[str]) -> None:
    with pytest.raises(BuildFailed):
        render_sheets([SheetJob(context(1), output) for output in outputs], tmp_path, tmp_path / "cache")


def test_undefined_template_value_fails_the_sheet(tmp_path: Path) -> None:
    (tmp_path / "theme" / "sheets").mkdir(parents=True)
    (tmp_path / "theme" / "sheets" / "payout.html").write_text("{{ seal_image }}", encoding="utf-8")
    with pytest.raises(BuildFailed, match=r"^villages/chengguan/shangxi/2026-gdlb\.pdf：公示表生成失败：.*seal_image"):
        render_sheets(jobs()[:1], tmp_path / "site", tmp_path / "cache", template_dirs=[tmp_path / "theme"])


def lazy_jobs(made: list[str], first_rows_key: str = "rows-a") -> list[SheetJob]:
    """Jobs whose contexts are made from their inputs (as a build's village sheets are), counting each made."""

    def make(payout: PayoutList, village: Village, town: Town, county: object) -> SheetContext:
        made.append(payout.slug)
        return sheet_context(payout, village, town, COUNTY)

    lists = [dataclasses.replace(payout(3 + n), slug=f"list-{n}", rows_key=f"rows-{n}") for n in range(3)]
    lists[0] = dataclasses.replace(lists[0], rows_key=first_rows_key)
    return [SheetJob.of(make, f"v/{p.slug}.pdf", p, VILLAGE, TOWN, COUNTY) for p in lists]


def test_a_sheet_whose_inputs_are_known_makes_no_context(tmp_path: Path) -> None:
    """keys.bin: the second build finds each sheet by what its context is made of (a payout list by its rows'
    source, not its rows); new inputs make their context; a damaged memo only costs the contexts again."""
    site, cache = tmp_path / "site", tmp_path / "cache"
    made: list[str] = []
    first = render_sheets(lazy_jobs(made), site, cache, workers=1)
    assert (first.rendered, sorted(made)) == (3, ["list-0", "list-1", "list-2"])
    made.clear()
    again = render_sheets(lazy_jobs(made), tmp_path / "again", cache, workers=1)
    assert (again.rendered, again.cached, made) == (0, 3, [])
    changed = render_sheets(lazy_jobs(made, first_rows_key="rows-b"), tmp_path / "changed", cache, workers=1)
    assert made == ["list-0"]  # its context made again: the same context, so the same sheet from the cache
    assert (changed.rendered, changed.cached) == (0, 3)
    (cache / "keys.bin").write_bytes(b"\0" * 64)
    made.clear()
    damaged = render_sheets(lazy_jobs(made), tmp_path / "damaged", cache, workers=1)
    assert (damaged.cached, sorted(made)) == (3, ["list-0", "list-1", "list-2"])
    for job in lazy_jobs([]):
        assert (site / job.output).read_bytes() == (tmp_path / "damaged" / job.output).read_bytes()


def test_rows_are_known_by_their_source(tmp_path: Path) -> None:
    """A payout list's rows_key names its rows' bytes: a load without a cache names them as the cache does, and
    a changed table changes it."""
    from gongkai.load import load_sources
    from gongkai.load.cache import LoadCache

    root = copy_demo(tmp_path)
    fresh, _ = load_sources(root, LoadCache(None))
    cached, _ = load_sources(root, LoadCache.open(root))
    assert fresh is not None and cached is not None
    keys = {(p.town, p.village, p.slug): p.rows_key for p in fresh.payouts}
    assert all(keys.values()) and keys == {(p.town, p.village, p.slug): p.rows_key for p in cached.payouts}
    table = next(root.glob("villages/*/*/payouts/*.csv"))
    table.write_bytes(table.read_bytes().replace(b"2026-", b"2025-", 1))
    changed, _ = load_sources(root, LoadCache(None))
    assert changed is not None
    assert sum(p.rows_key != keys[p.town, p.village, p.slug] for p in changed.payouts) == 1


def test_a_wrong_memo_never_names_a_rendered_sheet(tmp_path: Path) -> None:
    """A memo (keys.bin) naming an entry the cache does not hold: the sheet is rendered from its context and
    stored under that context's own key, not the memo's — which would be another sheet's entry next time."""
    from gongkai.render.sheets.cache import KEYS, KeyMemo

    site, cache = tmp_path / "site", tmp_path / "cache"
    render_sheets(lazy_jobs([]), site, cache, workers=1)
    fingerprint = templates_fingerprint()
    memo = KeyMemo.open(cache, fingerprint)
    wrong = "0" * 64
    memo.used = {inputs: wrong for inputs in memo.known}
    memo.save()
    for entry in cache.glob("*.pdf"):
        entry.unlink()
    again = render_sheets(lazy_jobs([]), tmp_path / "again", cache, workers=1)
    assert again.rendered == 3 and not (cache / f"{wrong}.pdf").exists()
    assert set(KeyMemo.open(cache, fingerprint).known.values()) == {
        sheet_cache_key(job.context, fingerprint) for job in lazy_jobs([])
    }
    assert (cache / KEYS).is_file()
    for job in lazy_jobs([]):
        assert (site / job.output).read_bytes() == (tmp_path / "again" / job.output).read_bytes()


def test_a_clean_build_reads_no_memo(tmp_path: Path) -> None:
    """``build --clean`` (recall=False) finds each sheet by its context: a memo naming other sheets' entries
    (keys.bin damaged so that it still reads) is neither followed nor kept."""
    from gongkai.render.sheets.cache import KeyMemo

    site, cache = tmp_path / "site", tmp_path / "cache"
    render_sheets(lazy_jobs([]), site, cache, workers=1)
    fingerprint = templates_fingerprint()
    memo = KeyMemo.open(cache, fingerprint)
    keys = sorted(memo.known.values())
    memo.used = {inputs: keys[0] for inputs in memo.known}  # every sheet: the first's entry
    memo.save()
    clean = render_sheets(lazy_jobs([]), tmp_path / "clean", cache, workers=1, recall=False)
    assert (clean.rendered, clean.cached) == (0, 3)
    for job in lazy_jobs([]):
        assert (site / job.output).read_bytes() == (tmp_path / "clean" / job.output).read_bytes()
    assert sorted(KeyMemo.open(cache, fingerprint).known.values()) == keys


def test_a_sheets_bytes_follow_its_content_not_where_it_was_read(tmp_path: Path) -> None:
    """The same printed content from another place in the sources (a YAML file renamed, a comment line added:
    the phones' origins moved) is the same PDF: the cache keeps the entry, so a clean build must draw it so."""
    from gongkai.model.origin import Origin

    def placed(path: str, line: int) -> SheetContext:
        phones = tuple(dataclasses.replace(p, origin=Origin(path, line + n)) for n, p in enumerate(PHONES))
        return dataclasses.replace(context(3), phones=phones)

    here, there = placed("villages/a/b/payouts/2026-gdlb.yml", 12), placed("villages/a/b/payouts/x.yml", 14)
    assert sheet_cache_key(here, "") == sheet_cache_key(there, "")
    assert render_pdf(here) == render_pdf(there)


def test_a_print_bundle_asks_weasyprint_for_the_subsetter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``gongkai bundle`` always draws: it asks WeasyPrint itself, before loading the county."""
    from weasyprint.text import ffi

    from gongkai.commands.bundle import make_bundles

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    with pytest.raises(EnvironmentProblem, match="libharfbuzz-subset0"):
        make_bundles(tmp_path, 2026, dt.date(2026, 11, 26))
