"""南昌市工匠学院 naming: 第八条, 第十九条, 第二十六条."""

from __future__ import annotations

import datetime as dt

import pytest

from jiangxin.policy.errors import FactsError
from jiangxin.policy.outcome import Status
from jiangxin.policy.registry import get_computation

ADMISSIBLE = get_computation("nanchang_academy", "application_admissible")
STAGES = get_computation("nanchang_academy", "stages")
PUBLICITY = get_computation("nanchang_academy", "publicity_window")
DEADLINE = get_computation("nanchang_academy", "naming_deadline")


def applicant(**changes):
    facts = dict(ADMISSIBLE.example)
    facts.update(changes)
    return ADMISSIBLE.run(facts)


def failed(outcome):
    return {(s.rule, s.citation.article) for s in outcome.failures}


def test_nanchang_academy_art19_enterprises_and_colleges_may_apply():
    assert applicant().status is Status.ELIGIBLE
    assert applicant(applicant_type="college").value is True
    assert failed(applicant(applicant_type="other")) == {("applicant_is_enterprise_or_college", "第十九条")}


def test_nanchang_academy_art8_a_violation_on_record_bars_the_application():
    out = applicant(violation_on_record=True)
    assert (out.value, out.status) == (False, Status.INELIGIBLE)
    assert failed(out) == {("no_violation_on_record", "第八条")}


def test_nanchang_academy_art26_fraud_is_a_permanent_ban_and_revoked_academies_cannot_reapply():
    out = applicant(fraud_found=True, previously_revoked=True, violation_on_record=True, applicant_type="other")
    assert failed(out) == {("applicant_is_enterprise_or_college", "第十九条"), ("no_violation_on_record", "第八条"),
                           ("no_fraud_ban", "第二十六条"), ("not_previously_revoked", "第二十六条")}
    assert next(s for s in out.failures if s.rule == "no_fraud_ban").note == "permanent ban"


def test_nanchang_academy_art19_chain_has_four_stages_and_no_quota():
    out = STAGES.run({"as_of": "2026-03-01", "completed_stages": []})
    stages = out.value["stages"]
    assert [s["key"] for s in stages] == ["recommendation", "central_review", "publicity", "naming"]
    assert [p["key"] for p in stages[1]["parts"]] == ["field_visit", "on_site_review"]
    assert stages[1]["parts"][1]["computation"] == "naming_score"  # shortlisting is the rubric's rule
    assert [s["citation"]["clause"] for s in stages] == ["（一）", "（二）", "（三）", "（四）"]
    assert out.value["quota"] is None and out.value["next_stage"] == "recommendation"


def test_nanchang_academy_art19_3_upheld_objection_ends_the_chain():
    out = STAGES.run({"as_of": "2026-10-20", "completed_stages": ["recommendation", "central_review"],
                      "publicity_objection_upheld": True})
    assert out.status is Status.FAILED and out.value["next_stage"] is None
    assert [(s.rule, s.citation.clause) for s in out.failures] == [("publicity_without_upheld_objection", "（三）")]
    cleared = STAGES.run({"as_of": "2026-10-20", "completed_stages": ["recommendation", "central_review"],
                          "publicity_objection_upheld": False})
    assert cleared.status is Status.OK and cleared.value["next_stage"] == "publicity"


def test_nanchang_academy_art19_stages_must_be_completed_in_order():
    with pytest.raises(FactsError, match="in order"):
        STAGES.run({"as_of": "2026-10-20", "completed_stages": ["central_review"]})
    with pytest.raises(FactsError, match="publicity_objection_upheld"):
        STAGES.run({"as_of": "2026-10-20", "completed_stages": ["recommendation"],
                    "publicity_objection_upheld": False})


def test_nanchang_academy_art19_3_publicity_is_seven_calendar_days_even_over_national_day():
    # calendar days: holidays do not extend it; published 9-28, counted from 9-29 (I-SEL-08)
    out = PUBLICITY.run({"as_of": "2026-09-25", "publicity_start": "2026-09-28"})
    assert (out.value["start"], out.value["end"]) == (dt.date(2026, 9, 29), dt.date(2026, 10, 5))
    assert out.value["naming_from"] == dt.date(2026, 10, 6)
    assert out.trace[0].citation.label == "南昌工匠学院办法 第十九条（三）"


def test_nanchang_academy_art19_3_publicity_may_cross_the_year_end():
    out = PUBLICITY.run({"as_of": "2026-12-20", "publicity_start": "2026-12-28"})
    assert out.value["end"] == dt.date(2027, 1, 4)


def test_nanchang_academy_art19_4_naming_by_31_december_of_the_year():
    ok = DEADLINE.run({"as_of": "2026-12-01", "round_year": 2026, "planned_naming_date": "2026-12-31",
                       "publicity_end": "2026-12-20"})
    assert ok.status is Status.PASSED and ok.value["meets_deadline"] is True
    late = DEADLINE.run(DEADLINE.example)
    assert late.status is Status.FAILED
    assert [(s.rule, s.citation.clause) for s in late.failures] == [("naming_by_year_end", "（四）")]
    assert "8 day(s)" in late.failures[0].note
