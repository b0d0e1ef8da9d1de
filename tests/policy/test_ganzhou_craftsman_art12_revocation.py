"""第十二条: revocation during the cultivation period on six grounds; fraud also recovers the reward."""

from __future__ import annotations

from decimal import Decimal

import pytest
from ganzhou_helpers import run

from jiangxin.policy.errors import FactsError


def _event(ground: str, date: str, verified: bool = True, **extra: object) -> dict[str, object]:
    return {"ground": ground, "date": date, "verified": verified, "evidence_refs": ["R-1"], **extra}


def _run(*events: dict[str, object], as_of: str = "2029-06-01") -> object:
    return run("revocation", {"as_of": as_of, "title_date": "2025-12-20", "reward_paid": "30000",
                              "events": list(events)})


@pytest.mark.parametrize(("ground", "clause"), [
    ("行政或刑事处罚", "（一）"), ("撤职或留党察看以上处分", "（二）"), ("严重违反社会公德", "（三）"),
    ("不当言论或知识产权处罚", "（四）"), ("调离赣州", "（五）"), ("其他违纪违法", "（六）"),
])
def test_ganzhou_art12_each_ground_revokes_within_the_period_without_recovery(ground, clause):
    out = _run(_event(ground, "2027-03-01"))
    assert out.value["revoked"] is True
    assert out.value["recover_amount"] == Decimal(0)
    assert out.value["grounds"][0]["citation"].clause == clause
    assert out.status.value == "failed"


def test_ganzhou_art12_ground_after_the_cultivation_period_does_not_revoke():
    out = _run(_event("调离赣州", "2028-12-20"))
    assert out.value["revoked"] is False
    assert any(s.rule == "ground_outside_cultivation_period" for s in out.trace)
    assert _run(_event("调离赣州", "2028-12-19")).value["revoked"] is True


def test_ganzhou_art12_unverified_ground_is_pending_not_revoked():
    out = _run(_event("其他违纪违法", "2026-05-01", verified=False))
    assert out.value["revoked"] is False
    assert len(out.value["pending"]) == 1
    assert out.status.value == "passed"


def test_ganzhou_art12_fraud_revokes_and_recovers_the_reward_paid_even_after_the_period():
    out = _run(_event("骗取称号", "2029-05-01", suspected_crime=True))
    assert out.value["revoked"] is True
    assert out.value["recover_certificate"] is True
    assert out.value["recover_amount"] == Decimal("30000")
    assert out.value["refer_to_judiciary"] is True
    final = out.trace[-1]
    assert final.citation.clause == "第二款"


def test_ganzhou_art12_fraud_must_state_whether_a_crime_is_suspected():
    with pytest.raises(FactsError, match="suspected_crime"):
        _run(_event("骗取称号", "2026-05-01"))


def test_ganzhou_art12_event_in_the_future_is_bad_input():
    with pytest.raises(FactsError, match="after as_of"):
        _run(_event("调离赣州", "2026-05-01"), as_of="2026-01-01")


def test_ganzhou_art12_no_events_no_revocation():
    out = _run()
    assert out.value["revoked"] is False and out.value["recover_amount"] == Decimal(0)
