"""Official working-day calendar: holiday notices for 2025 and 2026, make-up workdays, unknown years."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiangxin.policy.errors import CalendarYearUnknownError, ParameterError
from jiangxin.policy.workdays import (
    WorkdayCalendar,
    add_working_days,
    calendar_citation,
    default_calendar,
    is_workday,
    known_years,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize("day", [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)])
def test_holiday_notice_2025_make_up_workdays_are_working_days(day):
    assert day.weekday() >= 5
    assert is_workday(day) is True


@pytest.mark.parametrize("day", [D(2025, 10, d) for d in range(1, 9)])
def test_holiday_notice_2025_national_day_and_mid_autumn_1_to_8_october_are_off(day):
    assert is_workday(day) is False


def test_holiday_notice_2025_spring_festival_28_january_to_4_february():
    assert [is_workday(D(2025, 1, 28) + dt.timedelta(days=i)) for i in range(8)] == [False] * 8
    assert is_workday(D(2025, 2, 5)) is True
    assert is_workday(D(2025, 1, 27)) is True


def test_holiday_notice_2026_spring_festival_15_to_23_february_with_two_saturdays_worked():
    assert all(not is_workday(D(2026, 2, d)) for d in range(15, 24))
    assert is_workday(D(2026, 2, 14)) is True   # Saturday, make-up workday
    assert is_workday(D(2026, 2, 28)) is True   # Saturday, make-up workday
    assert is_workday(D(2026, 2, 24)) is True
    assert is_workday(D(2026, 1, 4)) is True    # Sunday after New Year's Day
    assert is_workday(D(2026, 1, 2)) is False


def test_ordinary_weekends_and_weekdays():
    assert is_workday(D(2025, 3, 15)) is False  # Saturday
    assert is_workday(D(2025, 3, 17)) is True   # Monday


def test_unknown_year_2027_raises_naming_the_year():
    with pytest.raises(CalendarYearUnknownError) as err:
        is_workday(D(2027, 3, 1))
    assert err.value.year == 2027
    assert "2027" in str(err.value)


def test_counting_into_an_unknown_year_raises():
    with pytest.raises(CalendarYearUnknownError, match="2027"):
        add_working_days(D(2026, 12, 28), 10)
    with pytest.raises(CalendarYearUnknownError, match="2003"):
        add_working_days(D(2004, 1, 2), -5)
    with pytest.raises(CalendarYearUnknownError, match="2027"):
        working_days_between(D(2026, 12, 1), D(2027, 1, 5))


def test_package_years_are_2004_to_2026():
    assert known_years()[0] == 2004
    assert known_years()[-1] == 2026


def test_add_working_days_skips_the_national_day_holiday():
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)   # Sunday worked
    assert add_working_days(D(2025, 9, 26), 5) == D(2025, 10, 10)  # 28, 29, 30, 9, 10


def test_add_working_days_crosses_the_year_into_a_sunday_make_up_day():
    assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 4)
    assert add_working_days(D(2026, 1, 5), -2) == D(2025, 12, 31)
    assert add_working_days(D(2025, 6, 3), 0) == D(2025, 6, 3)


def test_working_days_between_counts_both_ends():
    assert working_days_between(D(2025, 1, 1), D(2025, 12, 31)) == 248
    assert working_days_between(D(2026, 1, 1), D(2026, 12, 31)) == 248
    assert working_days_between(D(2025, 9, 29), D(2025, 10, 10)) == 4   # 29, 30, 9, 10
    assert working_days_between(D(2025, 9, 29), D(2025, 10, 11)) == 5   # Saturday 11 worked
    assert working_days_between(D(2025, 10, 1), D(2025, 10, 8)) == 0
    assert working_days_between(D(2025, 10, 9), D(2025, 10, 9)) == 1
    assert working_days_between(D(2025, 10, 10), D(2025, 10, 9)) == 0


def test_calendar_citation_names_the_year():
    c = calendar_citation(2025)
    assert c.document == "holiday_notice"
    assert "2025" in c.article
    assert default_calendar().citation(2026).article.startswith("2026")


@given(st.dates(min_value=D(2004, 3, 1), max_value=D(2026, 10, 31)), st.integers(min_value=1, max_value=40))
def test_add_then_count_round_trips(start, n):
    end = add_working_days(start, n)
    assert is_workday(end)
    assert working_days_between(start + dt.timedelta(days=1), end) == n
    assert add_working_days(end, -n) <= start


EXTRA = """
years:
  2027:
    notice: 国办发明电〔2026〕99号
    holidays: [2027-01-01, 2027-02-06, 2027-02-07, 2027-02-08, 2027-02-09, 2027-02-10, 2027-02-11]
    workdays: [2027-02-13]
