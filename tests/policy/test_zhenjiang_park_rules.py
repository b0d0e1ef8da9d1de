"""镇江技能大师产业创新园 (镇人社发〔2015〕104号): rules, each test named after the article it checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiangxin.policy.errors import FactsError, UnsetParameterError
from jiangxin.policy.registry import get_computation

OFFICE = {"evaluation_pass_mark": 120, "rectification_period": {"amount": 3, "unit": "months"}}


def run(name: str, facts: dict[str, Any], parameters: dict[str, Any] | None = None):
    return get_computation("zhenjiang_park", name).run(facts, parameters)


# --------------------------------------------------------------------------- 三（一） entry conditions

ROUTE_MET = {"met": True, "evidence": ["证书-2021-07"], "confirmed_by": "专家 李工"}
ROUTE_NO = {"met": False}


def entry(**changes: Any) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "as_of": "2024-03-01", "leader_field": "钳工", "route_unique_skills": ROUTE_NO,
        "route_innovation": ROUTE_NO, "route_apprentices": ROUTE_MET, "business_intent": True,
        "facilities_and_equipment": True, "working_funds": True, "working_rules": True, "work_plan": True,
        "projects": True, "key_projects": False}
    facts.update(changes)
    return facts


def test_zhenjiang_three_1_1_any_one_leader_route_is_enough():
    out = run("entry_eligibility", entry())
    assert out.status.value == "eligible"
    assert out.value == {"eligible": True, "leader_routes_met": ["传艺带徒"]}


def test_zhenjiang_three_1_every_failed_condition_is_listed_with_its_article():
    out = run("entry_eligibility", entry(route_apprentices=ROUTE_NO, working_funds=False, projects=False))
    assert out.status.value == "ineligible"
    failed = {(s.rule, s.citation.article + s.citation.clause) for s in out.failures}
    assert failed == {("leader_route", "三（一）1"), ("working_funds", "三（一）2"), ("projects", "三（一）3")}


def test_zhenjiang_three_1_3_key_projects_are_favoured_not_required():
    out = run("entry_eligibility", entry(key_projects=False))
    assert out.value["eligible"] is True
    assert any(s.rule == "key_projects" and s.passed is None for s in out.trace)


def test_zhenjiang_three_1_1_a_met_route_needs_evidence_and_a_reviewer():
    with pytest.raises(FactsError) as err:
        run("entry_eligibility", entry(route_innovation={"met": True, "evidence": []}))
    assert "route_innovation" in str(err.value)


def test_zhenjiang_facts_before_the_issue_date_are_rejected():
    with pytest.raises(FactsError) as err:
        run("entry_eligibility", entry(as_of="2015-10-07"))
    assert "2015-10-08" in str(err.value)


# --------------------------------------------------------------------------- 三（二） admission vote


def vote(**changes: Any) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "as_of": "2024-04-15", "material_review_passed": True, "site_inspection_done": True,
        "collective_review_done": True, "members_total": 9, "members_present": 6, "votes_for": 4,
        "votes_against": 1, "votes_abstain": 1, "work_group_decision": "pending"}
    facts.update(changes)
    return facts


def test_zhenjiang_three_2_2_more_than_half_of_members_present_makes_a_candidate():
    out = run("admission_vote", vote())
    assert out.value == {"candidate": True, "admitted": False, "work_group_decision": "pending"}
    assert out.status.value == "eligible"


def test_zhenjiang_three_2_2_exactly_half_is_not_a_majority():
    out = run("admission_vote", vote(votes_for=3, votes_against=2, votes_abstain=1))
    assert out.value["candidate"] is False
    assert [s.rule for s in out.failures] == ["vote_majority"]


def test_zhenjiang_three_2_2_abstentions_count_as_present_not_in_favour():
    out = run("admission_vote", vote(votes_for=3, votes_against=0, votes_abstain=3))
    assert out.value["candidate"] is False


def test_zhenjiang_three_2_2_quorum_two_thirds_includes_the_number():
    assert run("admission_vote", vote(members_present=6)).value["candidate"] is True  # 6/9 = 2/3
    out = run("admission_vote", vote(members_present=5, votes_for=4, votes_against=0, votes_abstain=1))
    assert [s.rule for s in out.failures] == ["vote_quorum"]


def test_zhenjiang_three_2_2_procedure_steps_are_all_required():
    out = run("admission_vote", vote(site_inspection_done=False, collective_review_done=False))
    assert {s.rule for s in out.failures} == {"site_inspection", "collective_review"}
    assert out.value["candidate"] is False


def test_zhenjiang_three_2_3_work_group_approval_admits_and_rejection_does_not():
    assert run("admission_vote", vote(work_group_decision="approved")).value["admitted"] is True
    out = run("admission_vote", vote(work_group_decision="rejected"))
    assert out.status.value == "ineligible" and [s.rule for s in out.failures] == ["work_group_approval"]


def test_zhenjiang_three_2_2_every_present_vote_is_recorded():
    with pytest.raises(FactsError) as err:
        run("admission_vote", vote(votes_abstain=0))
    assert "members_present" in str(err.value)
    with pytest.raises(FactsError):
        run("admission_vote", vote(members_present=10, votes_for=8, votes_against=1, votes_abstain=1))


def test_zhenjiang_three_2_2_majority_is_an_interpretation_parameter_an_office_can_change():
    out = run("admission_vote", vote(members_present=6, votes_for=4, votes_against=2, votes_abstain=0),
              {"vote_majority": {"numerator": 2, "denominator": 3, "strict": False}})
    assert out.value["candidate"] is True
    out = run("admission_vote", vote(members_present=6, votes_for=3, votes_against=3, votes_abstain=0),
              {"vote_majority": {"numerator": 2, "denominator": 3, "strict": False}})
    assert out.value["candidate"] is False


# --------------------------------------------------------------------------- 四（一） rent-free, 五（三） fees


def test_zhenjiang_four_1_rent_free_ends_after_two_years():
    out = run("rent_free_term", {"as_of": "2026-05-01", "admission_date": "2024-05-01",
                                 "months": ["2026-04", "2026-05"]})
    assert out.value["first_day"] == dt.date(2024, 5, 1)
    assert out.value["last_rent_free_day"] == dt.date(2026, 4, 30)
    assert out.value["rent_free_on_as_of"] is False
    assert out.value["months"]["2026-04"] == {"rent_free_days": 30, "days_in_month": 30, "fully_rent_free": True}
    assert out.value["months"]["2026-05"]["rent_free_days"] == 0
    assert out.value["fees_due"] is True
    assert {c.article + c.clause for c in out.citations} >= {"四（一）", "五（三）"}


def test_zhenjiang_four_1_mid_month_admission_leaves_a_partly_rent_free_last_month():
    out = run("rent_free_term", {"as_of": "2024-06-16", "admission_date": "2024-06-16",
                                 "months": ["2024-06", "2026-06"]})
    assert out.value["last_rent_free_day"] == dt.date(2026, 6, 15)
    assert out.value["rent_free_on_as_of"] is True
    assert out.value["months"]["2024-06"]["rent_free_days"] == 15
    assert out.value["months"]["2026-06"] == {"rent_free_days": 15, "days_in_month": 30, "fully_rent_free": False}


def test_zhenjiang_four_1_leap_day_admission_runs_to_28_february():
    out = run("rent_free_term", {"as_of": "2024-02-29", "admission_date": "2024-02-29"})
    assert out.value["last_rent_free_day"] == dt.date(2026, 2, 28)


@given(st.dates(min_value=dt.date(2015, 10, 8), max_value=dt.date(2090, 12, 31)))
def test_zhenjiang_four_1_rent_free_term_is_two_years_long(admission):
    out = run("rent_free_term", {"as_of": admission.isoformat(), "admission_date": admission.isoformat()})
    last = out.value["last_rent_free_day"]
    assert (last - admission).days + 1 in {730, 731}
    assert out.value["rent_free_on_as_of"] is True


def test_zhenjiang_five_3_fees_are_due_in_rent_free_months_and_arrears_add_up():
    out = run("fee_arrears", {"as_of": "2024-08-10", "months": {
        "2024-07": {"due": "388.20", "paid": "0"}, "2024-05": {"due": "320.00", "paid": "320.00"},
        "2024-06": {"due": "415.50", "paid": "200.00"}}})
    assert out.value["per_month"] == {"2024-05": Decimal("0.00"), "2024-06": Decimal("215.50"),
                                      "2024-07": Decimal("388.20")}
    assert out.value["total"] == Decimal("603.70")
    assert out.value["months_in_arrears"] == ["2024-06", "2024-07"]
    assert out.status.value == "failed"


def test_zhenjiang_five_3_no_arrears_passes():
    out = run("fee_arrears", {"as_of": "2024-08-10", "months": {"2024-05": {"due": "99.99", "paid": "99.99"}}})
    assert out.value["total"] == Decimal("0.00") and out.status.value == "passed"


def test_zhenjiang_five_3_overpayment_and_bad_months_are_rejected():
    with pytest.raises(FactsError) as err:
        run("fee_arrears", {"as_of": "2024-08-10", "months": {"2024-05": {"due": "10", "paid": "12"}}})
    assert "allocate" in str(err.value)
    with pytest.raises(FactsError):
        run("fee_arrears", {"as_of": "2024-08-10", "months": {"2024-13": {"due": "10", "paid": "0"}}})
    with pytest.raises(FactsError):
        run("fee_arrears", {"as_of": "2024-08-10", "months": {"2024-05": {"due": "10.001", "paid": "0"}}})


# --------------------------------------------------------------------------- 附件2 item 2 presence


def presence(days: dict[str, int], as_of: str = "2025-12-31", parameters: dict[str, Any] | None = None):
    return run("presence", {"as_of": as_of, "days_on_site": days}, parameters)


def test_zhenjiang_annex2_item2_nine_days_costs_two_points():
    out = presence({"2025-03": 9})
    assert out.value["missing_days"] == 1
    assert out.value["deduction"] == Decimal(2)
    assert out.value["points"] == Decimal(18)


def test_zhenjiang_annex2_item2_ten_days_costs_nothing():
    out = presence({"2025-03": 10})
    assert out.value["missing_days"] == 0 and out.value["points"] == Decimal(20)


def test_zhenjiang_annex2_presence_floor_zero_after_ten_missing_days():
    out = presence({"2025-01": 5, "2025-02": 5})
    assert out.value["missing_days"] == 10
    assert out.value["points"] == Decimal(0)
    out = presence({"2025-01": 0, "2025-02": 0, "2025-03": 0})
    assert out.value["missing_days"] == 30
    assert out.value["deduction"] == Decimal(20)
    assert out.value["points"] == Decimal(0)


def test_zhenjiang_annex2_item2_a_month_with_zero_days_misses_ten():
    out = presence({"2025-06": 0})
    assert out.value["missing_per_month"] == {"2025-06": 10}
    assert out.value["points"] == Decimal(0)


def test_zhenjiang_annex2_item2_extra_days_do_not_offset_another_month_per_month_basis():
    out = presence({"2025-01": 20, "2025-02": 6})
    assert out.value["missing_days"] == 4
    assert out.value["points"] == Decimal(12)


def test_zhenjiang_annex2_item2_yearly_basis_is_a_switchable_interpretation():
    out = presence({"2025-01": 20, "2025-02": 6}, parameters={"presence_shortfall_basis": "yearly"})
    assert out.value["missing_days"] == 0
    assert out.value["points"] == Decimal(20)


def test_zhenjiang_annex2_item2_thirty_one_day_month_and_february():
    out = presence({"2025-01": 31, "2024-02": 29, "2025-02": 28})
    assert out.value["missing_days"] == 0
    with pytest.raises(FactsError) as err:
        presence({"2025-02": 29})
    assert "2025-02" in str(err.value) and "0–28" in str(err.value)
    with pytest.raises(FactsError):
        presence({"2025-04": 31})


def test_zhenjiang_annex2_item2_thirty_two_days_is_invalid():
    with pytest.raises(FactsError) as err:
        presence({"2025-01": 32})
    assert "days_on_site" in str(err.value)


def test_zhenjiang_annex2_item2_bad_month_keys_negative_days_and_future_months_are_rejected():
    for bad in ({"2025-1": 5}, {"2025-00": 5}, {"25-01": 5}, {"2025-01": -1}):
        with pytest.raises(FactsError):
            presence(bad)
    with pytest.raises(FactsError) as err:
        presence({"2026-01": 10}, as_of="2025-12-31")
    assert "2026-01" in str(err.value)


@given(st.dictionaries(st.sampled_from([f"2025-{m:02d}" for m in range(1, 13)]),
                       st.integers(min_value=0, max_value=28), max_size=12))
def test_zhenjiang_annex2_item2_points_follow_the_formula(days):
    out = presence(days)
    missing = sum(max(0, 10 - d) for d in days.values())
    assert out.value["missing_days"] == missing
    assert out.value["points"] == max(Decimal(0), Decimal(20) - 2 * missing)
    assert Decimal(0) <= out.value["points"] <= Decimal(20)


# --------------------------------------------------------------------------- 五（四）4 rectification


def rect(parameters: dict[str, Any] | None = OFFICE, **changes: Any):
    facts: dict[str, Any] = {"as_of": "2025-09-30", "evaluation_total": "96", "fraud_found": False,
                             "notice_date": "2025-05-20"}
    facts.update(changes)
    return run("rectification", facts, parameters)


def test_zhenjiang_five_4_exit_after_failed_rectification():
    out = rect(recheck_date="2025-09-01", recheck_total="104")
    assert out.value == {"stage": "exit", "exit": True, "deadline": dt.date(2025, 8, 20)}
    assert out.status.value == "failed"
    assert "recheck_meets_standard" in {s.rule for s in out.failures}


def test_zhenjiang_five_4_recheck_at_the_pass_mark_ends_rectification():
    out = rect(recheck_date="2025-09-01", recheck_total="120")
    assert out.value["stage"] == "rectified" and out.status.value == "passed"


def test_zhenjiang_five_4_rectification_deadline_excludes_the_notice_day():
    out = rect(as_of="2025-06-01", parameters={**OFFICE, "rectification_period": {"amount": 30,
                                                                                  "unit": "calendar_days"}})
    assert out.value == {"stage": "rectifying", "exit": False, "deadline": dt.date(2025, 6, 19)}


def test_zhenjiang_five_4_early_failed_recheck_leaves_the_period_running():
    out = rect(as_of="2025-07-01", recheck_date="2025-07-01", recheck_total="100")
    assert out.value["stage"] == "rectifying" and out.value["exit"] is False


def test_zhenjiang_five_4_no_recheck_after_the_deadline_means_a_recheck_is_due():
    assert rect().value["stage"] == "recheck_due"


def test_zhenjiang_five_4_a_passing_evaluation_needs_no_rectification():
    out = rect(evaluation_total="150", notice_date=None)
    assert out.value["stage"] == "not_needed" and out.status.value == "passed"


def test_zhenjiang_five_4_fraud_means_exit():
    out = rect(evaluation_total="150", fraud_found=True, notice_date=None)
    assert out.value["exit"] is True and "no_fraud" in {s.rule for s in out.failures}


def test_zhenjiang_five_4_fraud_through_rectification_when_the_office_reads_it_so():
    params = {**OFFICE, "fraud_requires_rectification": True}
    out = rect(params, evaluation_total="150", fraud_found=True, recheck_date="2025-09-01",
               recheck_total="150", recheck_fraud_corrected=False)
    assert out.value["stage"] == "exit"
    out = rect(params, evaluation_total="150", fraud_found=True, recheck_date="2025-09-01",
               recheck_total="150", recheck_fraud_corrected=True)
    assert out.value["stage"] == "rectified"


def test_zhenjiang_five_4_pass_mark_and_period_are_not_set_by_the_policy():
    with pytest.raises(UnsetParameterError):
        rect(parameters=None)
    with pytest.raises(UnsetParameterError) as err:
        rect(parameters={"evaluation_pass_mark": 120})
    assert err.value.name == "rectification_period"


def test_zhenjiang_five_4_recheck_inputs_go_together_and_in_order():
    with pytest.raises(FactsError):
        rect(recheck_date="2025-09-01")
    with pytest.raises(FactsError):
        rect(recheck_date="2025-05-01", recheck_total="130")
    with pytest.raises(FactsError):
        rect(recheck_date="2025-10-01", recheck_total="130")


# --------------------------------------------------------------------------- 五（四） exit grounds


def exit_facts(**changes: Any) -> dict[str, Any]:
    facts: dict[str, Any] = {"as_of": "2025-09-30", "studio_deregistered": False, "leader_left": False,
                             "serious_loss": False}
    facts.update(changes)
    return facts


def test_zhenjiang_five_4_no_ground_means_the_studio_stays():
    out = run("exit_grounds", exit_facts())
    assert out.value == {"exit": False, "grounds": []} and out.status.value == "eligible"


def test_zhenjiang_five_4_every_applying_ground_is_listed_and_cited():
    out = run("exit_grounds", exit_facts(
        studio_deregistered=True, leader_left=True, qualified_successor=False, serious_loss=True,
        rectification={"evaluation_total": "96", "fraud_found": False, "notice_date": "2025-05-20",
                       "recheck_date": "2025-09-01", "recheck_total": "104"}), OFFICE)
    assert out.value["grounds"] == ["studio_deregistered", "leader_left_without_successor", "serious_loss",
                                    "evaluation_failed_or_fraud"]
    assert [s.citation.clause for s in out.failures] == ["（四）1", "（四）2", "（四）3", "（四）4"]


def test_zhenjiang_five_4_2_a_qualified_successor_keeps_the_studio():
    out = run("exit_grounds", exit_facts(leader_left=True, qualified_successor=True))
    assert out.value["exit"] is False
    with pytest.raises(FactsError):
        run("exit_grounds", exit_facts(leader_left=True))


def test_zhenjiang_five_4_4_rectified_evaluation_is_not_a_ground():
    out = run("exit_grounds", exit_facts(rectification={
        "evaluation_total": "96", "fraud_found": False, "notice_date": "2025-05-20",
        "recheck_date": "2025-09-01", "recheck_total": "130"}), OFFICE)
    assert out.value["exit"] is False
    assert out.failures == []  # the failed evaluation explains, it is not itself a ground


# --------------------------------------------------------------------------- 四（二）–（五） benefits


def test_zhenjiang_four_2_to_5_resident_studio_gets_priority_flags_and_subsidy_amount_is_office_set():
    facts = {"as_of": "2025-06-30", "admission_date": "2024-05-01", "upgraded_to_business": True,
             "outstanding_in": []}
    out = run("benefits", facts)
    assert out.value["startup_subsidy"] is True and out.value["startup_subsidy_amount"] is None
    assert out.value["performance_reward"] is False
    assert out.value["priority_part_time_teacher"] and out.value["leader_priority_talent_award"]
    assert any("not set by the policy" in s.note for s in out.trace)
    out = run("benefits", facts, {"startup_subsidy_amount": "50000"})
    assert out.value["startup_subsidy_amount"] == Decimal(50000)


def test_zhenjiang_four_benefits_end_with_residency():
    out = run("benefits", {"as_of": "2026-06-30", "admission_date": "2024-05-01", "exit_date": "2026-01-01",
                           "upgraded_to_business": True, "outstanding_in": ["人才培养"]})
    assert out.status.value == "ineligible"
    assert not any(v for k, v in out.value.items() if k != "startup_subsidy_amount"
                   and k != "performance_reward_amount")
