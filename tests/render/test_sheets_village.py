"""Batched rendering, the year-end notice, the catalogue sheet and the QR code."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from test_sheets import COUNTY, TOWN, VILLAGE, context, payout, pdf_pages

from gongkai.render.sheets import SheetJob, render_pdf, render_sheets
from gongkai.render.sheets.pdf import render_batch
from gongkai.render.sheets.village import catalogue_context, year_context


def test_a_batch_gives_each_sheet_its_own_pages_and_the_bytes_of_a_single_render() -> None:
    sheets = [dataclasses.replace(context(30 + 40 * i), village_name=f"村{i}") for i in range(3)]
    done = render_batch(sheets)
    for ctx, (pdf, pages) in zip(sheets, done, strict=True):
        text = pdf_pages(pdf)
        assert len(text) == pages and text[-1].endswith(f"第{pages}页共{pages}页")
        assert f"现将{ctx.village_name}" in text[0]
    assert done[1][0] == render_pdf(sheets[1])


def test_year_end_notice_lists_every_subsidy_and_the_total_once() -> None:
    second = dataclasses.replace(payout(3), subsidy="农机购置补贴", slug="njgz")
    ctx = year_context([payout(4), second], VILLAGE, TOWN, COUNTY)
    text = "".join(pdf_pages(render_pdf(ctx)))
    assert ctx.title == "城关镇上溪村2026年度惠民惠农财政补贴资金发放结果公示"
    assert "1.耕地地力保护补贴" in text and "2.农机购置补贴" in text
    assert f"合计7{ctx.total_amount}" in text and text.count("合计") == 1
    assert "340123" not in text  # no ID column on the year-end notice


def test_catalogue_sheet_and_qr_only_with_a_site_address(tmp_path: Path) -> None:
    with_url = dataclasses.replace(COUNTY, site_url="https://www.qingxi.example.cn")
    assert catalogue_context(VILLAGE, TOWN, COUNTY, "villages/chengguan/shangxi/").qr == ""
    ctx = catalogue_context(VILLAGE, TOWN, with_url, "villages/chengguan/shangxi/")
    assert ctx.qr.startswith("data:image/svg+xml")
    text = "".join(pdf_pages(render_pdf(ctx)))
    assert "城关镇上溪村村务公开事项目录" in text and "扫码查看网上公示" in text


def test_changing_one_village_rerenders_only_its_sheets(tmp_path: Path) -> None:
    def jobs(amount: str) -> list[SheetJob]:
        made = [SheetJob(dataclasses.replace(context(3), village_name=f"村{i}"), f"v{i}/a.pdf") for i in range(4)]
        first = made[0].context
        rows = (dataclasses.replace(first.rows[0], amount=amount), *first.rows[1:])
        return [SheetJob(dataclasses.replace(first, rows=rows), made[0].output), *made[1:]]

    first = render_sheets(jobs("1.00"), tmp_path / "site", tmp_path / "cache", workers=2)
    again = render_sheets(jobs("1.00"), tmp_path / "site", tmp_path / "cache", workers=2)
    changed = render_sheets(jobs("2.00"), tmp_path / "site", tmp_path / "cache", workers=2)
    assert (first.rendered, again.rendered, again.cached, changed.rendered, changed.cached) == (4, 0, 4, 1, 3)
