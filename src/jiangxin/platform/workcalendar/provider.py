"""Hands the entered years to the policy core: one small query each time the core needs a year the package lacks.

The core asks only for years outside the package, so ordinary computations never touch the database, and an
entered or corrected year is seen by every process at once (no per-process cache to go stale).
"""

from __future__ import annotations

from jiangxin.policy.workdays import EnteredYear, register_year_provider


def entered_year(year: int) -> EnteredYear | None:
    from jiangxin.platform.workcalendar.models import CalendarYear

    row = CalendarYear.objects.filter(year=year).first()
    return row.as_entered_year() if row is not None else None


def install() -> None:
    register_year_provider(entered_year)
