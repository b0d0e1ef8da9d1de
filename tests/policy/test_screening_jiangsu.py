"""江苏卓越技师办法 第二条、第三条、第二十一条、第二十三条 screened column-wise (筛查) agree with the per-person
eligibility computation on every row of random populations; near-misses name the one failing article."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jiangxin.policy.deadlines import add_months as add_months_scalar
from jiangxin.policy.levels import SkillLevel
from jiangxin.policy.registry import get_computation
from jiangxin.policy.retirement import OriginalAge, statutory_retirement
from jiangxin.policy.screening import add_months, get_screener

AS_OF = dt.date(2026, 12, 1)
PLAN_YEAR = 2027
LEVELS = [level.value for level in SkillLevel]


def _maybe_date(rng: np.random.Generator, start: str, days: int, p_missing: float, size: int) -> np.ndarray:
    values = np.datetime64(start, "D") + rng.integers(0, days, size).astype("timedelta64[D]")
    return np.where(rng.random(size) < p_missing, np.datetime64("NaT", "D"), values)


def population(seed: int, size: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    original = rng.choice([60, 55, 50], size)
    ban_start = _maybe_date(rng, "2024-01-01", 1200, 0.7, size)
    ext_start = _maybe_date(rng, "2024-01-01", 1200, 0.8, size)
    return {
        "track": rng.choice(["A", "B"], size),
        "birth_date": np.datetime64("1955-01-01", "D") + rng.integers(0, 365 * 45, size).astype("timedelta64[D]"),
        "original_retirement_age": original,
        "skill_level": rng.choice(LEVELS, size),
        "outstanding": rng.random(size) < 0.3,
        "leading_talent": rng.random(size) < 0.7,
        "chief_conditions_met": rng.random(size) < 0.7,
        "received_former_chief_subsidy": rng.random(size) < 0.2,
        "former_subsidy_exception": rng.random(size) < 0.3,
        "last_participation_end": _maybe_date(rng, "2019-01-01", 3000, 0.6, size),
        "recommended_on": np.datetime64("2026-01-01", "D") + rng.integers(0, 330, size).astype("timedelta64[D]"),
        "employer_ban_start": ban_start,
        "employer_ban_end": ban_start + rng.integers(0, 1100, size).astype("timedelta64[D]"),
        "external_ban_start": ext_start,
        "external_ban_end": ext_start + rng.integers(0, 1100, size).astype("timedelta64[D]"),
    }


def _failed_rules(outcome: Any) -> set[str]:
    return {step.rule for step in outcome.trace if step.passed is False}


STEP_OF = {"basis": {"a_leading_talent_recognised", "b_chief_technician_conditions"}, "skill_level": {"skill_level"},
           "retirement_margin": {"retirement_margin"}, "former_subsidy": {"b_no_former_chief_subsidy"},
           "participation_gap": {"participation_gap"}, "employer_ban": {"employer_not_banned_from_recommending"},
           "external_ban": {"external_entry_ban"}}


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=2**31 - 1))
def test_第二条_第三条_第二十一条_第二十三条_column_wise_screen_agrees_with_the_per_person_rule(seed: int) -> None:
    screener = get_screener("jiangsu_technician", "eligibility")
    computation = get_computation("jiangsu_technician", "eligibility")
    columns = population(seed, 60)
    result = screener.run(columns, computation.program.parameters(), AS_OF, PLAN_YEAR)
    for row in range(60):
        outcome = computation.run(screener.to_facts(columns, row, AS_OF, PLAN_YEAR))
        assert bool(result.eligible[row]) is bool(outcome.value.eligible), (row, screener.to_facts(columns, row, AS_OF, PLAN_YEAR))
        failed = _failed_rules(outcome)
        assert {c.key for c in result.failures(row)} == {k for k, steps in STEP_OF.items() if steps & failed}


def test_第二条_near_misses_name_the_one_failing_condition_with_its_article() -> None:
    screener = get_screener("jiangsu_technician", "eligibility")
    params = get_computation("jiangsu_technician", "eligibility").program.parameters()
    columns = population(7, 5000)
    result = screener.run(columns, params, AS_OF, PLAN_YEAR)
    near = np.flatnonzero(result.near)
    assert near.size > 0
    for row in near[:50]:
        (only,) = result.failures(int(row))
        assert only.key in STEP_OF
        assert only.citation.label.startswith(("江苏卓越技师办法 第", "匠心解释口径"))
    assert sum(result.near_by_condition().values()) == near.size


@given(st.dates(dt.date(1950, 1, 1), dt.date(2040, 12, 31)), st.integers(0, 800))
def test_column_wise_month_arithmetic_clamps_to_the_month_end_like_the_scalar(day: dt.date, months: int) -> None:
    moved = add_months(np.array([day], dtype="datetime64[D]"), months)[0]
    assert moved.astype(dt.date) == add_months_scalar(day, months)


@given(st.dates(dt.date(1950, 1, 1), dt.date(1995, 12, 31)), st.sampled_from(list(OriginalAge)))
def test_retirement_dates_column_wise_follow_the_2024_decision_tables(birth: dt.date, original: OriginalAge) -> None:
    from jiangxin.programs.jiangsu_technician.screening import retirement_dates

    got = retirement_dates(np.array([birth], dtype="datetime64[D]"), np.array([int(original)]))[0]
    assert got.astype(dt.date) == statutory_retirement(birth, original).retirement_date
