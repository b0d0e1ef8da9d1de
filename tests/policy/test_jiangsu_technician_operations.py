"""江苏省卓越技师培育计划 — training plan (第九、十七条), mentors (第十六条), sanctions (第二十一条),
deferral (第二十四条), spending split (第十条) and funding (第二、二十二条)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from jiangxin.policy.errors import FactsError
from jiangxin.policy.facts import parse_facts
from jiangxin.policy.outcome import Status, cite
from jiangxin.policy.parameters import Kind, Parameter, ParameterSet, ParamValue, Source
from jiangxin.policy.registry import get_computation

PLAN = get_computation("jiangsu_technician", "training_plan_check")
MENTORS = get_computation("jiangsu_technician", "mentor_check")
SANCTIONS = get_computation("jiangsu_technician", "discipline_sanctions")
DEFERRAL = get_computation("jiangsu_technician", "deferral")
SPENDING = get_computation("jiangsu_technician", "spending_split")
FUNDING = get_computation("jiangsu_technician", "funding")


def failed(outcome: Any) -> set[str]:
    return {s.rule for s in outcome.failures}


# ---- training plan ----

def session(key: str, kind: str, start: str, end: str, hours: str, delivery: str = "onsite") -> dict[str, Any]:
    return {"key": key, "kind": kind, "start": start, "end": end, "hours": hours, "delivery": delivery}


def plan(*sessions: dict[str, Any], local: int = 10, remote: int = 5) -> dict[str, Any]:
    return {"as_of": "2027-02-01", "plan_year": 2027, "local_trainees": local, "remote_trainees": remote,
            "sessions": list(sessions) or [session("T", "theory", "2027-03-01", "2027-03-31", "40"),
                                           session("P", "practice", "2027-04-01", "2027-07-31", "60")]}


def test_jiangsu_art9_exactly_five_months_span_is_allowed():
    outcome = PLAN.run(plan())   # 1 March – 31 July, both days included: five whole months
    assert outcome.status is Status.PASSED
    assert outcome.value["latest_allowed_day"] == dt.date(2027, 7, 31)


def test_jiangsu_art9_five_months_and_one_day_is_too_long():
    outcome = PLAN.run(plan(session("T", "theory", "2027-03-01", "2027-03-31", "40"),
                            session("P", "practice", "2027-04-01", "2027-08-01", "60")))
    assert failed(outcome) == {"span_at_most_five_months"}


def test_jiangsu_art9_span_from_31_january_may_run_to_30_june():
    outcome = PLAN.run(plan(session("T", "theory", "2027-01-31", "2027-02-28", "40"),
                            session("P", "practice", "2027-03-01", "2027-06-30", "60")))
    assert outcome.status is Status.PASSED
    assert outcome.value["latest_allowed_day"] == dt.date(2027, 6, 30)


def test_jiangsu_art9_session_ending_in_october_is_outside_the_first_three_quarters():
    outcome = PLAN.run(plan(session("T", "theory", "2027-06-01", "2027-06-30", "40"),
                            session("P", "practice", "2027-07-01", "2027-10-08", "60")))
    assert failed(outcome) == {"session_in_first_three_quarters"}
    assert outcome.failures[0].inputs["session"] == "P"
    assert outcome.value["window"] == (dt.date(2027, 1, 1), dt.date(2027, 9, 30))


def test_jiangsu_art9_thirtieth_of_september_is_still_inside():
    outcome = PLAN.run(plan(session("T", "theory", "2027-05-01", "2027-05-31", "40"),
                            session("P", "practice", "2027-06-01", "2027-09-30", "60")))
    assert outcome.status is Status.PASSED


def test_jiangsu_art17_ratio_off_four_to_six_is_a_warning_not_a_failure():
    outcome = PLAN.run(plan(session("T", "theory", "2027-03-01", "2027-03-31", "60"),
                            session("P", "practice", "2027-04-01", "2027-06-30", "40")))
    assert outcome.status is Status.PASSED
    assert outcome.value["theory_share"] == Decimal("0.6000")
    assert outcome.value["warnings"] == ["理论与实操学时偏离4:6"]


def test_jiangsu_art17_ratio_within_tolerance_has_no_warning():
    outcome = PLAN.run(plan(session("T", "theory", "2027-03-01", "2027-03-31", "45"),
                            session("P", "practice", "2027-04-01", "2027-06-30", "55")))
    assert outcome.value["warnings"] == []


def test_jiangsu_art17_online_theory_is_for_remote_trainees_only():
    online = session("T", "theory", "2027-03-01", "2027-03-31", "40", "online")
    practice = session("P", "practice", "2027-04-01", "2027-06-30", "60")
    assert failed(PLAN.run(plan(online, practice))) == {"online_theory_only_for_remote_trainees"}
    assert PLAN.run(plan(online, practice, local=0, remote=8)).status is Status.PASSED
    blended = session("T", "theory", "2027-03-01", "2027-03-31", "40", "blended")
    assert PLAN.run(plan(blended, practice)).status is Status.PASSED


def test_jiangsu_art17_practice_cannot_be_taken_online():
    outcome = PLAN.run(plan(session("T", "theory", "2027-03-01", "2027-03-31", "40"),
                            session("P", "practice", "2027-04-01", "2027-06-30", "60", "blended")))
    assert failed(outcome) == {"practice_is_onsite"}


def test_jiangsu_art9_session_ending_before_it_starts_is_bad_input():
    with pytest.raises(FactsError) as err:
        PLAN.run(plan(session("T", "theory", "2027-03-31", "2027-03-01", "40")))
    assert err.value.problems[0][0] == "sessions[T].end"


# ---- mentors ----

def mentors(*rows: dict[str, Any]) -> dict[str, Any]:
    return {"as_of": "2027-03-01", "trainees": list(rows)}


def test_jiangsu_art16_mentor_with_associate_senior_title_qualifies():
    outcome = MENTORS.run(mentors({"trainee": "T1", "mentors": [{"name": "张", "title": "副高级"}]}))
    assert outcome.status is Status.PASSED
    assert outcome.value["T1"]["qualified"] is True


def test_jiangsu_art16_senior_technician_without_title_qualifies():
    outcome = MENTORS.run(mentors({"trainee": "T1", "mentors": [{"name": "刘", "title": "无",
                                                                  "skill_level": "高级技师"}]}))
    assert outcome.status is Status.PASSED


def test_jiangsu_art16_intermediate_title_and_technician_level_do_not_qualify():
    outcome = MENTORS.run(mentors({"trainee": "T1", "mentors": [{"name": "赵", "title": "中级",
                                                                  "skill_level": "技师"}]}))
    assert failed(outcome) == {"mentor_qualified"}


def test_jiangsu_art16_each_trainee_has_exactly_one_mentor():
    two = {"trainee": "T1", "mentors": [{"name": "张", "title": "正高级"}, {"name": "李", "title": "副高级"}]}
    none = {"trainee": "T2", "mentors": []}
    outcome = MENTORS.run(mentors(two, none))
    assert [s.inputs["trainee"] for s in outcome.failures] == ["T1", "T2"]
    assert outcome.value["T2"]["qualified"] is False


def test_jiangsu_art16_enterprise_co_mentor_is_optional_and_not_counted():
    outcome = MENTORS.run(mentors({"trainee": "T1", "mentors": [{"name": "张", "title": "正高级"}],
                                   "enterprise_mentor": "某公司 陈师傅"}))
    assert outcome.status is Status.PASSED
    assert outcome.value["T1"]["mentors"] == 1


# ---- sanctions ----

def test_jiangsu_art21_discipline_violation_notifies_employer_and_bans_provincial_awards_for_three_years():
    outcome = SANCTIONS.run({"as_of": "2027-06-10", "incidents": [
        {"key": "D1", "kind": "trainee_discipline", "subject": "T7", "employer": "某公司",
         "decided_on": "2027-06-08", "notify_employer": True}]})
    assert outcome.value == [
        {"incident": "D1", "subject": "T7", "measure": "notify_employer", "to": "某公司", "notified_on": dt.date(2027, 6, 8)},
        {"incident": "D1", "subject": "T7", "measure": "provincial_award_ban",
         "start": dt.date(2027, 6, 8), "end": dt.date(2030, 6, 7)}]


def test_jiangsu_art21_notification_is_decided_case_by_case():
    outcome = SANCTIONS.run({"as_of": "2027-06-10", "incidents": [
        {"key": "D1", "kind": "trainee_discipline", "subject": "T7", "employer": "某公司",
         "decided_on": "2028-02-29", "notify_employer": False}]})
    assert [m["measure"] for m in outcome.value] == ["provincial_award_ban"]
    assert outcome.value[0]["end"] == dt.date(2031, 2, 28)   # no 29 Feb in 2031: ends on the month end


def test_jiangsu_art21_in_principle_award_ban_yields_to_a_recorded_exception():
    outcome = SANCTIONS.run({"as_of": "2027-06-10", "incidents": [
        {"key": "D1", "kind": "trainee_discipline", "subject": "T7", "employer": "某公司",
         "decided_on": "2027-06-08", "notify_employer": True, "award_ban_exception": "苏人社函〔2027〕3号"}]})
    assert [m["measure"] for m in outcome.value] == ["notify_employer"]


def test_jiangsu_art21_employer_refusing_support_is_banned_from_recommending_and_carrier_projects():
    outcome = SANCTIONS.run({"as_of": "2027-06-10", "incidents": [
        {"key": "E1", "kind": "employer_no_support", "subject": "某电子公司", "decided_on": "2027-05-20",
         "without_good_reason": True},
        {"key": "E2", "kind": "employer_no_support", "subject": "某机械公司", "decided_on": "2027-05-20",
         "without_good_reason": False}]})
    assert [(m["subject"], m["measure"], m["end"]) for m in outcome.value] == [
        ("某电子公司", "recommendation_ban", dt.date(2030, 5, 19)),
        ("某电子公司", "talent_carrier_ban", dt.date(2030, 5, 19))]
    assert any(s.rule == "employer_had_good_reason" for s in outcome.trace)


def test_jiangsu_art21_employer_incident_needs_the_good_reason_finding():
    with pytest.raises(FactsError) as err:
        SANCTIONS.run({"as_of": "2027-06-10", "incidents": [
            {"key": "E1", "kind": "employer_no_support", "subject": "某公司", "decided_on": "2027-05-20"}]})
    assert err.value.problems[0][0] == "incidents[E1].without_good_reason"


def test_jiangsu_art21_the_computed_recommendation_ban_blocks_the_next_candidacy():
    ban = SANCTIONS.run({"as_of": "2027-06-10", "incidents": [
        {"key": "E1", "kind": "employer_no_support", "subject": "某电子公司", "decided_on": "2027-05-20",
         "without_good_reason": True}]}).value[0]
    eligibility = get_computation("jiangsu_technician", "eligibility")
    facts = {"as_of": "2029-12-01", "plan_year": 2030, "track": "A", "birth_date": "1980-01-01", "sex": "male",
             "original_retirement_age": 60, "skill_level": "高级技师",
             "leading_talent": {"criterion": "x", "confirmed_by": "y"}, "received_former_chief_subsidy": False,
             "employer_recommendation_ban": {"start": ban["start"].isoformat(), "end": ban["end"].isoformat()}}
    assert eligibility.run({**facts, "recommended_on": "2030-05-19"}).status is Status.INELIGIBLE
    assert eligibility.run({**facts, "recommended_on": "2030-05-20"}).status is Status.ELIGIBLE


# ---- deferral ----

def deferral(**changes: Any) -> dict[str, Any]:
    facts = {"as_of": "2027-08-01", "trainee": "T4", "plan_year": 2027, "reason": "family",
             "reason_detail": "家人重病需照护", "requested_on": "2027-07-28", "previous_deferral_years": [],
             "hours_attended": "64", "credits_earned": "12"}
    facts.update(changes)
    return facts


def test_jiangsu_art24_first_deferral_moves_to_next_year_without_carrying_hours_or_credits():
    outcome = DEFERRAL.run(deferral())
    assert outcome.status is Status.ELIGIBLE
    assert outcome.value["deferred_to_year"] == 2028
    assert (outcome.value["hours_carried_over"], outcome.value["credits_carried_over"]) == (0, 0)
    assert outcome.value["hours_not_counted"] == Decimal("64")


def test_jiangsu_art24_second_deferral_refused():
    outcome = DEFERRAL.run(deferral(plan_year=2028, requested_on="2028-06-01", previous_deferral_years=[2027]))
    assert failed(outcome) == {"at_most_one_deferral"}
    assert outcome.value["granted"] is False
    assert outcome.value["deferred_to_year"] is None


def test_jiangsu_art24_request_must_concern_the_current_year():
    outcome = DEFERRAL.run(deferral(requested_on="2028-01-05"))
    assert failed(outcome) == {"requested_within_plan_year"}


# ---- spending split ----

def ledger(*lines: dict[str, Any]) -> dict[str, Any]:
    return {"as_of": "2027-12-15", "plan_year": 2027, "training_unit": "某技师学院", "lines": list(lines)}


TEACHING = {"key": "L1", "category": "teaching", "amount": "70000.00"}
CONSUMABLES = {"key": "L2", "category": "consumables", "amount": "10000.00"}


def meal(key: str, amount: str, canteen: bool = True, own: bool = True) -> dict[str, Any]:
    return {"key": key, "category": "meals", "amount": amount, "at_unit_canteen": canteen, "trainee_only": own}


def test_jiangsu_art10_exactly_eighty_twenty_is_allowed():
    outcome = SPENDING.run(ledger(TEACHING, CONSUMABLES, meal("L3", "20000.00")))
    assert outcome.status is Status.PASSED
    assert (outcome.value["teaching_share"], outcome.value["support_share"]) == (Decimal("0.8"), Decimal("0.2"))


def test_jiangsu_art10_support_above_twenty_percent_fails_both_shares():
    outcome = SPENDING.run(ledger(TEACHING, CONSUMABLES, meal("L3", "20000.01")))
    assert failed(outcome) == {"teaching_and_consumables_at_least_80_percent", "support_at_most_20_percent"}


def test_jiangsu_art10_meal_outside_canteen_is_rejected():
    outcome = SPENDING.run(ledger(TEACHING, CONSUMABLES, meal("L3", "1000.00", canteen=False),
                                  meal("L4", "500.00", own=False)))
    assert failed(outcome) == {"meal_at_unit_canteen", "meal_for_trainee_only"}
    assert [(r["key"], r["rule"]) for r in outcome.value["rejected_lines"]] == [
        ("L3", "meal_at_unit_canteen"), ("L4", "meal_for_trainee_only")]
    assert outcome.failures[0].citation.article == "第十条"


def test_jiangsu_art10_transport_and_lodging_only_for_remote_trainees():
    outcome = SPENDING.run(ledger(
        TEACHING, CONSUMABLES,
        {"key": "L5", "category": "transport", "amount": "300.00", "trainee": "T1", "remote_trainee": False},
        {"key": "L6", "category": "lodging", "amount": "900.00", "trainee": "T1", "remote_trainee": False},
        {"key": "L7", "category": "lodging", "amount": "900.00", "trainee": "T2", "remote_trainee": True}))
    assert [r["key"] for r in outcome.value["rejected_lines"]] == ["L5", "L6"]
    assert failed(outcome) == {"transport_only_for_remote_trainees", "lodging_only_for_remote_trainees"}


def test_jiangsu_art10_meal_line_without_canteen_fact_is_bad_input():
    with pytest.raises(FactsError) as err:
        SPENDING.run(ledger(TEACHING, {"key": "L3", "category": "meals", "amount": "10.00", "trainee_only": True}))
    assert err.value.problems[0][0] == "lines[L3].at_unit_canteen"


# ---- funding ----

def funding_facts(*results: tuple[int, str, int]) -> dict[str, Any]:
    return {"as_of": "2028-12-01", "plan_year": 2027, "training_unit": "某技师学院", "finance_bureau": "某市财政局",
            "results": [{"year": y, "track": t, "passing": n} for y, t, n in results]}


def test_jiangsu_art2_funding_is_ten_thousand_for_a_and_eight_thousand_for_b_per_passing_trainee():
    outcome = FUNDING.run(funding_facts((2027, "A", 9), (2027, "B", 8), (2028, "A", 9), (2028, "B", 7)))
    assert outcome.value["total"] == Decimal("300000.00")
    assert [line["amount"] for line in outcome.value["lines"]] == [
        Decimal("90000.00"), Decimal("64000.00"), Decimal("90000.00"), Decimal("56000.00")]
    assert all(isinstance(line["amount"], Decimal) for line in outcome.value["lines"])


def test_jiangsu_art22_money_goes_to_the_training_unit_through_the_local_finance_bureau():
    outcome = FUNDING.run(funding_facts((2027, "A", 1)))
    assert (outcome.value["payee"], outcome.value["via"]) == ("某技师学院", "某市财政局")
    assert outcome.trace[-1].citation.article == "第二十二条"


def test_jiangsu_art2_third_tracking_year_is_not_funded():
    outcome = FUNDING.run(funding_facts((2027, "A", 9), (2029, "A", 9)))
    assert failed(outcome) == {"within_tracking_years"}
    assert outcome.value["total"] == Decimal("90000.00")


def test_jiangsu_art2_a_later_notice_changes_the_rate_from_its_date():
    params = FUNDING.program.parameters()
    base = params.parameters["funding_rate"]
    notice = ParamValue("funding_rate", {"A": Decimal(12000), "B": Decimal(9000)},
                        cite("office", "苏人社发〔2027〕88号"), dt.date(2028, 1, 1), Source.OFFICE)
    dated = Parameter("funding_rate", Kind.TABLE, base.title, base.unit, (*base.entries, notice))
    changed = ParameterSet(params.document, {**params.parameters, "funding_rate": dated})
    facts = parse_facts(FUNDING.facts, funding_facts((2027, "A", 1), (2028, "A", 1), (2028, "B", 1)))
    outcome = FUNDING.func(facts, changed)
    assert [line["rate"] for line in outcome.value["lines"]] == [Decimal(10000), Decimal(12000), Decimal(9000)]
    assert outcome.value["total"] == Decimal("31000.00")
