"""policy.sanctions: the grounds each program's document lists, decided against the records and cited."""

from __future__ import annotations

import datetime as dt

import pytest

from jiangxin.policy import sanctions as s

PROGRAMS = ("nanchang_academy", "nanchang_studio", "zhenjiang_park", "ganzhou_craftsman", "jiangsu_technician")
ON = dt.date(2026, 12, 1)


def test_every_program_lists_its_grounds_with_an_article_and_known_facts() -> None:
    for program in PROGRAMS:
        grounds = s.grounds(program)
        assert grounds, program
        for g in grounds:
            assert g.citation.article and g.sources and g.title and g.title_en
            assert set(g.facts) <= set(s.FACTS) and set(g.checks) <= s.CHECKS


def test_zhenjiang_park_五_四_lists_exactly_the_four_exit_grounds() -> None:
    clauses = sorted({g.citation.clause for g in s.grounds("zhenjiang_park")})
    assert clauses == ["（四）1", "（四）2", "（四）3", "（四）4"]
    assert all(g.action == "exit" for g in s.grounds("zhenjiang_park"))


def test_an_unlisted_ground_is_refused() -> None:
    with pytest.raises(s.SanctionError, match="列明"):
        s.decide("nanchang_studio", "领导意见", {}, s.Record(status="active", as_of=ON))


def test_nanchang_studio_第十一条_四_yellow_card_needs_the_failure_on_record() -> None:
    facts = {"failed_year": 2026}
    refused = s.decide("nanchang_studio", "yellow_card", facts, s.Record("active", ON, {2026: True}))
    assert refused.value["allowed"] is False and refused.failures[0].rule == "failed_in_record"
    assert refused.failures[0].citation.label == "南昌创新工作室办法 第十一条（四）"
    assert s.decide("nanchang_studio", "yellow_card", facts, s.Record("active", ON, {2026: False})).value["allowed"]


def test_nanchang_academy_第二十四条_lifting_needs_a_later_pass_on_record() -> None:
    rec = s.Record("yellow_card", ON, {2025: False, 2026: None}, yellow_card_year=2025)
    assert not s.decide("nanchang_academy", "lift_yellow_card", {"passed_year": 2026}, rec).value["allowed"]
    same_year = s.Record("yellow_card", ON, {2025: True}, yellow_card_year=2025)
    assert not s.decide("nanchang_academy", "lift_yellow_card", {"passed_year": 2025}, same_year).value["allowed"]
    later = s.Record("yellow_card", ON, {2025: False, 2026: True}, yellow_card_year=2025)
    assert s.decide("nanchang_academy", "lift_yellow_card", {"passed_year": 2026}, later).value["allowed"]


def test_nanchang_academy_第二十六条_fraud_needs_the_decision_and_carries_a_permanent_ban() -> None:
    g = s.ground("nanchang_academy", "revoke_fraud")
    assert g.fraud and g.ban is not None and g.ban.years is None and g.citation.article == "第二十六条"
    facts = {"finding": "虚报", "decision_reference": " ", "occurred_on": dt.date(2026, 11, 1)}
    assert not s.decide("nanchang_academy", "revoke_fraud", facts, s.Record("active", ON)).value["allowed"]


def test_ganzhou_第十二条_ground_must_fall_in_the_cultivation_period() -> None:
    rec = s.Record("active", ON, period_start=dt.date(2025, 12, 20), period_end=dt.date(2028, 12, 19))
    before = {"occurred_on": dt.date(2025, 1, 1), "decision_reference": "赣人社〔2026〕1号"}
    assert not s.decide("ganzhou_craftsman", "revoke_penalty", before, rec).value["allowed"]
    inside = {"occurred_on": dt.date(2026, 1, 1), "decision_reference": "赣人社〔2026〕1号"}
    out = s.decide("ganzhou_craftsman", "revoke_penalty", inside, rec)
    assert out.value["allowed"] and out.value["target"] == "revoked"


def test_jiangsu_第二十一条_three_year_ban_ends_the_day_before_the_third_anniversary() -> None:
    assert s.ban_end(dt.date(2026, 5, 10), 3) == dt.date(2029, 5, 9)
    assert s.ban_end(dt.date(2024, 2, 29), 3) == dt.date(2027, 2, 27)
    assert s.ban_end(dt.date(2026, 5, 10), None) is None
