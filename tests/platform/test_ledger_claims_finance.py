"""Finance scoping of disbursement batches: a finance bureau sees, approves and exports only the batches of
its own jurisdiction's programs; office staff batch only their own programs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from jiangxin.platform.designations import services as desig
from jiangxin.platform.ledger import services
from jiangxin.platform.orgs.models import Category, Jurisdiction, Level, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(users: dict[str, Any], org_tree: dict[str, Any]) -> Any:
    d = desig.designate(program="nanchang_academy", name="东湖工匠学院", on=dt.date(2024, 6, 1),
                        actor=users["office"], holder_org=org_tree["unit_a"])
    claim = services.submit_claim(d, "contest_subsidy", {"as_of": "2025-11-30", "hosted": {"市级洪工杯": 1}},
                                  year=2025, actor=users["office"], evidence_note="承办通知")
    services.decide_claim(claim, actor=users["office"], approve=True)
    return services.create_batch("nanchang_academy", 2025, actor=users["office"])


@pytest.fixture
def jiangsu_finance(make_user: Any) -> Any:
    bureau = Organisation(name="江苏省财政厅", level=Level.AUTHORITY, category=Category.FINANCE,
                          jurisdiction=Jurisdiction.JIANGSU)
    bureau.save()
    return make_user("finance", bureau)


def test_finance_of_another_jurisdiction_cannot_see_approve_or_export_the_batch(
        batch: Any, users: dict[str, Any], jiangsu_finance: Any, client_for: Any) -> None:
    other = client_for(jiangsu_finance)
    assert batch.title not in other.get("/ledger/batches/").content.decode()
    assert other.get(f"/ledger/batches/{batch.pk}/").status_code == 404
    assert other.get(f"/ledger/batches/{batch.pk}/xlsx/").status_code == 404
    assert other.post(f"/ledger/batches/{batch.pk}/approve/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.approve_batch(batch, actor=jiangsu_finance)
    assert not services.batches_for(jiangsu_finance).exists()
    batch.refresh_from_db()
    assert batch.status == "draft"


def test_finance_of_the_programs_jurisdiction_sees_approves_and_exports(batch: Any, users: dict[str, Any],
                                                                       client_for: Any) -> None:
    finance = client_for(users["finance"])
    assert batch.title in finance.get("/ledger/batches/").content.decode()
    finance.post(f"/ledger/batches/{batch.pk}/approve/")
    batch.refresh_from_db()
    assert batch.status == "approved" and batch.total == Decimal("100000.00")
    assert finance.get(f"/ledger/batches/{batch.pk}/xlsx/").status_code == 200


def test_finance_task_counts_only_its_own_jurisdictions_draft_batches(batch: Any, users: dict[str, Any],
                                                                      jiangsu_finance: Any) -> None:
    from jiangxin.platform.ledger.tasks import tasks_for

    assert [t.count for t in tasks_for(users["finance"])] == [1]
    assert tasks_for(jiangsu_finance) == []


def test_office_batches_only_its_own_programs(users: dict[str, Any], client_for: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.create_batch("jiangsu_technician", 2025, actor=users["office"])
    page = client_for(users["office"]).get("/ledger/batches/")
    choices = [c[0] for c in page.context["form"].fields["program"].choices]
    assert choices == ["nanchang_academy", "nanchang_studio"]
