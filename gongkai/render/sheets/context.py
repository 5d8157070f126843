"""The typed context of ``sheets/payout.html``: one payout list, formatted for printing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from gongkai.load.masking import mask_id
from gongkai.model import CountyConfig, PayoutList, PayoutRow, Phone, Town, Village
from gongkai.model.config import PAPERS

from ..formats import format_amount, format_number
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
    """``城关镇上溪村2026年耕地地力保护补贴发放结果公示``: the town and the village once."""
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


def sheet_context(
    payout: PayoutList, village: Village, town: Town, county: CountyConfig, page_url: str = ""
) -> SheetContext:
    """The context of one payout list's notice sheet; page_url is the village page's site URL."""
    unit = payout.unit or ""
    quantities = [row.quantity for row in payout.rows if row.quantity is not None]
    return SheetContext(
        title=f"{town.name}{village.name}{payout.title}",
        subsidy=payout.subsidy,
        year=payout.year,
        village_name=village.name,
        town_name=town.name,
        county_name=county.name,
        issuer=village.issuer,
        basis=payout.basis,
        unit=unit,
        columns=column_labels(unit),
        rows=sheet_rows(payout.rows),
        total_quantity=format_number(sum(quantities, Decimal(0)), places(quantities)) if quantities else "",
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


def sheet_rows(rows: Sequence[PayoutRow]) -> tuple[SheetRow, ...]:
    """The formatted rows; quantities and rates with the same decimals down each column."""
    quantity = places([r.quantity for r in rows if r.quantity is not None])
    rate = places([r.rate for r in rows if r.rate is not None])
    return tuple(sheet_row(number, row, quantity, rate) for number, row in enumerate(rows, start=1))


def places(values: Sequence[Decimal]) -> int:
    """Decimals to print a column with: as many as its most precise value, and two rather than one."""
    found = max((max(0, -int(v.normalize().as_tuple().exponent)) for v in values if v.is_finite()), default=0)
    return 2 if found == 1 else min(found, 4)


def sheet_row(number: int, row: PayoutRow, quantity_places: int = 2, rate_places: int = 2) -> SheetRow:
    """One formatted table row; the ID number is masked again in case the loader missed it."""
    return SheetRow(
        number=number,
        name=row.name,
        group=row.group or "",
        id_number=printed_id(row.id_number or ""),
        quantity="" if row.quantity is None else format_number(row.quantity, quantity_places),
        rate="" if row.rate is None else format_number(row.rate, rate_places),
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
