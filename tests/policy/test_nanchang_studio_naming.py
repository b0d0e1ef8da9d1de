"""南昌市示范性创新工作室: eligibility (第二条, 第六条, 第七条, 第十五条) and naming (第七条)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jiangxin.policy.errors import CalendarYearUnknownError, FactsError, UnsetParameterError
from jiangxin.policy.outcome import Status
from jiangxin.policy.registry import get_computation

ELIGIBILITY = get_computation("nanchang_studio", "eligibility")
RANKING = get_computation("nanchang_studio", "ranking")
PUBLICITY = get_computation("nanchang_studio", "publicity_window")
DEADLINE = get_computation("nanchang_studio", "naming_deadline")
LEADER = get_computation("nanchang_studio", "leader_change")


def studio(**changes):
    facts = dict(ELIGIBILITY.example)
    facts.update(changes)
    return facts


def failed(outcome):
    return {(s.rule, s.citation.article + s.citation.clause) for s in outcome.failures}


# --- 第二条 ---------------------------------------------------------------------------------------------

def test_nanchang_studio_art2_example_meets_all_six_conditions():
    out = ELIGIBILITY.run(studio())
    assert (out.value, out.status, out.failures) == (True, Status.ELIGIBLE, [])
    articles = {c.article + c.clause for c in out.citations}
    assert {"第二条（一）", "第二条（二）", "第二条（三）", "第二条（四）", "第二条（五）", "第二条（六）",
            "第六条", "第七条", "第十五条第一款", "第十五条第二款"} <= articles


def test_nanchang_studio_art2_every_failed_condition_is_listed():
    out = ELIGIBILITY.run(studio(
        leader_honours=[{"kind": "劳动模范", "level": "county"}], team_confirmed=False, has_dedicated_funds=False,
        innovation_projects_by_year={"2024": 0, "2025": 1}, recognised_results=[],
        demonstration_confirmed=False, prior_naming="grassroots", unit_form="rd_institution",
        party_admin_approved=False, fraud_found=True, previously_revoked=True))
    assert out.status is Status.INELIGIBLE and out.value is False
    assert failed(out) == {
        ("leader_honour", "第二条（一）"), ("team", "第二条（二）"), ("funds", "第二条（三）"),
        ("projects_every_year", "第二条（四）"), ("recognised_results", "第二条（四）"),
        ("demonstration", "第二条（五）"), ("creation_basis", "第二条（六）"),
        ("not_an_established_unit", "第六条"), ("party_admin_approved", "第七条"),
        ("no_fraud_ban", "第十五条第一款"), ("not_previously_revoked", "第十五条第二款")}
    short = next(s for s in out.failures if s.rule == "projects_every_year")
    assert short.inputs["years_short"] == [2024]


def test_nanchang_studio_art2_1_city_level_honour_includes_city_itself():
    for honour in ({"kind": "洪城技师"}, {"kind": "劳动模范", "level": "city"}, {"kind": "赣鄱工匠"},
                   {"kind": "五一劳动奖章", "level": "national"}, {"kind": "洪城工匠"}, {"kind": "能工巧匠"},
                   {"kind": "行业职业技能带头人"}, {"kind": "职工技术创新能手", "level": "county"}):
        assert ELIGIBILITY.run(studio(leader_honours=[honour])).value is True, honour
    for honour in ({"kind": "劳动模范", "level": "county"}, {"kind": "五一劳动奖章", "level": "grassroots"},
                   {"kind": "其他同类荣誉", "level": "county"}):
        out = ELIGIBILITY.run(studio(leader_honours=[honour]))
        assert failed(out) == {("leader_honour", "第二条（一）")}, honour


def test_nanchang_studio_art2_1_in_principle_exception_needs_a_recorded_reason():
    out = ELIGIBILITY.run(studio(leader_honours=[], leader_exception_basis="市总工会经济技术部认定的行业领军人物"))
    assert out.value is True
    step = next(s for s in out.trace if s.rule == "leader_honour")
    assert "I-SEL-03" in step.note


def test_nanchang_studio_art2_1_honour_level_is_validated():
    with pytest.raises(FactsError, match="level"):
        ELIGIBILITY.run(studio(leader_honours=[{"kind": "劳动模范"}]))
    with pytest.raises(FactsError, match="always provincial"):
        ELIGIBILITY.run(studio(leader_honours=[{"kind": "赣鄱工匠", "level": "city"}]))


def test_nanchang_studio_art2_6_sectoral_union_naming_needs_filing_with_the_city_union():
    filed = ELIGIBILITY.run(studio(prior_naming="city_ecwhs_union", filed_with_city_union=True))
    assert filed.value is True
    unfiled = ELIGIBILITY.run(studio(prior_naming="city_direct_grassroots_union", filed_with_city_union=False))
    assert failed(unfiled) == {("creation_basis", "第二条（六）")}
    with pytest.raises(FactsError, match="filed_with_city_union"):
        ELIGIBILITY.run(studio(prior_naming="city_ecwhs_union"))
    with pytest.raises(FactsError, match="filed_with_city_union"):
        ELIGIBILITY.run(studio(prior_naming="county", filed_with_city_union=True))


def test_nanchang_studio_art2_4_project_years_cannot_be_in_the_future():
    with pytest.raises(FactsError, match="after as_of"):
        ELIGIBILITY.run(studio(innovation_projects_by_year={"2027": 3}))


# --- 第六条 / 第七条 / 第十五条 --------------------------------------------------------------------------

def test_nanchang_studio_art6_established_sections_and_work_groups_are_not_named():
    for form in ("established_department", "rd_institution", "established_work_group"):
        assert failed(ELIGIBILITY.run(studio(unit_form=form))) == {("not_an_established_unit", "第六条")}


def test_nanchang_studio_art7_application_must_come_from_the_unit_union_with_approval():
    out = ELIGIBILITY.run(studio(applied_by_unit_union=False, party_admin_approved=False))
    assert failed(out) == {("applied_by_unit_union", "第七条"), ("party_admin_approved", "第七条")}


def test_nanchang_studio_art15_fraud_bans_permanently_and_revoked_studios_cannot_reapply():
    fraud = ELIGIBILITY.run(studio(fraud_found=True))
    assert failed(fraud) == {("no_fraud_ban", "第十五条第一款")}
    assert fraud.failures[0].note == "permanent ban"
    revoked = ELIGIBILITY.run(studio(previously_revoked=True))
    assert failed(revoked) == {("not_previously_revoked", "第十五条第二款")}


# --- 第七条: ranking ------------------------------------------------------------------------------------

def rank_run(candidates, mark=80, quota=2, decision=None):
    facts = {"as_of": "2026-11-02", "round_year": 2026, "party_group_decision": decision,
             "candidates": [{"key": k, "score": s} for k, s in candidates]}
    return RANKING.run(facts, {"naming_shortlist_mark": mark, "naming_annual_quota": quota})


def test_nanchang_studio_art7_shortlist_mark_and_quota_are_set_by_the_office():
    with pytest.raises(UnsetParameterError, match="naming_"):
        RANKING.run(RANKING.example["facts"])


def test_nanchang_studio_art7_ranked_by_score_and_cut_at_the_quota():
    out = rank_run([("A", "79.5"), ("B", "80"), ("C", "95"), ("D", "88")], quota=2)
    assert out.value["below_mark"] == ["A"]  # 入围标准以上 includes the mark itself: B (80) is shortlisted
    assert [r["key"] for r in out.value["ranking"]] == ["C", "D", "B"]
    assert out.value["proposed"] == ["C", "D"]
    assert out.value["reserve"] == ["B"]
    assert out.status is Status.OK
    assert out.trace[0].parameters == {"naming_shortlist_mark": Decimal(80)}


def test_nanchang_studio_art7_tie_at_the_cut_goes_to_the_party_group():
    out = rank_run([("A", "90"), ("B", "85"), ("C", "85")], quota=2)
    assert out.value["proposed"] == ["A"]
    assert out.value["tie_at_cut"] == ["B", "C"]
    assert "I-SEL-01" in out.trace[1].note


def test_nanchang_studio_art7_party_group_decision_is_checked_against_shortlist_and_quota():
    ok = rank_run([("A", "90"), ("B", "85"), ("C", "85")], quota=2, decision=["A", "C"])
    assert ok.status is Status.PASSED and ok.value["decided"] == ["A", "C"]
    bad = rank_run([("A", "90"), ("B", "85"), ("C", "70")], quota=1, decision=["A", "C"])
    assert bad.status is Status.FAILED
    assert {s.rule for s in bad.failures} == {"decision_within_shortlist", "decision_within_quota"}
    with pytest.raises(FactsError, match="not among candidates"):
        rank_run([("A", "90")], decision=["Z"])


def test_nanchang_studio_art6_fewer_than_the_quota_may_be_named():
    out = rank_run([("A", "90"), ("B", "60")], quota=5, decision=["A"])
    assert out.value["proposed"] == ["A"] and out.status is Status.PASSED


# --- 第七条: dates -------------------------------------------------------------------------------------

def test_nanchang_studio_art7_publicity_is_five_working_days_over_national_day():
    # published Tue 2026-09-29; counting starts the next working day (I-SEL-08): 9-30, then the National Day
    # holiday (10-1..10-7), 10-8, 10-9, 10-10 (make-up Saturday), 10-12.
    out = PUBLICITY.run({"as_of": "2026-09-28", "publicity_start": "2026-09-29"})
    assert out.value["start"] == dt.date(2026, 9, 30)
    assert out.value["end"] == dt.date(2026, 10, 12)
    assert out.value["naming_from"] == dt.date(2026, 10, 13)
    assert {c.document for c in out.citations} == {"nanchang_studio", "holiday_notice"}


def test_nanchang_studio_art7_publicity_published_on_a_friday_runs_into_next_week():
    out = PUBLICITY.run({"as_of": "2026-11-01", "publicity_start": "2026-11-06"})
    assert (out.value["start"], out.value["end"]) == (dt.date(2026, 11, 9), dt.date(2026, 11, 13))


def test_nanchang_studio_art7_naming_by_31_december_inclusive():
    on_time = DEADLINE.run({"as_of": "2026-11-02", "round_year": 2026, "planned_naming_date": "2026-12-31"})
    assert on_time.status is Status.PASSED and on_time.value["deadline"] == dt.date(2026, 12, 31)
    late = DEADLINE.run({"as_of": "2026-11-02", "round_year": 2026, "planned_naming_date": "2027-01-05",
                         "publicity_end": "2026-12-30"})
    assert late.status is Status.FAILED and late.value["meets_deadline"] is False
    assert [s.rule for s in late.failures] == ["naming_by_year_end"]
    assert "misses the deadline by 5 day(s)" in late.failures[0].note


def test_nanchang_studio_art7_naming_must_follow_the_publicity():
    out = DEADLINE.run({"as_of": "2026-11-02", "round_year": 2026, "planned_naming_date": "2026-12-10",
                        "publicity_end": "2026-12-10"})
    assert [s.rule for s in out.failures] == ["after_publicity"]


def test_nanchang_studio_art7_deadline_without_a_plan_is_just_the_date():
    out = DEADLINE.run({"as_of": "2026-11-02", "round_year": 2027})
    assert (out.status, out.value["deadline"]) == (Status.OK, dt.date(2027, 12, 31))


# --- 第七条: change of leader --------------------------------------------------------------------------

def leader(**changes):
    facts = dict(LEADER.example)
    facts.update(changes)
    return LEADER.run(facts)


def test_nanchang_studio_art7_leader_change_runs_the_same_chain():
    out = leader()
    assert out.status is Status.ELIGIBLE
    assert [s["key"] for s in out.value["stages"]] == [
        "unit_union_application", "party_admin_approval", "qualification_review", "city_review", "ranking",
        "party_group_decision", "publicity", "naming"]
    assert out.value["next_stage"] == "qualification_review"
    assert leader(completed_stages=[s["key"] for s in out.value["stages"]]).value["next_stage"] is None


def test_nanchang_studio_art7_leader_change_needs_a_named_studio_and_a_qualified_leader():
    out = leader(studio_revoked=True, new_leader_honours=[{"kind": "洪城工匠"}], new_leader_profile_confirmed=False)
    assert {s.rule for s in out.failures} == {"studio_named", "new_leader_profile"}
    out = leader(new_leader_honours=[{"kind": "劳动模范", "level": "county"}])
    assert {(s.rule, s.citation.article + s.citation.clause) for s in out.failures} == {
        ("new_leader_honour", "第二条（一）")}
    with pytest.raises(FactsError, match="in order"):
        leader(completed_stages=["party_admin_approval"])


def test_nanchang_studio_art7_publicity_into_an_unloaded_calendar_year_is_refused():
    with pytest.raises(CalendarYearUnknownError):
        PUBLICITY.run({"as_of": "2026-12-20", "publicity_start": "2026-12-28"})
