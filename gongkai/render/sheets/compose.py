"""Each kind of sheet as blocks (title, intro, tables, closing), paginated: the words and the layout.

``compose(ctx)`` is what a sheet template draws: a Layout of pages. The words of a sheet are
chosen here, because their height decides the pages; the templates only draw.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from gongkai.model import Phone

from ..formats import cn_date
from .context import PrintContext, SheetContext, SheetRow
from .flow import Block, paginate
from .grid import Column, Grid, fit, heading_lines
from .page import (
    PAGES,
    SAFETY_PT,
    Layout,
    PageBox,
    closing,
    heading,
    laid_out,
    paragraph,
    table,
    text_block,
    title,
)
from .village import CatalogueContext, CoverContext, YearContext

PHONES_LEAD = "监督举报电话、政策咨询电话："


def compose(ctx: PrintContext) -> Layout:
    """The sheet's pages, for its template."""
    if isinstance(ctx, SheetContext):
        blocks, box = payout_blocks(ctx)
    elif isinstance(ctx, YearContext):
        blocks, box = year_blocks(ctx)
    elif isinstance(ctx, CatalogueContext):
        blocks, box = catalogue_blocks(ctx)
    elif isinstance(ctx, CoverContext):
        blocks, box = cover_blocks(ctx)
    else:
        raise TypeError(f"no layout for {type(ctx).__name__}")
    return laid_out(box, paginate(blocks, box.text_height - SAFETY_PT))


def title_parts(title: str, place: str) -> list[str]:
    """The title as (place, subject), so that a title too long for a line breaks after the place."""
    return [place, title[len(place) :]] if title.startswith(place) and title != place else [title]


# Payout list


PAYOUT_COLUMNS: dict[str, Column] = {
    "number": Column("序号", "centre"),
    "name": Column("户主姓名", "left", wraps=True),
    "group": Column("村民小组", "left", wraps=True),
    "id_number": Column("身份证号", "centre"),
    "bank_card": Column("银行卡号", "centre"),
    "quantity": Column("数量", "right"),
    "rate": Column("标准", "right"),
    "amount": Column("金额（元）", "right"),
    "paid_on": Column("发放日期", "centre"),
    "note": Column("备注", "left", wraps=True, keep=8),
}
OPTIONAL = ("group", "id_number", "bank_card", "quantity", "rate", "paid_on")
"""Columns left out when no row has a value (备注 stays: it is where a committee writes by hand)."""


def payout_blocks(ctx: SheetContext) -> tuple[list[Block], PageBox]:
    box = PAGES[ctx.page_size]
    intro = (
        f"根据{ctx.basis}，现将{ctx.village_name}{ctx.year}年{ctx.subsidy}发放结果公示如下"
        f"（共 {ctx.household_count} 户，发放金额 {ctx.total_amount} 元）："
    )
    rows = [_values(row) for row in ctx.rows]
    keys = [k for k in PAYOUT_COLUMNS if k not in OPTIONAL or any(r[k] for r in rows)]
    labels = dict(zip(("quantity", "rate"), ctx.columns[4:6], strict=True))
    columns = [_labelled(PAYOUT_COLUMNS[k], labels.get(k)) for k in keys]
    total_label = f"合计（{ctx.household_count} 户）"
    span = _span(keys)
    totals = {"quantity": ctx.total_quantity, "amount": ctx.total_amount}
    values = [[r[k] for k in keys] for r in rows]
    total = (total_label, span, [totals.get(k, "") for k in keys[span:]])
    grid = fit(columns, values, box.text_width, box.grid_pt, total=total)
    blocks = [
        title(title_parts(ctx.title, ctx.town_name + ctx.village_name), box),
        text_block(paragraph(intro, box), keep_with_next=True),
        *table(grid, values, total),
        _closing(ctx.notice_start, ctx.notice_end, ctx.objection, ctx.phones, ctx.issuer, ctx.issued, ctx.qr, box),
    ]
    return blocks, box


def _values(row: SheetRow) -> dict[str, str]:
    return {key: str(getattr(row, key)) for key in PAYOUT_COLUMNS}


def _labelled(column: Column, label: str | None) -> Column:
    return column if label is None else Column(label, column.align, column.wraps, column.keep)


def _span(keys: Sequence[str]) -> int:
    """The total row's label covers every column before the first number column."""
    return next(i for i, k in enumerate(keys) if k in ("quantity", "rate", "amount"))


def _closing(
    start: dt.date,
    end: dt.date,
    objection: str,
    phones: Sequence[Phone],
    issuer: str,
    issued: dt.date,
    qr: str,
    box: PageBox,
) -> Block:
    """公示期 and how to object, the phones, the issuer and the date: the same on every payout notice."""
    period = f"公示期：{cn_date(start)}至{cn_date(end)}。{objection}"
    texts = [paragraph(period, box, after_mm=0)]
    numbers = [f"{p.name}：{p.number}" for p in phones]
    if numbers:
        texts.append(paragraph(PHONES_LEAD, box, after_mm=0))
    return closing(texts, numbers, issuer, issued, qr, box)


# Year-end notice


YEAR_KEYS = ("number", "name", "group", "quantity", "rate", "amount", "paid_on", "note")


