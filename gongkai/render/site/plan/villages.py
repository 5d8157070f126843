"""The 村务公开 pages: every town, every village with its payout lists, and the list of towns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ....model import County, PayoutList, Village
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
    lines = (
        tuple(
            PayoutLine(r.name, r.group or "", "" if r.quantity is None else f"{r.quantity:,f}", format_amount(r.amount))
            for r in payout.rows
        )
        if shown
        else ()
    )
    return PayoutSummary(
        payout.title,
        payout.notice_start,
        payout.notice_end,
        status,
        len(payout.rows),
        format_amount(payout.total),
        urls.sheet(payout) if shown else None,
        until,
        lines,
        payout.unit or "",
    )
