"""The 村务公开 pages: every town, every village with its payout lists, and the list of towns."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Sequence
from typing import overload

from ....model import County, PayoutList, PayoutRow, Village
from ...formats import format_amount
from .. import urls
from ..contexts import Link, PayoutLine, PayoutSummary, TownContext, VillageContext, VillagesContext
from .common import Planned, PlannedPage


def villages(county: County, today: dt.date) -> Iterator[PlannedPage]:
    """Each town's page, each village's page with its payout lists, and the list of towns."""
    by_town: dict[str, list[Village]] = {t.code: [] for t in county.towns}
    for village in county.villages:
        by_town.setdefault(village.town, []).append(village)
    payouts: dict[tuple[str, str], list[PayoutList]] = {}
    for payout in county.payouts:
        payouts.setdefault((payout.town, payout.village), []).append(payout)
    towns = []
    for town in county.towns:
        links = tuple(Link(v.name, urls.village(v)) for v in by_town[town.code])
        towns.append((Link(town.name, urls.town(town)), links))
        yield urls.town(town), Planned(town.name, "town.html", TownContext(town, links)), town.origin.path
        for village in by_town[town.code]:
            lists = payouts.get((town.code, village.code), [])
            keep = county.config.keep_days
            context = VillageContext(
                village,
                Link(town.name, urls.town(town)),
                village.items,
                village.phones + town.phones,
                tuple(_summary(p, today, keep) for p in lists),
                urls.village(village) + urls.CATALOGUE_SHEET,
            )
            title = f"{town.name}{village.name}"
            yield urls.village(village), Planned(title, "village.html", context, True), village.origin.path
    yield urls.VILLAGES, Planned("村（居）务公开", "villages.html", VillagesContext(tuple(towns))), "villages/"


class PayoutLines(Sequence[PayoutLine]):
    """A payout list's households as its village page shows them, made only when the page is rendered: the
    page's key takes them by ``source`` (the load cache's name of the table's rows, load/cache.py: the hash of
    the table's bytes, its path and gongkai's code, which with the formatting code in every page's key decides
    every line), so a build that reuses the page never reads the rows (county scale: 57 000 rows shown)."""

    __slots__ = ("_lines", "_made", "size", "source")

    def __init__(self, made: Callable[[], tuple[PayoutLine, ...]], size: int, source: str) -> None:
        self._made: Callable[[], tuple[PayoutLine, ...]] | None = made
        self._lines: tuple[PayoutLine, ...] | None = None
        self.size, self.source = size, source

    def _loaded(self) -> tuple[PayoutLine, ...]:
        if self._lines is None:
            assert self._made is not None
            self._lines, self._made = self._made(), None
        return self._lines

    def __len__(self) -> int:
        return self.size  # one line a row: known without the rows

    @overload
    def __getitem__(self, index: int) -> PayoutLine: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[PayoutLine, ...]: ...
    def __getitem__(self, index: int | slice) -> PayoutLine | tuple[PayoutLine, ...]:
        return self._loaded()[index]

    def __iter__(self) -> Iterator[PayoutLine]:
        return iter(self._loaded())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PayoutLines):
            return self.source == other.source if self.source and other.source else self._loaded() == other._loaded()
        return self._loaded() == other if isinstance(other, tuple) else NotImplemented

    def __hash__(self) -> int:
        return hash(self.source or self._loaded())

    def __repr__(self) -> str:
        return f"PayoutLines({self.source!r}, {self.size})"


def _lines(rows: Sequence[PayoutRow]) -> tuple[PayoutLine, ...]:
    """The households as the village page shows them: never an ID, card or phone number."""
    return tuple(
        PayoutLine(r.name, r.group or "", "" if r.quantity is None else f"{r.quantity:,f}", format_amount(r.amount))
        for r in rows
    )


def _summary(payout: PayoutList, today: dt.date, keep_days: int = 30) -> PayoutSummary:
    """Names and the PDF from the first day of the 公示期 until keep_days after it; totals always."""
    if today < payout.notice_start:
        status = "未开始公示"
    elif today <= payout.notice_end:
        status = "公示中"
    else:
        status = "公示期已结束"
    until = payout.notice_end + dt.timedelta(days=keep_days)
    shown = payout.notice_start <= today <= until
    lines: Sequence[PayoutLine] = ()
    if shown and payout.rows_key:  # made when the page is rendered, not when its key is (the rows unread)
        lines = PayoutLines(functools.partial(_lines, payout.rows), payout.households, payout.rows_key)
    elif shown:
        lines = _lines(payout.rows)
    return PayoutSummary(
        payout.title,
        payout.notice_start,
        payout.notice_end,
        status,
        payout.households,
        format_amount(payout.total),
        urls.sheet(payout) if shown else None,
        until,
        lines,
        payout.unit or "",
    )