def year_blocks(ctx: YearContext) -> tuple[list[Block], PageBox]:
    box = PAGES[ctx.page_size]
    intro = (
        f"现将{ctx.village_name}{ctx.year}年度惠民惠农财政补贴资金发放结果公示如下"
        f"（{len(ctx.sections)} 个补贴项目，共 {ctx.household_count} 户次，发放金额 {ctx.total_amount} 元）："
    )
    every = [_values(row) for s in ctx.sections for row in s.rows]
    keys = [k for k in YEAR_KEYS if k not in OPTIONAL or any(r[k] for r in every)]
    span = _span(keys)
    subtotals = [
        (f"小计（{s.households} 户）", span, [s.total_amount if k == "amount" else "" for k in keys[span:]])
        for s in ctx.sections
    ]
    shared = fit(
        [_labelled(PAYOUT_COLUMNS[k], _unit_label(k, ctx.sections[0].unit)) for k in keys],
        [[r[k] for k in keys] for r in every] + _unit_rows(keys, ctx.sections),
        box.text_width,
        box.grid_pt,
        total=max(subtotals, key=lambda t: (len(t[0]), len(t[2][keys[span:].index("amount")]))),
    )
    blocks = [
        title(title_parts(ctx.title, ctx.town_name + ctx.village_name), box),
        text_block(paragraph(intro, box), keep_with_next=True),
    ]
    for number, section in enumerate(ctx.sections, start=1):
        grid = Grid(
            tuple(_labelled(PAYOUT_COLUMNS[k], _unit_label(k, section.unit)) for k in keys),
            shared.widths,
            shared.font_pt,
        )
        rows = [[_values(r)[k] for k in keys] for r in section.rows]
        blocks += [
            heading(f"{number}. {section.subsidy}", box),
            text_block(
                paragraph(f"依据：{section.basis}", box, "basis", size_pt=box.grid_pt, indent=False, after_mm=1),
                keep_with_next=True,
            ),
            *table(grid, rows, subtotals[number - 1]),
        ]
    columns = [Column("补贴项目", "left", wraps=True, keep=20), Column("户数", "right"), Column("金额（元）", "right")]
    lines = [[s.subsidy, str(s.households), s.total_amount] for s in ctx.sections]
    total = ("合计", 1, [str(ctx.household_count), ctx.total_amount])
    if len(ctx.sections) > 1:  # kept with the last rows above: no page holds only the summary and the closing
        summary = heading("汇总", box)
        blocks += [
            Block(summary.kind, summary.height, summary.data, keep_with_next=True, keep_with_prev=True),
            *table(fit(columns, lines, box.text_width, box.grid_pt, total=total), lines, total),
        ]
    blocks += [
        _closing(ctx.notice_start, ctx.notice_end, ctx.objection, ctx.phones, ctx.issuer, ctx.issued, ctx.qr, box),
    ]
    return blocks, box


def _unit_label(key: str, unit: str) -> str | None:
    if key == "quantity":
        return f"数量（{unit}）" if unit else "数量"
    if key == "rate":
        return f"标准（元/{unit}）" if unit else "标准（元）"
    return None


def _unit_rows(keys: Sequence[str], sections: Sequence[Any]) -> list[list[str]]:
    """Rows holding each section's headings, so that the shared widths fit every section's units."""
    found = []
    for section in sections:
        labels = [_unit_label(k, section.unit) or PAYOUT_COLUMNS[k].label for k in keys]
        for line in (0, 1):
            found.append([([*heading_lines(label), "", ""])[line] for label in labels])
    return found


# Village catalogue


CATALOGUE_COLUMNS = (
    Column("序号", "centre"),
    Column("公开事项", "left", wraps=True, keep=20),
    Column("公开依据", "left", wraps=True, keep=20),
    Column("公开时限", "left", wraps=True, keep=14),
    Column("公开主体", "left", wraps=True, keep=14),
    Column("公开渠道", "left", wraps=True, keep=14),
)


def catalogue_blocks(ctx: CatalogueContext) -> tuple[list[Block], PageBox]:
    box = PAGES[ctx.page_size]
    blocks = [title(title_parts(ctx.title, ctx.town_name + ctx.village_name), box)]
    rows = [[i.number, i.item, i.basis, i.deadline, i.body, "、".join(i.channels)] for i in ctx.items]
    if rows:
        grid = fit(CATALOGUE_COLUMNS, rows, box.text_width, box.grid_pt)
        blocks += table(grid, rows, None)
    else:
        blocks.append(text_block(paragraph("尚未编制公开事项目录。", box)))
    numbers = [f"{p.name}：{p.number}" for p in ctx.phones]
    texts = [paragraph(PHONES_LEAD, box, after_mm=0)] if numbers else []
    blocks.append(closing(texts, numbers, ctx.issuer, None, ctx.qr, box))
    return blocks, box


# A bundle's cover


def cover_blocks(ctx: CoverContext) -> tuple[list[Block], PageBox]:
    box = PAGES[ctx.page_size]
    intro = (
        f"{ctx.town_name}共 {ctx.villages} 个村（居），{len(ctx.lines)} 张公示表，{ctx.pages} 页"
        f"（含本目录 {ctx.cover_pages} 页）。页码是本文件的页码，打印时可按页码选印。"
        "请各村（居）民委员会核对后张贴，盖章处加盖公章，公示期内拍照留存。"
    )
    columns = (
        Column("村（居）", "left", wraps=True),
        Column("公示表", "left", wraps=True, keep=30),
        Column("页数", "right"),
        Column("页码", "centre"),
    )
    rows = [[line.village, line.sheet, str(line.pages), line.page_range] for line in ctx.lines]
    grid = fit(columns, rows, box.text_width, box.grid_pt)
    blocks = [title([ctx.title], box), text_block(paragraph(intro, box), keep_with_next=True), *table(grid, rows, None)]
    return blocks, box
