"""The contexts of a village's other sheets: the year-end payout notice, the 公开事项目录, a bundle's cover."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from gongkai.model import CountyConfig, PayoutList, Phone, Town, Village, VillageItem

from ..formats import format_amount
from .context import PAPER_SIZES, SheetRow, page_qr, sheet_rows, unique_phones

YEAR_OBJECTION = "如有异议，请在公示期内向村民委员会或乡镇人民政府反映，也可拨打下列电话。"


@dataclass(frozen=True, kw_only=True)
class YearSection:
    """One subsidy of the year-end notice: its own table and subtotal."""

    subsidy: str
    basis: str
    unit: str
    rows: tuple[SheetRow, ...]
    """Formatted as on the subsidy's own sheet; the year-end table leaves out ID and card numbers."""
    households: int
    total_amount: str


@dataclass(frozen=True, kw_only=True)
class YearContext:
    """year.html: 「××村××年度惠民惠农财政补贴资金发放结果公示」, every subsidy of the year in one notice."""

    template: ClassVar[str] = "year.html"

    title: str
    village_name: str
    town_name: str
    year: int
    issuer: str
    sections: tuple[YearSection, ...]
    """One per subsidy, in the order of the lists' notice periods."""
    household_count: int
    """Rows over all subsidies (a household with two subsidies counts twice)."""
    total_amount: str
    notice_start: dt.date
    notice_end: dt.date
    issued: dt.date
    objection: str
    phones: tuple[Phone, ...]
    page_size: str = "A4"
    qr: str = ""


@dataclass(frozen=True, kw_only=True)
class CatalogueContext:
    """catalogue.html: the village's 村（居）务公开事项目录, to post beside the notices."""

    template: ClassVar[str] = "catalogue.html"

    title: str
    village_name: str
    town_name: str
    issuer: str
    items: tuple[VillageItem, ...]
    phones: tuple[Phone, ...]
    page_size: str = "A4 landscape"
    """Seven columns of text: always landscape."""
    qr: str = ""
    issued: dt.date = dt.date(2000, 1, 1)
    """Not printed (a catalogue stands until replaced); the PDF's date, fixed so bytes follow content."""


@dataclass(frozen=True, kw_only=True)
class CoverLine:
    """One sheet in a print bundle's cover list."""

    village: str
    sheet: str
    pages: int
    first_page: int
    """The page of the bundle (cover pages counted) where the sheet begins: what a print dialog calls it."""

    @property
    def page_range(self) -> str:
        """「5」 or 「5–7」."""
        last = self.first_page + self.pages - 1
        return str(self.first_page) if last == self.first_page else f"{self.first_page}–{last}"


@dataclass(frozen=True, kw_only=True)
class CoverContext:
    """cover.html: the first pages of a town's print bundle, listing every sheet and its pages."""

    template: ClassVar[str] = "cover.html"

    title: str
    town_name: str
    year: int
    villages: int
    lines: tuple[CoverLine, ...]
    pages: int
    """Pages of the whole bundle, the cover included."""
    cover_pages: int = 1
    issued: dt.date
    """The day the bundle was made (the build date)."""
    page_size: str = "A4"


def year_context(
    lists: Sequence[PayoutList], village: Village, town: Town, county: CountyConfig, page_url: str = ""
) -> YearContext:
    """The year-end notice of one village over its lists of one year (at least one)."""
    ordered = sorted(lists, key=lambda p: (p.notice_start, p.slug))
    sections = tuple(_section(p) for p in ordered)
    total = sum((p.total for p in ordered), Decimal(0))
    return YearContext(
        title=f"{town.name}{village.name}{ordered[0].year}年度惠民惠农财政补贴资金发放结果公示",
        village_name=village.name,
        town_name=town.name,
        year=ordered[0].year,
        issuer=village.issuer,
        sections=sections,
        household_count=sum(s.households for s in sections),
        total_amount=format_amount(total),
        notice_start=max(p.notice_start for p in ordered),
        notice_end=max(p.notice_end for p in ordered),
        issued=max(p.issued for p in ordered),
        objection=YEAR_OBJECTION,
        phones=unique_phones(tuple(ph for p in ordered for ph in p.phones) + village.phones + town.phones),
        page_size=PAPER_SIZES[village.paper or county.paper],
        qr=page_qr(county, page_url),
    )


def _section(payout: PayoutList) -> YearSection:
    return YearSection(
        subsidy=payout.subsidy,
        basis=payout.basis,
        unit=payout.unit or "",
        rows=sheet_rows(payout.rows),
        households=len(payout.rows),
        total_amount=format_amount(payout.total),
    )


def affairs(name: str) -> str:
    """「村务」 for a village, 「居务」 for a residents' community (社区, 居委会)."""
    return "居务" if name.endswith(("社区", "居委会", "居")) else "村务"


def catalogue_context(village: Village, town: Town, county: CountyConfig, page_url: str = "") -> CatalogueContext:
    """The 公开事项目录 sheet of one village."""
    return CatalogueContext(
        title=f"{town.name}{village.name}{affairs(village.name)}公开事项目录",
        village_name=village.name,
        town_name=town.name,
        issuer=village.issuer,
        items=village.items,
        phones=unique_phones(village.phones + town.phones),
        qr=page_qr(county, page_url),
    )
