"""Money never above entitlement: every posting is checked against the program's cap and the computation's
entitlement, and an over-booking is refused with the article (nothing written), not warned."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from cultivation_helpers import make_year
from cultivation_results_helpers import attend, attend_all, item_scores

from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.cultivation import services_results as cult
from jiangxin.platform.ledger import caps
from jiangxin.platform.ledger import services as ledger
from jiangxin.platform.ledger.models import EntryKind, LedgerEntry

pytestmark = pytest.mark.django_db


def _facts(unit: Any, year: int, track: str, passing: int) -> dict[str, Any]:
    return {"as_of": f"{year}-12-01", "plan_year": year, "training_unit": unit.name, "finance_bureau": "南京市财政局",
            "results": [{"year": year, "track": track, "passing": passing}]}


def _per_head_total(year: int) -> Decimal:
    return LedgerEntry.objects.filter(kind=EntryKind.PER_HEAD, year=year).balance()


def test_jiangsu_第二十二条_per_head_funding_above_passing_count_is_refused(client_for: Any) -> None:
    y = make_year(5, 5, year=2026)
    attend_all(y)
    failed = y.enrolments_b[0]
    attend(failed, y.plan, Decimal("0.5"))  # below 70 %: fails the year
    cult.grade_unit(y.unit_user, y.year, y.unit, {e.pk: Decimal("85") for e in y.enrolments})
    office = client_for(y.office)
    url = f"/cultivation/results/acceptance/{y.unit.pk}/"
    data = {f"item_{k}": v for k, v in item_scores("4").items()}
    data.update(action="assess", finance_bureau="南京市财政局", provincial_assessor="王", city_assessor="李")
    assert office.post(url, data).status_code == 302
    assert office.post(url, {"action": "fund"}).status_code == 302
    entitled = Decimal(5 * 10000 + 4 * 8000)
    assert _per_head_total(2026) == entitled == Decimal("82000")
    # 10,000 more for the trainee who did not pass (92,000 booked where 82,000 is entitled): refused
    with pytest.raises(TransitionRefused, match="第二十二条"):
        ledger.grant_per_head(failed.designation, _facts(y.unit, 2026, "A", 1), actor=y.office, year=2026)
    # two heads for one trainee: refused as well
    passer = y.enrolments_a[0]
    with pytest.raises(TransitionRefused, match="核定额度"):
        caps.check_posting(passer.designation, kind=EntryKind.PER_HEAD, year=2026, amount=Decimal("10000"),
                           outcome={"value": {"lines": [{"year": 2026, "track": "A", "passing": 2,
                                                         "rate": "10000"}]}})
    assert _per_head_total(2026) == Decimal("82000")


def test_jiangsu_第二十二条_a_trainee_counts_one_head_a_year(register: Any, users: dict[str, Any],
                                                      org_tree: dict[str, Any]) -> None:
    from jiangxin.platform.designations import services as desig

    d = desig.designate(program="jiangsu_technician", name="卓越技师培育 王芳", on=dt.date(2027, 3, 1),
                        actor=users["office"], holder_person=register(), scope_org=org_tree["nanchang"])
    facts = {"as_of": "2027-12-01", "plan_year": 2027, "training_unit": "江苏省某技师学院",
             "finance_bureau": "某市财政局", "results": [{"year": 2027, "track": "A", "passing": 3}]}
    with pytest.raises(ledger.LedgerError, match=r"超出 20000\.00 元"):
        ledger.grant_per_head(d, facts, actor=users["office"], year=2027)
    assert not LedgerEntry.objects.filter(designation=d).exists()


def test_nanchang_academy_第二十条_tranches_never_above_the_plan_total(register: Any, users: dict[str, Any],
                                                                 org_tree: dict[str, Any]) -> None:
    from jiangxin.platform.designations import services as desig

    d = desig.designate(program="nanchang_academy", name="示例学院", on=dt.date(2024, 12, 1), actor=users["office"],
                        holder_org=org_tree["unit_a"])
    ledger.yearly_run("nanchang_academy", 2024, actor=users["office"], commit=True, on=dt.date(2024, 12, 28))
    assert ledger.balance(d) == Decimal("600000.00")
    with pytest.raises(TransitionRefused, match="命名补助核定额度为 2000000"):
        caps.check_posting(d, kind=EntryKind.TRANCHE, year=2025, amount=Decimal("1400001"))
    caps.check_posting(d, kind=EntryKind.TRANCHE, year=2025, amount=Decimal("1400000"))
    with pytest.raises(TransitionRefused, match="命名补助"):
        caps.check_many("nanchang_academy", {d.pk: {EntryKind.TRANCHE: Decimal("1400000.01")}}, {d.pk: 2024})


def test_ganzhou_第八条_one_reward_per_craftsman(register: Any, users: dict[str, Any],
                                              org_tree: dict[str, Any]) -> None:
    from jiangxin.platform.designations import services as desig

    d = desig.designate(program="ganzhou_craftsman", name="赣州工匠 王芳", on=dt.date(2025, 5, 1),
                        actor=users["office"], holder_person=register(), scope_org=org_tree["nanchang"])
    ledger.yearly_run("ganzhou_craftsman", 2025, actor=users["office"], commit=True)
    with pytest.raises(TransitionRefused, match="一次性奖励"):
        caps.check_posting(d, kind=EntryKind.REWARD, year=2025, amount=Decimal("1"))
    assert ledger.balance(d) == Decimal("30000.00")
