"""Working days: weekends skipped, public holidays and swapped working days from county.yml."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days in this county's calendar."""

    holidays: frozenset[dt.date] = frozenset()
    extra_workdays: frozenset[dt.date] = frozenset()

    def is_working_day(self, day: dt.date) -> bool:
        """A weekday that is not a holiday, or a weekend day declared a working day."""
        if day in self.extra_workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def working_days_after(self, start: dt.date, end: dt.date) -> int:
        """How many working days lie after ``start`` up to and including ``end`` (0 if end ≤ start)."""
        days, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            days += self.is_working_day(day)
        return days

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The date ``count`` working days after ``start``."""
        day = start
        while count > 0:
            day += dt.timedelta(days=1)
            count -= self.is_working_day(day)
        return day
