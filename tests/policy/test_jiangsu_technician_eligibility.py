"""江苏省卓越技师培育计划 — admission of candidates (第二、三、二十一、二十三条) and class size (第二条)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiangxin.policy.errors import FactsError
from jiangxin.policy.outcome import Status
from jiangxin.policy.registry import get_computation
from jiangxin.policy.retirement import OriginalAge, statutory_retirement

ELIGIBILITY = get_computation("jiangsu_technician", "eligibility")
CLASS_SIZE = get_computation("jiangsu_technician", "class_size")


def candidate(**changes: Any) -> dict[str, Any]:
    """A class-A 高级技师, man born 1970-08-01, recommended for the 2027 plan: eligible as it stands."""
    facts: dict[str, Any] = {
        "as_of": "2026-12-01", "plan_year": 2027, "track": "A", "birth_date": "1970-08-01", "sex": "male",
        "original_retirement_age": 60, "skill_level": "高级技师",
        "leading_talent": {"criterion": "中华技能大奖获得者", "confirmed_by": "省厅 李敏"},
        "received_former_chief_subsidy": False, "recommended_on": "2026-11-20",
    }
    facts.update(changes)
    return {k: v for k, v in facts.items() if v is not None}


def b_candidate(**changes: Any) -> dict[str, Any]:
    facts = candidate(track="B", leading_talent=None,
                      chief_technician={"met": True, "confirmed_by": "省厅 李敏"})
    facts.update(changes)
    return facts


def failed(outcome: Any) -> set[str]:
    return {s.rule for s in outcome.failures}


def test_jiangsu_art2_exactly_five_years_to_retirement_is_eligible():
    # born 1970-08 → 60 + 17 months of delay → retires 2032-01-01, exactly 5 years after 2027-01-01
    assert statutory_retirement(dt.date(1970, 8, 1), OriginalAge.MALE_60).retirement_date == dt.date(2032, 1, 1)
    outcome = ELIGIBILITY.run(candidate())
    assert outcome.status is Status.ELIGIBLE
    assert outcome.value.retirement_date == dt.date(2032, 1, 1)
    assert outcome.value.retirement_margin_until == dt.date(2032, 1, 1)


def test_jiangsu_art2_one_month_short_of_five_years_is_ineligible():
    outcome = ELIGIBILITY.run(candidate(birth_date="1970-07-01"))   # retires 2031-12-01
    assert outcome.status is Status.INELIGIBLE
    assert failed(outcome) == {"retirement_margin"}
    step = outcome.failures[0]
    assert step.inputs["retirement_date"] == dt.date(2031, 12, 1)
    assert step.citation.article == "第二条"


def test_jiangsu_art2_margin_is_counted_at_first_of_january_of_the_plan_year():
    # the same person is still eligible for the 2026 plan (2026-01-01 + 5 years ≤ 2031-12-01)
    assert ELIGIBILITY.run(candidate(birth_date="1970-07-01", plan_year=2026)).status is Status.ELIGIBLE


def test_jiangsu_art2_women_use_the_2024_decision_table_of_their_original_age():
    # woman, original age 50, born 1980-03-01: 32 months of delay → 52y8m → retires 2032-11-01
    outcome = ELIGIBILITY.run(candidate(sex="female", original_retirement_age=50, birth_date="1980-03-01"))
    assert outcome.value.retirement_date == dt.date(2032, 11, 1)
    assert outcome.status is Status.ELIGIBLE
    assert any(s.citation.document == "npcsc_retirement_2024" for s in outcome.trace)


def test_jiangsu_art2_original_age_must_match_sex():
    with pytest.raises(FactsError) as err:
        ELIGIBILITY.run(candidate(original_retirement_age=55))
    assert err.value.problems[0][0] == "original_retirement_age"
    with pytest.raises(FactsError) as err:
        ELIGIBILITY.run(candidate(sex="female", original_retirement_age=60))
    assert "50 or 55" in err.value.problems[0][1]


def test_jiangsu_art2_technician_needs_a_confirmed_outstanding_finding():
    plain = ELIGIBILITY.run(candidate(skill_level="技师"))
    assert failed(plain) == {"skill_level"}
    outstanding = ELIGIBILITY.run(candidate(skill_level="技师",
                                            outstanding={"reason": "全国技术能手", "confirmed_by": "省厅 王"}))
    assert outstanding.status is Status.ELIGIBLE
    assert outstanding.value.route == "exceptional"


def test_jiangsu_art2_senior_worker_is_not_admitted_even_if_outstanding():
    outcome = ELIGIBILITY.run(candidate(skill_level="高级工", outstanding={"reason": "x", "confirmed_by": "王"}))
    assert failed(outcome) == {"skill_level"}


@pytest.mark.parametrize("level", ["高级技师", "特级技师", "首席技师"])
def test_jiangsu_art2_senior_technician_and_above_take_the_main_route(level):
    outcome = ELIGIBILITY.run(candidate(skill_level=level))
    assert (outcome.status, outcome.value.route) == (Status.ELIGIBLE, "main")


def test_jiangsu_art3_class_a_requires_a_confirmed_leading_talent_recognition():
    outcome = ELIGIBILITY.run(candidate(leading_talent=None))
    assert failed(outcome) == {"a_leading_talent_recognised"}
    assert outcome.failures[0].citation.clause == "（A类直接认定）"


def test_jiangsu_art3_class_b_conditions_not_met_is_ineligible():
    outcome = ELIGIBILITY.run(b_candidate(chief_technician={"met": False, "confirmed_by": "省厅 李敏"}))
    assert failed(outcome) == {"b_chief_technician_conditions"}


def test_jiangsu_art3_class_b_facts_are_rejected_for_class_a():
    with pytest.raises(FactsError) as err:
        ELIGIBILITY.run(candidate(chief_technician={"met": True, "confirmed_by": "x"}))
    assert err.value.problems[0][0] == "chief_technician"


def test_jiangsu_art23_former_chief_subsidy_closes_class_b():
    outcome = ELIGIBILITY.run(b_candidate(received_former_chief_subsidy=True))
    assert failed(outcome) == {"b_no_former_chief_subsidy"}


def test_jiangsu_art23_former_chief_subsidy_does_not_close_class_a():
    assert ELIGIBILITY.run(candidate(received_former_chief_subsidy=True)).status is Status.ELIGIBLE


def test_jiangsu_art23_in_principle_bar_yields_to_a_recorded_office_exception():
    outcome = ELIGIBILITY.run(b_candidate(received_former_chief_subsidy=True,
                                          former_subsidy_exception="苏人社函〔2026〕99号"))
    assert outcome.status is Status.ELIGIBLE


def test_jiangsu_art23_two_years_since_last_participation_is_too_soon():
    outcome = ELIGIBILITY.run(candidate(previous_participations=[{"plan_year": 2023, "ended_on": "2025-01-01"}]))
    assert failed(outcome) == {"participation_gap"}
    assert outcome.failures[0].inputs["allowed_from"] == dt.date(2028, 1, 1)


def test_jiangsu_art23_exactly_three_years_since_last_participation_is_allowed():
    outcome = ELIGIBILITY.run(candidate(previous_participations=[{"plan_year": 2022, "ended_on": "2024-01-01"}]))
    assert outcome.status is Status.ELIGIBLE


def test_jiangsu_art23_gap_counts_from_the_latest_participation():
    outcome = ELIGIBILITY.run(candidate(previous_participations=[
        {"plan_year": 2018, "ended_on": "2019-12-31"}, {"plan_year": 2023, "ended_on": "2024-12-31"}]))
    assert failed(outcome) == {"participation_gap"}
    assert outcome.failures[0].inputs["last_ended_on"] == dt.date(2024, 12, 31)


def test_jiangsu_art21_employer_banned_from_recommending_makes_candidacy_inadmissible():
    outcome = ELIGIBILITY.run(candidate(employer_recommendation_ban={"start": "2025-05-20", "end": "2028-05-19"}))
    assert failed(outcome) == {"employer_not_banned_from_recommending"}
    assert outcome.failures[0].citation.article == "第二十一条"


def test_jiangsu_art21_recommendation_after_the_ban_ends_is_admissible():
    outcome = ELIGIBILITY.run(candidate(employer_recommendation_ban={"start": "2023-11-20", "end": "2026-11-19"}))
    assert outcome.status is Status.ELIGIBLE


def test_jiangsu_art21_trainee_award_ban_is_not_an_entry_ban():
    outcome = ELIGIBILITY.run(candidate(trainee_award_ban={"start": "2025-06-08", "end": "2028-06-07"}))
    assert outcome.status is Status.ELIGIBLE
    assert any(s.rule == "trainee_award_ban_is_not_an_entry_ban" for s in outcome.trace)


def test_jiangsu_fraud_ban_entered_by_staff_blocks_entry():
    ban = {"start": "2026-01-10", "end": "2029-01-09", "reason": "申报材料弄虚作假", "imposed_by": "省厅 苏人社〔2026〕5号"}
    outcome = ELIGIBILITY.run(candidate(external_bans=[ban]))
    assert failed(outcome) == {"external_entry_ban"}
    assert outcome.failures[0].citation.document == "interpretation"
    assert outcome.failures[0].citation.article == "I-JS-08"


def test_jiangsu_art2_art3_art21_art23_every_failed_condition_is_returned():
    outcome = ELIGIBILITY.run(b_candidate(
        chief_technician=None, skill_level="技师", birth_date="1968-01-01", received_former_chief_subsidy=True,
        previous_participations=[{"plan_year": 2024, "ended_on": "2025-12-31"}],
        employer_recommendation_ban={"start": "2026-01-01", "end": "2028-12-31"},
        external_bans=[{"start": "2026-01-01", "end": "2026-12-31", "reason": "弄虚作假", "imposed_by": "省厅"}]))
    assert failed(outcome) == {"b_chief_technician_conditions", "skill_level", "retirement_margin",
                               "b_no_former_chief_subsidy", "participation_gap",
                               "employer_not_banned_from_recommending", "external_entry_ban"}
    assert outcome.value.eligible is False


def test_jiangsu_art2_eligibility_trace_cites_every_rule():
    outcome = ELIGIBILITY.run(b_candidate(previous_participations=[{"plan_year": 2020, "ended_on": "2021-12-31"}]))
    articles = {c.article for c in outcome.citations}
    assert {"第二条", "第三条", "第二十一条", "第二十三条"} <= articles


@settings(max_examples=150, deadline=None)
@given(birth=st.dates(dt.date(1960, 1, 1), dt.date(1995, 12, 31)), year=st.integers(2025, 2035),
       sex=st.sampled_from([("male", 60), ("female", 55), ("female", 50)]))
def test_jiangsu_art2_an_earlier_plan_year_never_turns_eligible_into_ineligible(birth, year, sex):
    facts = candidate(birth_date=birth.isoformat(), sex=sex[0], original_retirement_age=sex[1], plan_year=year)
    later = ELIGIBILITY.run(facts)
    earlier = ELIGIBILITY.run({**facts, "plan_year": year - 1})
    if later.status is Status.ELIGIBLE:
        assert earlier.status is Status.ELIGIBLE
    # the margin condition holds exactly when the retirement date is on or after 1 January, five years on
    retire = statutory_retirement(birth, OriginalAge(sex[1])).retirement_date
    assert (later.status is Status.ELIGIBLE) == (retire >= dt.date(year + 5, 1, 1))


# ---- class size (第二条) ----

def roster(a: int, b: int, exceptional_b: int = 0) -> dict[str, Any]:
    members = [{"key": f"A{i:03}", "track": "A", "route": "main"} for i in range(a)]
    members += [{"key": f"B{i:03}", "track": "B", "route": "exceptional" if i < exceptional_b else "main"}
                for i in range(b)]
    return {"as_of": "2026-12-20", "plan_year": 2027, "members": members}


def test_jiangsu_art2_one_hundred_per_class_is_allowed():
    outcome = CLASS_SIZE.run(roster(100, 100))
    assert outcome.status is Status.PASSED
    assert outcome.value["A"]["count"] == 100 and outcome.value["A"]["quota"] == 100


def test_jiangsu_art2_one_hundred_and_one_in_a_class_fails():
    outcome = CLASS_SIZE.run(roster(100, 101))
    assert failed(outcome) == {"class_B_within_quota"}
    assert outcome.value["B"]["within_quota"] is False


def test_jiangsu_art2_outstanding_technicians_not_a_minority_is_a_warning_only():
    outcome = CLASS_SIZE.run(roster(3, 10, exceptional_b=5))
    assert outcome.status is Status.PASSED
    assert outcome.value["B"]["mainly_senior"] is False
    assert any(s.rule == "class_B_mainly_senior_technicians" for s in outcome.trace)
    assert CLASS_SIZE.run(roster(3, 10, exceptional_b=4)).value["B"]["mainly_senior"] is True


def test_jiangsu_art2_a_candidate_appears_once_in_the_year():
    facts = roster(1, 0)
    facts["members"].append({"key": "A000", "track": "B", "route": "main"})
    with pytest.raises(FactsError) as err:
        CLASS_SIZE.run(facts)
    assert "A000" in err.value.problems[0][1]
