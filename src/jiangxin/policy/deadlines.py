"""Windows and deadlines: publicity periods, reporting windows, cycle ends.

Counting follows the Civil Code's rules on periods (民法典第二百条–第二百零三条) unless a program's
interpretation says the first day counts:

* when the first day does not count, the period starts on the next day (next working day for working
  days);
* a period of months or years ends on the corresponding day of the final month (the month end when the
  month has no such day);
* ``Window.start`` is the first day COUNTED, ``Window.end`` the last day INCLUDED.

Working-day windows use the official calendar (:mod:`jiangxin.policy.workdays`) and raise
``CalendarYearUnknownError`` for years that are not loaded.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from typing import Any

from jiangxin.policy.outcome import Citation, Trace
from jiangxin.policy.parameters import Duration, DurationUnit
from jiangxin.policy.workdays import add_working_days, next_workday

__all__ = ["Window", "add_months", "add_years", "naming_deadline_check", "window", "year_end"]

_ONE_DAY = dt.timedelta(days=1)


@dataclasses.dataclass(frozen=True, slots=True)
class Window:
    """A period: ``start`` is the first day counted, ``end`` the last day included."""

    start: dt.date
    end: dt.date
    duration: Duration

    def closes_after(self, day: dt.date) -> bool:
        """True once ``day`` is past the window (``day > end``)."""
        return day > self.end

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "duration": self.duration.to_dict()}


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months, clamped to the month end (1-31 + 1 month → 2-28/29)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by ``years`` years; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * years)


def year_end(year: int) -> dt.date:
    """31 December of ``year``."""
    return dt.date(year, 12, 31)


def window(start: dt.date, duration: Duration, *, first_day_counts: bool) -> Window:
    """The window of ``duration`` beginning at ``start``.

    ``first_day_counts``: whether ``start`` itself is day 1. For working days, when it counts but is not
    a working day, the window starts on the next working day.
    """
    amount = duration.amount
    if amount < 1:
        raise ValueError(f"a window needs a duration of at least 1, got {amount} {duration.unit.value}")
    unit = duration.unit
    if unit is DurationUnit.WORKING_DAYS:
        first = next_workday(start) if first_day_counts else add_working_days(start, 1)
        return Window(first, add_working_days(first, amount - 1), duration)
    if unit is DurationUnit.CALENDAR_DAYS:
        first = start if first_day_counts else start + _ONE_DAY
        return Window(first, first + dt.timedelta(days=amount - 1), duration)
    months = amount if unit is DurationUnit.MONTHS else 12 * amount
    corresponding = add_months(start, months)
    if first_day_counts:
        return Window(start, corresponding - _ONE_DAY, duration)
    return Window(start + _ONE_DAY, corresponding, duration)


def naming_deadline_check(planned: dt.date, naming_year: int, trace: Trace, citation: Citation) -> bool:
    """Record whether a naming planned for ``planned`` is done by 31 December of ``naming_year``."""
    deadline = year_end(naming_year)
    return trace.check("naming_by_year_end", citation, planned <= deadline,
                       inputs={"planned": planned, "naming_year": naming_year, "deadline": deadline})