"""


def test_office_adds_a_year_as_data(tmp_path: Path):
    path = tmp_path / "calendar-extra.yaml"
    path.write_text(EXTRA, encoding="utf-8")
    cal = WorkdayCalendar.from_sources(path)
    assert cal.is_workday(D(2027, 2, 8)) is False   # Monday, holiday
    assert cal.is_workday(D(2027, 2, 13)) is True   # Saturday, make-up
    assert cal.is_workday(D(2027, 2, 12)) is True
    assert cal.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert cal.citation(2027).clause == "（国办发明电〔2026〕99号）"
    with pytest.raises(CalendarYearUnknownError, match="2028"):
        cal.is_workday(D(2028, 1, 3))


@pytest.mark.parametrize(("body", "message"), [
    ("years: {2027: {holidays: [2027-01-01]}}", "notice"),
    ("years: {2027: {notice: x, holidays: [2028-01-01]}}", "not in 2027"),
    ("years: {2027: {notice: x, holidays: [2027-01-01], workdays: [2027-01-01]}}", "both"),
    ("years: {2027: {notice: x, holidays: [2027-01-01], workdays: [2027-02-10]}}", "weekday"),
    ("years: {2027: {notice: x, holidays: [not-a-date]}}", "YYYY-MM-DD"),
])
def test_malformed_office_calendar_is_rejected(tmp_path: Path, body, message):
    path = tmp_path / "calendar-extra.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ParameterError, match=message):
        WorkdayCalendar.from_sources(path)


def test_shipped_extra_file_loads():
    assert default_calendar().year(2025).source == "chinesecalendar"


# ---- years entered by the office (the platform's provider) ---------------------------------------------------

def _entered(year: int, holidays: list[dt.date], workdays: list[dt.date], notice: str = "测试通知") -> Any:
    from jiangxin.policy.workdays import EnteredYear

    return EnteredYear(year, frozenset(holidays), frozenset(workdays), notice)


def test_holiday_notice_entered_year_is_used_for_a_year_the_package_lacks() -> None:
    from jiangxin.policy.workdays import register_year_provider

    entry = _entered(2027, [dt.date(2027, 1, 1), dt.date(2027, 1, 2), dt.date(2027, 1, 3)], [])
    register_year_provider(lambda year: entry if year == 2027 else None)
    assert add_working_days(dt.date(2026, 12, 28), 5) == dt.date(2027, 1, 5)
    assert default_calendar().year(2027).source == "platform"
    with pytest.raises(CalendarYearUnknownError):
        is_workday(dt.date(2028, 1, 3))


def test_holiday_notice_entered_year_never_overrides_a_package_year() -> None:
    from jiangxin.policy.workdays import register_year_provider

    asked: list[int] = []
    register_year_provider(lambda year: asked.append(year) or _entered(year, [dt.date(year, 3, 2)], []))
    assert is_workday(dt.date(2026, 3, 2)) and asked == []


@pytest.mark.parametrize(("holidays", "workdays", "problem"), [
    ([dt.date(2027, 1, 1)], [dt.date(2027, 1, 4)], "is a weekday"),
    ([dt.date(2026, 12, 31)], [], "is not in 2027"),
    ([dt.date(2027, 1, 2)], [dt.date(2027, 1, 2)], "both as holiday and as workday"),
    ([], [], "at least one holiday"),
])
def test_holiday_notice_entered_year_with_a_problem_is_refused(holidays: list[dt.date], workdays: list[dt.date],
                                                               problem: str) -> None:
    from jiangxin.policy.workdays import register_year_provider

    entry = _entered(2027, holidays, workdays)
    assert any(problem in p for p in entry.problems())
    register_year_provider(lambda year: entry)
    with pytest.raises(ParameterError, match=problem):
        is_workday(dt.date(2027, 1, 5))
