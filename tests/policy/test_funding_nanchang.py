"""Nanchang academy (第二十条–第二十六条) and studio (第十一条–第十五条) money, article by article."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jiangxin.policy import funding as f
from jiangxin.policy.errors import FactsError
from jiangxin.policy.outcome import Status, Trace, cite
from jiangxin.policy.registry import get_computation


def academy(name, facts, overrides=None):
    return get_computation("nanchang_academy", name).run(facts, overrides)


def studio(name, facts, overrides=None):
    return get_computation("nanchang_studio", name).run(facts, overrides)


def schedule(run, naming, results, fraud=None, as_of="2030-12-31"):
    facts = {"as_of": as_of, "naming_year": naming,
             "assessments": {str(y): r for y, r in results.items()}}
    if fraud is not None:
        facts["fraud_found_year"] = fraud
    return run("tranche_schedule", facts)


def payments(outcome):
    return {row.year: row.paid for row in outcome.value.years if row.paid}


def clauses_of_payments(outcome):
    return [(e.year, e.citation.label) for row in outcome.value.years for e in row.events
            if e.kind is f.EventKind.TRANCHE_PAID]


# --- academy 第二十条 ---------------------------------------------------------------------------------


def test_nanchang_academy_art20_clause1_three_tranches_in_three_passing_years():
    out = schedule(academy, 2024, {2025: True, 2026: True})
    assert payments(out) == {2024: Decimal("600000.00"), 2025: Decimal("600000.00"),
                             2026: Decimal("800000.00")}
    assert out.value.state.status is f.CycleStatus.CYCLE_COMPLETE
    assert [label for _, label in clauses_of_payments(out)] == ["南昌工匠学院办法 第二十条（一）"] * 3


def test_nanchang_academy_art20_clause2_second_tranche_paid_in_year_three_after_a_failure():
    out = schedule(academy, 2024, {2025: False, 2026: True})
    assert payments(out) == {2024: Decimal("600000.00"), 2026: Decimal("600000.00")}
    assert clauses_of_payments(out)[1] == (2026, "南昌工匠学院办法 第二十条（二）")
    state = out.value.state
    assert state.status is f.CycleStatus.ACTIVE
    assert state.outstanding == Decimal("800000.00")
    assert state.next_due == f.NextTranche(3, Decimal("800000.00"), 2027, 2028)


def test_nanchang_academy_art20_clause2_third_tranche_paid_in_year_four_after_the_late_second():
    out = schedule(academy, 2024, {2025: False, 2026: True, 2027: True})
    assert payments(out)[2027] == Decimal("800000.00")
    assert clauses_of_payments(out)[2] == (2027, "南昌工匠学院办法 第二十条（二）")
    assert out.value.state.status is f.CycleStatus.CYCLE_COMPLETE


def test_nanchang_academy_art20_clause2_third_tranche_paid_in_year_five_after_a_year_four_failure():
    out = schedule(academy, 2024, {2025: False, 2026: True, 2027: False, 2028: True})
    assert payments(out) == {2024: Decimal("600000.00"), 2026: Decimal("600000.00"),
                             2028: Decimal("800000.00")}
    assert clauses_of_payments(out)[2] == (2028, "南昌工匠学院办法 第二十条（二）")
    assert out.value.state.yellow_cards == 2
    assert out.value.state.status is f.CycleStatus.CYCLE_COMPLETE


def test_nanchang_academy_art20_clause3_third_tranche_paid_in_year_four_after_a_year_three_failure():
    out = schedule(academy, 2024, {2025: True, 2026: False, 2027: True})
    assert payments(out) == {2024: Decimal("600000.00"), 2025: Decimal("600000.00"),
                             2027: Decimal("800000.00")}
    assert clauses_of_payments(out)[2] == (2027, "南昌工匠学院办法 第二十条（三）")


def test_nanchang_academy_art20_span_counts_the_naming_year_as_year_one():
    out = schedule(academy, 2024, {})
    assert out.value.state.plan.last_cycle_year == 2028
    assert payments(out) == {2024: Decimal("600000.00")}
    assert out.value.state.next_due == f.NextTranche(2, Decimal("600000.00"), 2025, 2028)


def test_nanchang_academy_art20_first_tranche_needs_no_assessment_so_a_naming_year_result_is_rejected():
    with pytest.raises(FactsError) as err:
        schedule(academy, 2024, {2024: True})
    assert err.value.problems[0][0] == "assessments.2024"


def test_nanchang_academy_art20_a_gap_in_the_yearly_results_is_an_error_not_a_default():
    with pytest.raises(FactsError) as err:
        schedule(academy, 2024, {2025: True, 2027: True})
    assert err.value.problems[0][0] == "assessments.2026"


def test_nanchang_academy_art20_results_after_as_of_are_rejected():
    with pytest.raises(FactsError) as err:
        schedule(academy, 2024, {2025: True, 2026: True}, as_of="2025-12-31")
    assert [p[0] for p in err.value.problems] == ["assessments.2026"]


# --- academy 第二十四条 / 第二十六条 -------------------------------------------------------------------


def test_nanchang_academy_art24_one_failure_in_the_cycle_gives_a_yellow_card():
    out = schedule(academy, 2024, {2025: True, 2026: False})
    assert out.value.state.status is f.CycleStatus.YELLOW_CARD
    kinds = [(e.kind, e.citation.article) for e in out.value.years[-1].events]
    assert (f.EventKind.YELLOW_CARD, "第二十四条") in kinds
    assert out.status is Status.OK


def test_nanchang_academy_art24_two_consecutive_failures_revoke_the_naming_and_stop_payment():
    out = schedule(academy, 2024, {2025: True, 2026: False, 2027: False})
    state = out.value.state
    assert (state.status, state.revocation, state.revoked_in) == (
        f.CycleStatus.REVOKED, f.RevocationReason.CONSECUTIVE_FAILURES, 2027)
    assert state.paid_total == Decimal("1200000.00")
    assert state.forfeited == Decimal("800000.00") and state.outstanding == 0
    assert state.next_due is None
    assert out.status is Status.FAILED
    assert any(s.citation.article == "第二十四条" and s.rule == "revoked" for s in out.trace)


def test_nanchang_academy_art24_two_failures_that_are_not_consecutive_do_not_revoke():
    out = schedule(academy, 2024, {2025: False, 2026: True, 2027: False})
    assert out.value.state.status is f.CycleStatus.YELLOW_CARD
    assert out.value.state.yellow_cards == 2


def test_nanchang_academy_art24_failure_after_cycle_revokes():
    out = schedule(academy, 2024, {2025: True, 2026: True, 2027: False})
    state = out.value.state
    assert (state.status, state.revocation) == (f.CycleStatus.REVOKED, f.RevocationReason.FAILURE_AFTER_CYCLE)
    assert state.paid_total == Decimal("2000000.00") and state.clawed_back == 0
    assert state.reapplication_barred


def test_nanchang_academy_art24_passes_after_the_cycle_keep_the_naming():
    out = schedule(academy, 2024, {2025: True, 2026: True, 2027: True, 2028: True, 2029: True})
    assert out.value.state.status is f.CycleStatus.CYCLE_COMPLETE
    assert [e.kind for e in out.value.years[-1].events] == [f.EventKind.RETAINED]


def test_nanchang_academy_art26_fraud_claws_back_everything_and_bars_reapplication():
    out = schedule(academy, 2024, {2025: True, 2026: True}, fraud=2026)
    state = out.value.state
    assert state.paid_total == Decimal("1200000.00")  # the fraud year's tranche is not paid
    assert state.clawed_back == Decimal("1200000.00") and state.net_paid == 0
    assert (state.revocation, state.reapplication_barred) == (f.RevocationReason.FRAUD, True)
    events = {e.kind: e.citation.article for e in out.value.years[-1].events}
    assert events == {f.EventKind.REVOKED: "第二十六条", f.EventKind.CLAWED_BACK: "第二十六条",
                      f.EventKind.REAPPLICATION_BARRED: "第二十六条"}


def test_nanchang_academy_art26_fraud_found_after_a_revocation_still_claws_back():
    out = schedule(academy, 2024, {2025: False, 2026: False}, fraud=2028)
    state = out.value.state
    assert state.revocation is f.RevocationReason.CONSECUTIVE_FAILURES and state.revoked_in == 2026
    assert state.clawed_back == Decimal("600000.00")


# --- academy 第二十一条 ----------------------------------------------------------------------------------


def test_nanchang_academy_art21_clause1_upgrade_subsidy_per_person_per_level():
    out = academy("upgrade_subsidy", {"as_of": "2026-11-30", "upgrades": {
        "首席技师": 3, "特级技师": 1, "高级技师": 1, "技师": 1, "高级工": 1, "中级工": 1, "初级工": 1}})
    assert {ln.key: ln.amount for ln in out.value.lines} == {
        "首席技师": Decimal("60000.00"), "特级技师": Decimal("15000.00"), "高级技师": Decimal("10000.00"),
        "技师": Decimal("5000.00"), "高级工": Decimal("2000.00"), "中级工": Decimal("1000.00"),
        "初级工": Decimal("500.00")}
    assert out.value.granted == Decimal("93500.00")


def test_nanchang_academy_art21_clause1_apprentice_has_no_rate_and_is_rejected():
    with pytest.raises(FactsError) as err:
        academy("upgrade_subsidy", {"as_of": "2026-11-30", "upgrades": {"学徒工": 3}})
    assert err.value.problems[0][0] == "upgrades.学徒工"


def test_nanchang_academy_art21_clause2_ten_percent_of_new_cost_and_of_used_assessed_value():
    out = academy("equipment_subsidy", {"as_of": "2026-11-30", "items": [
        {"name": "机器人工作站", "condition": "新购", "value": "1234567.89"},
        {"name": "旧车床", "condition": "旧设备", "value": "80000"}]})
    assert [ln.amount for ln in out.value.lines] == [Decimal("123456.79"), Decimal("8000.00")]
    assert out.value.granted == Decimal("131456.79")


def test_nanchang_academy_art21_clause3_teacher_gets_the_highest_tier_once():
    out = academy("teaching_subsidy", {"as_of": "2026-11-30", "lessons": [
        {"teacher": "A", "honours": ["洪城工匠", "能工巧匠"], "title": "教授", "hours": 10},
        {"teacher": "B", "honours": ["赣鄱工匠"], "title": "讲师", "hours": 4},
        {"teacher": "C", "honours": ["洪城技师"], "hours": 3},
        {"teacher": "D", "hours": 5}]})
    assert [(ln.rate, ln.amount) for ln in out.value.lines] == [
        (Decimal(1000), Decimal("10000.00")), (Decimal(500), Decimal("2000.00")),
        (Decimal(300), Decimal("900.00")), (Decimal(0), Decimal("0.00"))]
    assert out.value.granted == Decimal("12900.00")


def test_nanchang_academy_art21_clause4_courses_and_videos_together_capped_at_fifty_thousand():
    out = academy("course_subsidy", {"as_of": "2026-11-30", "offline_courses": 20, "video_lesson_hours": 10,
                                     "already_granted": "0"})
    assert (out.value.uncapped, out.value.granted, out.value.capped) == (
        Decimal("60000.00"), Decimal("50000.00"), True)


def test_nanchang_academy_art21_clause4_cap_counts_what_was_already_granted_since_naming():
    out = academy("course_subsidy", {"as_of": "2026-11-30", "offline_courses": 3, "video_lesson_hours": 0,
                                     "already_granted": "46000"})
    assert out.value.granted == Decimal("4000.00")
    assert any(s.rule == "course_cap_lifetime" for s in out.trace)
    year = academy("course_subsidy", {"as_of": "2026-11-30", "offline_courses": 3, "video_lesson_hours": 0,
                                      "already_granted": "0"}, {"funding_course_cap_period": "year"})
    assert any(s.rule == "course_cap_year" for s in year.trace)
    assert year.value.granted == Decimal("6000.00")


def test_nanchang_academy_art21_clause5_contest_hosting_by_level_and_class():
    out = academy("contest_subsidy", {"as_of": "2026-11-30", "hosted": {
        "市级洪工杯": 1, "省级天工杯一类": 1, "省级天工杯二类": 2, "省级天工杯三类": 1}})
    assert out.value.granted == Decimal("100000") + Decimal("150000") + Decimal("150000") + Decimal("35000")


def test_nanchang_academy_art21_clause6_every_quota_breach_is_listed():
    awards = ([{"id": f"A{i}", "category": "创新成果一等奖"} for i in range(3)]
              + [{"id": f"B{i}", "category": "创新成果二等奖"} for i in range(6)]
              + [{"id": f"C{i}", "category": "创新成果三等奖"} for i in range(12)]
              + [{"id": f"D{i}", "category": "金点子"} for i in range(11)])
    out = academy("innovation_awards", {"as_of": "2026-12-31", "year": 2026, "awards": awards})
    assert out.status is Status.FAILED
    assert {(b.category, b.quota, b.count) for b in out.value.breaches} == {
        ("创新成果一等奖", 2, 3), ("金点子", 10, 11), ("创新成果奖合计", 20, 21)}
    assert {s.rule for s in out.failures} == {"quota_创新成果一等奖", "quota_金点子", "quota_创新成果奖合计"}
    assert out.value.total == Decimal(3 * 100000 + 6 * 50000 + 12 * 20000 + 11 * 10000)


def test_nanchang_academy_art21_clause6_full_quota_is_allowed_and_priced():
    awards = ([{"id": f"A{i}", "category": "创新成果一等奖"} for i in range(2)]
              + [{"id": f"B{i}", "category": "创新成果二等奖"} for i in range(6)]
              + [{"id": f"C{i}", "category": "创新成果三等奖"} for i in range(12)]
              + [{"id": f"D{i}", "category": "先进操作法"} for i in range(10)]
              + [{"id": f"E{i}", "category": "金点子"} for i in range(10)])
    out = academy("innovation_awards", {"as_of": "2026-12-31", "year": 2026, "awards": awards})
    assert out.status is Status.PASSED
    assert out.value.total == Decimal("1340000.00")  # 200k + 300k + 240k + 500k + 100k


def test_nanchang_academy_art21_clause6_unknown_category_and_duplicate_ids_are_errors():
    with pytest.raises(FactsError) as err:
        academy("innovation_awards", {"as_of": "2026-12-31", "year": 2026,
                                      "awards": [{"id": "X", "category": "特等奖"}]})
    assert err.value.problems[0][0] == "awards.0.category"
    with pytest.raises(FactsError) as err:
        academy("innovation_awards", {"as_of": "2026-12-31", "year": 2026, "awards": [
            {"id": "X", "category": "金点子"}, {"id": "X", "category": "金点子"}]})
    assert err.value.problems[0][0] == "awards.1.id"


def test_nanchang_academy_annual_grade_still_grades_scores():
    assert academy("annual_grade", {"as_of": "2026-11-23", "score": "85"}).value == "良好"


# --- studio 第十一条–第十五条 --------------------------------------------------------------------------


def test_nanchang_studio_art11_one_million_in_three_three_four():
    out = schedule(studio, 2024, {2025: True, 2026: True})
    assert out.value.state.plan.amounts == (Decimal("300000.00"), Decimal("300000.00"), Decimal("400000.00"))
    assert payments(out) == {2024: Decimal("300000.00"), 2025: Decimal("300000.00"),
                             2026: Decimal("400000.00")}
    assert clauses_of_payments(out)[0] == (2024, "南昌创新工作室办法 第十一条（一）")


def test_nanchang_studio_art11_clause2_late_second_and_late_third_tranche():
    out = schedule(studio, 2024, {2025: False, 2026: True, 2027: False, 2028: True})
    assert payments(out) == {2024: Decimal("300000.00"), 2026: Decimal("300000.00"),
                             2028: Decimal("400000.00")}
    assert {label for _, label in clauses_of_payments(out)[1:]} == {"南昌创新工作室办法 第十一条（二）"}


def test_nanchang_studio_art11_clause3_late_third_tranche():
    out = schedule(studio, 2024, {2025: True, 2026: False, 2027: True})
    assert clauses_of_payments(out)[2] == (2027, "南昌创新工作室办法 第十一条（三）")


def test_nanchang_studio_art11_clause4_yellow_card_then_revocation():
    out = schedule(studio, 2024, {2025: False, 2026: False})
    state = out.value.state
    assert state.status is f.CycleStatus.REVOKED and state.paid_total == Decimal("300000.00")
    cited = [(e.kind, e.citation.label) for row in out.value.years for e in row.events]
    assert (f.EventKind.YELLOW_CARD, "南昌创新工作室办法 第十一条（四）") in cited
    assert (f.EventKind.REVOKED, "南昌创新工作室办法 第十一条（四）") in cited


def test_nanchang_studio_art14_failure_after_cycle_revokes():
    out = schedule(studio, 2024, {2025: True, 2026: True, 2027: True, 2028: False})
    state = out.value.state
    assert (state.status, state.revoked_in) == (f.CycleStatus.REVOKED, 2028)
    revoked = next(e for e in out.value.years[-1].events if e.kind is f.EventKind.REVOKED)
    assert revoked.citation.label == "南昌创新工作室办法 第十四条"


def test_nanchang_studio_art15_fraud_claws_back_everything():
    out = schedule(studio, 2024, {2025: True, 2026: True, 2027: True}, fraud=2028)
    state = out.value.state
    assert state.clawed_back == Decimal("1000000.00") and state.net_paid == 0
    assert state.reapplication_barred
    assert any(s.rule == "clawed_back" and s.citation.article == "第十五条" for s in out.trace)


def test_nanchang_studio_art12_clause1_equipment_and_clause2_upgrades():
    eq = studio("equipment_subsidy", {"as_of": "2026-06-30", "items": [
        {"name": "三坐标测量机", "condition": "新购", "value": "500000"}]})
    assert eq.value.granted == Decimal("50000.00")
    assert eq.trace[0].citation.label == "南昌创新工作室办法 第十二条（一）"
    up = studio("upgrade_subsidy", {"as_of": "2026-06-30", "upgrades": {"高级技师": 2, "中级工": 3}})
    assert up.value.granted == Decimal("23000.00")
    assert up.trace[0].citation.clause == "（二）"


def test_nanchang_studio_art12_clause3_award_quotas():
    out = studio("innovation_awards", {"as_of": "2026-12-31", "year": 2026, "awards": [
        {"id": f"Z{i}", "category": "先进操作法"} for i in range(11)]})
    assert out.status is Status.FAILED
    assert [(b.category, b.count) for b in out.value.breaches] == [("先进操作法", 11)]
    assert out.value.total == Decimal("550000.00")


# --- generic per-head and one-off -------------------------------------------------------------------------


def test_per_head_funding_pays_the_rate_per_passing_person_each_funded_year():
    trace = Trace()
    c = cite("office", "年度通知")
    result = f.per_head_funding(Decimal(10000), {2025: 30, 2026: 28}, 2025, 2, trace=trace, citation=c)
    assert result.by_year == {2025: Decimal("300000.00"), 2026: Decimal("280000.00")}
    assert result.total == Decimal("580000.00") and len(trace.steps) == 2
    with pytest.raises(FactsError):
        f.per_head_funding(Decimal(8000), {2027: 1}, 2025, 2, trace=trace, citation=c)


def test_one_off_reward_is_amount_times_recipients():
    trace = Trace()
    assert f.one_off_reward(Decimal(30000), 15, trace=trace,
                            citation=cite("office", "年度通知")) == Decimal("450000.00")
