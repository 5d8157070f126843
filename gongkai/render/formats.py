"""How every rendering stage writes dates and money, so the web, the exports and the sheets agree."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cn_date(value: dt.date) -> str:
    """A date in Arabic numerals, as on official documents: ``2026年6月3日``."""
    return f"{value.year}年{value.month}月{value.day}日"


def format_amount(value: Decimal) -> str:
    """Yuan with two decimals and thousands separators: ``1,234.50`` (half up, as on paper)."""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def format_number(value: Decimal, places: int | None = None) -> str:
    """A quantity or rate with thousands separators, without exponent: ``5.20``, ``110``.

    With places, exactly so many decimals (half up), so that a column reads the same whether the
    source was a CSV (「103.50」) or an Excel number (103.5); without, as written in the source."""
    if places is None:
        return f"{value:,f}"
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,.{places}f}"
