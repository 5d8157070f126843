"""The typed context of ``sheets/payout.html``: one payout list, formatted for printing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from gongkai.load.masking import mask_id
from gongkai.model import CountyConfig, PayoutList, PayoutRow, Phone, Town, Village
from gongkai.model.config import PAPERS

from ..formats import format_amount, format_number
from .grid import PAGES, PT_PER_MM, TITLE_PT, Align, Column, Grid, layout_grid, text_lines
from .qr import qr_data_uri

PAGE_SIZES = ("A4", "A4 landscape", "A3 landscape")
"""The page sizes a sheet may use; wide tables go landscape (GB/T 9704)."""
PAPER_SIZES = dict(zip(PAPERS, PAGE_SIZES, strict=True))
"""The 纸张 a clerk writes (A4竖向 …) → its CSS page size."""


class PrintContext(Protocol):
    """Any dataclass the sheet machinery prints: its template under sheets/, its date (the PDF's dates)."""

    __dataclass_fields__: ClassVar[dict[str, Any]]
    template: ClassVar[str]

    @property
    def issued(self) -> dt.date: ...


@dataclass(frozen=True, kw_only=True)
class SheetRow:
    """One table row, every cell already formatted; optional cells are "", the amount never is."""

    number: int
    name: str
    group: str
    id_number: str
    """Masked: first 6 and last 4 characters kept."""
    quantity: str
    rate: str
    amount: str
    """Two decimals, thousands separated: ``1,234.50``."""
    paid_on: str
    """ISO, ``2026-06-30``: the 年月日 form does not fit a portrait table."""
    note: str
    bank_card: str = ""
    """Masked: only the last 4 digits; printed only when the list has card numbers."""


@dataclass(frozen=True, kw_only=True)
class SheetContext:
    """Everything printed on one notice sheet; the template adds words and layout only."""

    template: ClassVar[str] = "payout.html"

    title: str
    """``上溪村2026年耕地地力保护补贴发放结果公示``."""
    subsidy: str
    year: int
    village_name: str
    town_name: str
    county_name: str
    issuer: str
    """The body that signs and seals the sheet, e.g. ``上溪村民委员会``."""
    basis: str
    """The basis document(s), printed as 「根据{basis}，……」."""
    unit: str
    """Unit of the quantity column (「亩」), or ""."""
    columns: tuple[str, ...]
    """The nine column headings, in the order of the SheetRow fields."""
    rows: tuple[SheetRow, ...]
    total_quantity: str
    """The sum of the quantities, or "" when no row has one."""
    total_amount: str
    household_count: int
    notice_start: dt.date
    notice_end: dt.date
    issued: dt.date
    objection: str
    """How to object, one sentence."""
    phones: tuple[Phone, ...]
    """监督举报 and 政策咨询 lines: the payout list's, then the village's and the town's."""
    page_size: str = "A4"
    """One of PAGE_SIZES."""
    show_bank: bool = False
    """Whether the table has the 银行卡号 column (masked; the web never shows it)."""
    qr: str = ""
    """The QR code of the village's page as an SVG data URI, or "" without the county's 网站地址."""

    def __post_init__(self) -> None:
        if self.page_size not in PAGE_SIZES:
            raise ValueError(f"page_size must be one of {PAGE_SIZES}, not {self.page_size!r}")

    def grid(self) -> Grid:
        """The table laid out as a monospace grid in page chunks (see grid.py); payout.html prints it."""
        aligns: tuple[Align, ...] = ("centre", "left", "left", "centre", "right", "right", "right", "centre", "left")
        columns = [Column(label, align, align == "left") for label, align in zip(self.columns, aligns, strict=True)]
        rows = [
            [str(r.number), r.name, r.group, r.id_number, r.quantity, r.rate, r.amount, r.paid_on, r.note]
            for r in self.rows
        ]
        span = 4
        if self.show_bank:
            columns.insert(4, Column("银行卡号", "centre", False))
            for row, source in zip(rows, self.rows, strict=True):
                row.insert(4, source.bank_card)
            span = 5
        label = f"合计（{self.household_count} 户）"
        total = (label, span, [self.total_quantity, "", self.total_amount, "", ""])
        return layout_grid(
            columns,
            rows,
            total,
            page_size=self.page_size,
            first_page_used_pt=self._heading_pt(),
            last_page_used_pt=self._closing_pt(),
        )

    def _heading_pt(self) -> float:
        """A generous estimate of the height of the title and the intro (sheet.css)."""
        box = PAGES[self.page_size]
        width = box.width_mm * PT_PER_MM
        title = text_lines(self.title, TITLE_PT, width)
        if title > 1 and self.title.startswith(self.village_name):  # it breaks after the village name
            title = text_lines(self.village_name, TITLE_PT, width) + text_lines(self.title, TITLE_PT, width)
        intro = (
            f"根据{self.basis}，现将{self.village_name}{self.year}年{self.subsidy}发放结果公示如下"
            f"（共 {self.household_count} 户，发放金额 {self.total_amount} 元）："
        )
        lines = text_lines(intro, box.body_pt, width, indent_pt=2 * box.body_pt)
        return title * TITLE_PT * 1.4 + 6 * PT_PER_MM + lines * box.body_pt * 1.5 + 4 * PT_PER_MM

    def _closing_pt(self) -> float:
        """A generous estimate of the closing block: notice period, objection, phones and signature."""
        box = PAGES[self.page_size]
        width = box.width_mm * PT_PER_MM
        indent = 2 * box.body_pt
        lines = 1 + text_lines(self.objection, box.body_pt, width, indent) + 1  # 公示期 and objection
        if self.phones:
            lines += 1 + sum(
                text_lines(f"{p.name}：{p.number}", box.body_pt, width - 4 * box.body_pt) for p in self.phones
            )
        signature = 6 + 14 + 8 + (25 if self.qr else 0)  # mm: margin, the seal's room, the QR code
        return 4 * PT_PER_MM + lines * box.body_pt * 1.5 + signature * PT_PER_MM + 2 * box.body_pt * 1.5


def sheet_context(
    payout: PayoutList, village: Village, town: Town, county: CountyConfig, page_url: str = ""
) -> SheetContext:
    """The context of one payout list's notice sheet; page_url is the village page's site URL."""
    unit = payout.unit or ""
    quantities = [row.quantity for row in payout.rows if row.quantity is not None]
    return SheetContext(
        title=f"{village.name}{payout.title}",
        subsidy=payout.subsidy,
        year=payout.year,
        village_name=village.name,
        town_name=town.name,
        county_name=county.name,
        issuer=village.issuer,
        basis=payout.basis,
        unit=unit,
        columns=column_labels(unit),
        rows=tuple(sheet_row(number, row) for number, row in enumerate(payout.rows, start=1)),
        total_quantity=format_number(sum(quantities, Decimal(0))) if quantities else "",
        total_amount=format_amount(payout.total),
        household_count=len(payout.rows),
        notice_start=payout.notice_start,
        notice_end=payout.notice_end,
        issued=payout.issued,
        objection=payout.objection,
        phones=unique_phones(payout.phones + village.phones + town.phones),
        page_size=PAPER_SIZES[payout.paper or village.paper or county.paper],
        show_bank=any(row.bank_card for row in payout.rows),
        qr=page_qr(county, page_url),
    )


def page_qr(county: CountyConfig, page_url: str) -> str:
    """The QR code of a page of the site, or "" when the county has no 网站地址 or there is no page."""
    if not county.site_url or not page_url:
        return ""
    return qr_data_uri(county.site_url.rstrip("/") + "/" + page_url)


def column_labels(unit: str) -> tuple[str, ...]:
    """The table headings; the unit goes into the quantity and rate headings."""
    quantity = f"数量（{unit}）" if unit else "数量"
    rate = f"标准（元/{unit}）" if unit else "标准（元）"
    return ("序号", "户主姓名", "村民小组", "身份证号", quantity, rate, "金额（元）", "发放日期", "备注")


def sheet_row(number: int, row: PayoutRow) -> SheetRow:
    """One formatted table row; the ID number is masked again in case the loader missed it."""
    return SheetRow(
        number=number,
        name=row.name,
        group=row.group or "",
        id_number=printed_id(row.id_number or ""),
        quantity="" if row.quantity is None else format_number(row.quantity),
        rate="" if row.rate is None else format_number(row.rate),
        amount=format_amount(row.amount),
        paid_on="" if row.paid_on is None else row.paid_on.isoformat(),
        note=row.note or "",
        bank_card=printed_bank(row.bank_card or ""),
    )


def printed_bank(value: str) -> str:
    """A bank card as printed: the last 4 digits only, whatever the source kept."""
    digits = [c for c in value if c.isdigit()]
    return "" if not value else "****" + "".join(digits[-4:])


def unique_phones(phones: tuple[Phone, ...]) -> tuple[Phone, ...]:
    """The phones in order, each number once."""
    seen: dict[str, Phone] = {}
    for phone in phones:
        seen.setdefault(phone.number, phone)
    return tuple(seen.values())


def printed_id(value: str) -> str:
    """The ID number as printed: masked again unless it already carries the mask."""
    return value if not value or "*" in value else mask_id(value)
