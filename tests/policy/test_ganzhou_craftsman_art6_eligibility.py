"""第六条: who may take part in the 赣州工匠 selection — conditions, seven routes, exclusions, negative list."""

from __future__ import annotations

import pytest
from ganzhou_helpers import BASE, eligibility, placing, run

from jiangxin.policy.errors import FactsError

ROUTE = {"route": "工艺专长", "confirmed_by": "评审组", "evidence_refs": ["E-9"]}


def test_ganzhou_art6_route_1_confirmed_by_reviewers_makes_eligible():
    out = eligibility(routes=[ROUTE])
    assert out.value is True
    assert out.status.value == "eligible"
    assert out.failures == []
    assert any(s.rule == "route_confirmed" and s.citation.clause == "（一）" for s in out.trace)


def test_ganzhou_art6_no_route_at_all_fails_only_that_condition():
    out = eligibility()
    assert out.value is False
    assert [s.rule for s in out.failures] == ["at_least_one_route"]
    assert out.failures[0].citation.clause == "（一）至（七）"


@pytest.mark.parametrize(("level", "place", "ok"), [
    ("national", 10, True), ("national", 11, False),
    ("provincial_class1", 6, True), ("provincial_class1", 7, False),
    ("provincial_class2", 3, True), ("provincial_class2", 4, False),
    ("city_class1", 3, True), ("city_class1", 4, False),
    ("other", 1, False),
])
def test_ganzhou_art6_route_7_contest_top_places_include_the_nth(level, place, ok):
    out = eligibility(contest_placings=[placing(level, place)])
    assert out.value is ok
    step = next(s for s in out.trace if s.rule == "contest_placing")
    assert step.result is ok
    assert step.citation.clause == "（七）"


def test_ganzhou_art6_every_failed_condition_is_listed_with_its_citation():
    out = eligibility(works_in_ganzhou=False, lives_in_ganzhou=False, prc_citizen=False,
                      front_line_technical_work=False, good_conduct_confirmed=False, certificate_level="中级工",
                      national_talent_programme=True, provincial_double_thousand=True,
                      provincial_double_high=True, other_provincial_talent_project=True,
                      talent_catalogue_class="D", criminal_record=True, ip_infringement=True,
                      serious_misconduct=True, previously_revoked_for_fraud=True)
    failed = {s.rule: s.citation for s in out.failures}
    assert set(failed) == {
        "works_or_lives_in_ganzhou", "prc_citizen", "front_line_technical_work", "good_conduct",
        "certificate_senior_worker_or_above", "at_least_one_route", "not_in_national_talent_programme",
        "not_in_provincial_double_thousand", "not_in_provincial_double_high",
        "not_in_other_provincial_talent_project", "not_in_talent_catalogue_class_d_or_above",
        "no_criminal_record", "no_ip_infringement", "no_serious_misconduct", "not_barred_after_fraud_revocation"}
    assert failed["no_ip_infringement"].clause == "第三款第2项"
    assert failed["not_in_provincial_double_high"].clause == "第二款"
    assert failed["not_barred_after_fraud_revocation"].article == "I-TIME-09"


def test_ganzhou_art6_living_in_ganzhou_suffices_without_working_there():
    out = eligibility(works_in_ganzhou=False, lives_in_ganzhou=True, routes=[ROUTE])
    assert out.value is True


@pytest.mark.parametrize(("cls", "ok"), [("A", False), ("C", False), ("D", False), ("E", True), (None, True)])
def test_ganzhou_art6_talent_catalogue_class_d_or_above_is_excluded(cls, ok):
    out = eligibility(talent_catalogue_class=cls, routes=[ROUTE])
    assert out.value is ok


@pytest.mark.parametrize("level", ["高级工", "技师", "高级技师", "特级技师", "首席技师"])
def test_ganzhou_art6_certificate_senior_worker_or_above(level):
    assert eligibility(certificate_level=level, routes=[ROUTE]).value is True


def test_ganzhou_art6_farmer_title_equivalent_counts():
    assert eligibility(certificate_level="无", farmer_title_equivalent_confirmed=True, routes=[ROUTE]).value


def test_ganzhou_art6_in_principle_exception_recorded_by_the_office():
    exc = {"approved_by": "市人社局", "reason": "绝技传承人，无对应职业证书", "evidence_refs": ["E-7"]}
    out = eligibility(certificate_level="中级工", certificate_exception=exc, routes=[ROUTE])
    assert out.value is True
    step = next(s for s in out.trace if s.rule == "certificate_senior_worker_or_above")
    assert step.citation.article == "I-TIME-03"
    refused = run("eligibility", {**BASE, "certificate_level": "中级工", "certificate_exception": exc,
                                  "routes": [ROUTE]}, {"certificate_exception_allowed": False})
    assert [s.rule for s in refused.failures] == ["certificate_senior_worker_or_above"]


def test_ganzhou_art6_exception_given_when_not_needed_is_bad_input():
    exc = {"approved_by": "市人社局", "reason": "x", "evidence_refs": ["E-7"]}
    with pytest.raises(FactsError, match="certificate_exception"):
        eligibility(certificate_level="技师", certificate_exception=exc)


def test_ganzhou_art6_route_needs_evidence_and_unknown_fields_are_refused():
    with pytest.raises(FactsError, match="evidence_refs"):
        eligibility(routes=[{"route": "工艺专长", "confirmed_by": "评审组", "evidence_refs": []}])
    with pytest.raises(FactsError, match="age"):
        eligibility(age=40)
    with pytest.raises(FactsError, match="criminal_record"):
        run("eligibility", {k: v for k, v in BASE.items() if k != "criminal_record"})
