"""Windows and deadlines: calendar days, working days, months and years; the year-end naming check."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiangxin.policy.deadlines import Window, add_months, add_years, naming_deadline_check, window, year_end
from jiangxin.policy.outcome import Trace, cite
from jiangxin.policy.parameters import Duration, DurationUnit

D = dt.date
WD5 = Duration(5, DurationUnit.WORKING_DAYS, at_least=True)


def test_five_working_days_first_day_counts_over_national_day():
    w = window(D(2025, 9, 29), WD5, first_day_counts=True)
    assert (w.start, w.end) == (D(2025, 9, 29), D(2025, 10, 11))  # 29, 30, 9, 10, 11 (Saturday worked)


def test_five_working_days_first_day_not_counted():
    w = window(D(2025, 9, 29), WD5, first_day_counts=False)
    assert (w.start, w.end) == (D(2025, 9, 30), D(2025, 10, 13))


def test_working_days_window_starting_on_a_holiday_starts_on_the_next_workday():
    w = window(D(2026, 2, 16), WD5, first_day_counts=True)
    assert w.start == D(2026, 2, 24)
    assert w.end == D(2026, 2, 28)  # 24, 25, 26, 27, 28 (Saturday worked)


def test_calendar_days_window():
    seven = Duration(7, DurationUnit.CALENDAR_DAYS)
    assert window(D(2025, 3, 1), seven, first_day_counts=True).end == D(2025, 3, 7)
    w = window(D(2025, 3, 1), seven, first_day_counts=False)
    assert (w.start, w.end) == (D(2025, 3, 2), D(2025, 3, 8))


def test_months_and_years_end_on_the_corresponding_day():
    one_month = Duration(1, DurationUnit.MONTHS)
    assert window(D(2025, 1, 31), one_month, first_day_counts=False).end == D(2025, 2, 28)
    assert window(D(2025, 1, 15), one_month, first_day_counts=True).end == D(2025, 2, 14)
    three_years = Duration(3, DurationUnit.YEARS)
    w = window(D(2025, 12, 20), three_years, first_day_counts=True)
    assert (w.start, w.end) == (D(2025, 12, 20), D(2028, 12, 19))


def test_window_closes_after_its_last_day():
    w = Window(D(2025, 5, 6), D(2025, 5, 12), WD5)
    assert w.closes_after(D(2025, 5, 12)) is False
    assert w.closes_after(D(2025, 5, 13)) is True
    assert w.contains(D(2025, 5, 6)) and not w.contains(D(2025, 5, 5))


def test_zero_duration_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        window(D(2025, 5, 6), Duration(0, DurationUnit.CALENDAR_DAYS), first_day_counts=True)


def test_add_months_clamps_to_month_end():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2025, 3, 31), -1) == D(2025, 2, 28)
    assert add_months(D(2025, 11, 15), 14) == D(2027, 1, 15)
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)
    assert year_end(2025) == D(2025, 12, 31)


@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2090, 12, 31)), st.integers(min_value=-600, max_value=600))
def test_add_months_lands_in_the_right_month(day, months):
    moved = add_months(day, months)
    assert moved.year * 12 + moved.month == day.year * 12 + day.month + months
    assert moved.day <= day.day


def test_naming_deadline_check_records_31_december():
    citation = cite("nanchang_academy", "第十二条")
    trace = Trace()
    assert naming_deadline_check(D(2025, 12, 31), 2025, trace, citation) is True
    assert naming_deadline_check(D(2026, 1, 2), 2025, trace, citation) is False
    assert [s.passed for s in trace.steps] == [True, False]
    assert trace.steps[1].inputs is not None and trace.steps[1].inputs["deadline"] == D(2025, 12, 31)
