"""第八条 one-off reward of 30,000 yuan; 第十条 three-year cultivation; 第十一条 yearly reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ganzhou_helpers import run


def test_ganzhou_art8_reward_is_30000_yuan_each_in_decimal():
    out = run("reward", {"as_of": "2025-12-01", "craftsmen": 15})
    assert out.value == {"per_person": Decimal(30000), "craftsmen": 15, "total": Decimal(450000)}
    assert isinstance(out.value["total"], Decimal)
    assert out.trace[0].citation.article == "第八条"


def test_ganzhou_art10_cultivation_is_three_years_from_the_title_date():
    out = run("cultivation_period", {"as_of": "2025-12-20", "title_date": "2025-12-20"})
    assert (out.value["start"], out.value["end"]) == (dt.date(2025, 12, 20), dt.date(2028, 12, 19))


def test_ganzhou_art10_title_on_29_february():
    out = run("cultivation_period", {"as_of": "2024-02-29", "title_date": "2024-02-29"})
    assert out.value["end"] == dt.date(2027, 2, 27)


def test_ganzhou_art11_reports_each_calendar_year_due_date_left_to_the_office():
    out = run("cultivation_period", {"as_of": "2025-03-01", "title_date": "2025-03-01"})
    assert [r["year"] for r in out.value["reports"]] == [2025, 2026, 2027, 2028]
    assert all(r["due"] is None for r in out.value["reports"])
    step = next(s for s in out.trace if s.rule == "annual_reports")
    assert step.citation.article == "第十一条" and "待主管部门设定" in step.note
    set_due = run("cultivation_period", {"as_of": "2025-03-01", "title_date": "2025-03-01"},
                  {"annual_report_due": "02-29"})
    assert [r["due"] for r in set_due.value["reports"]] == [
        dt.date(2026, 2, 28), dt.date(2027, 2, 28), dt.date(2028, 2, 29), dt.date(2029, 2, 28)]
    assert set_due.value["reports"][-1]["covers_to"] == dt.date(2028, 2, 29)
