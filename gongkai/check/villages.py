"""Checks on towns, villages and payout lists."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from ..errors import Problem
from ..model import County, PayoutList, PayoutRow

MIN_NOTICE_DAYS = 7
TOLERANCE = Decimal("0.01")


def check_villages(county: County) -> Iterator[Problem]:
    """Payout lists: notice period long enough, amounts add up, households not listed twice."""
    for payout in county.payouts:
        yield from _notice_period(payout)
        yield from payout.facts.findings if payout.facts is not None else row_problems(payout.rows)


def row_problems(rows: Sequence[PayoutRow]) -> tuple[Problem, ...]:
    """What the rows of one payout list show by themselves: amounts, then households listed twice. The loader
    keeps them with the rows' cache entry (``PayoutFacts.findings``), so an unchanged table's rows are not read."""
    return (*_amounts(rows), *_duplicates(rows))


def _notice_period(payout: PayoutList) -> Iterator[Problem]:
    days = (payout.notice_end - payout.notice_start).days + 1
    if days < MIN_NOTICE_DAYS:
        yield Problem(
            payout.origin.path,
            payout.origin.line_of("公示结束"),
            "公示结束",
            f"公示期只有 {days} 天（{payout.notice_start} 至 {payout.notice_end}）",
            f"公示期至少 {MIN_NOTICE_DAYS} 天，请推迟公示结束日期",
        )


def _amounts(rows: Sequence[PayoutRow]) -> Iterator[Problem]:
    for row in rows:
        if row.amount != row.amount.quantize(TOLERANCE):
            yield Problem(
                row.origin.path,
                row.origin.line,
                "金额",
                f"金额 {row.amount} 超过两位小数",
                "金额以元为单位，保留到分（两位小数）",
            )
        if row.quantity is None or row.rate is None:
            continue
        expected = (row.quantity * row.rate).quantize(TOLERANCE)
        if abs(expected - row.amount) > TOLERANCE:
            yield Problem(
                row.origin.path,
                row.origin.line,
                "金额",
                f"金额 {row.amount} 不等于 数量 {row.quantity} × 标准 {row.rate} = {expected}",
                "请核对数量、标准和金额",
            )


def _duplicates(rows: Sequence[PayoutRow]) -> Iterator[Problem]:
    seen: dict[tuple[str, str | None, str | None], int | None] = {}
    for row in rows:
        key = (row.name, row.group, row.id_number)
        if key in seen:
            yield Problem(
                row.origin.path,
                row.origin.line,
                "户主姓名",
                f"「{row.name}」与第 {seen[key]} 行重复（同名、同组、同证件号）",
                "同一户只列一次，请删除重复行",
            )
        seen.setdefault(key, row.origin.line)
