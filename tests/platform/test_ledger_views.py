"""Ledger pages per role, including what each role must not see; the run through django.tasks; XLSX export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from jiangxin.platform.demo.data import demo_pdf
from jiangxin.platform.designations import services as desig
from jiangxin.platform.ledger import run_compute, services
from jiangxin.platform.ledger.actions import yearly_run as run_actions
from jiangxin.platform.ledger.models import LedgerEntry, RunJob, SubsidyClaim

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(users: dict[str, Any], org_tree: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setattr(run_compute, "_results", lambda program, year: {})
    a = desig.designate(program="nanchang_academy", name="东湖工匠学院", on=dt.date(2024, 6, 1),
                        actor=users["office"], holder_org=org_tree["unit_a"])
    b = desig.designate(program="nanchang_academy", name="西湖工匠学院", on=dt.date(2024, 6, 1),
                        actor=users["office"], holder_org=org_tree["unit_b"])
    return {"a": a, "b": b}


def test_office_runs_preview_then_commit_through_the_task_api(named: dict[str, Any], users: dict[str, Any],
                                                                client_for: Any) -> None:
    c = client_for(users["office"])
    assert c.get("/ledger/").status_code == 200
    r = c.post("/ledger/", {"run-program": "nanchang_academy", "run-year": "2024", "preview": "1"})
    job = RunJob.objects.get()
    assert r.status_code == 302 and job.status == "done" and not job.commit
    assert LedgerEntry.objects.count() == 0
    page = c.get(f"/ledger/jobs/{job.pk}/").content.decode()
    assert "1200000.00" in page and "南昌工匠学院办法 第二十条（一）" in page
    partial = c.get(f"/ledger/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="run-job"' in partial and "<html" not in partial
    c.post("/ledger/", {"run-program": "nanchang_academy", "run-year": "2024", "commit": "1"})
    job2 = RunJob.objects.order_by("-pk").first()
    assert job2 is not None and job2.status == "done" and job2.report["applied"] is True
    assert LedgerEntry.objects.count() == 2


def test_failed_run_job_reports_the_error_and_writes_nothing(named: dict[str, Any], users: dict[str, Any],
                                                             client_for: Any, monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("模拟中断")

    monkeypatch.setattr(run_actions, "_fast_entries", boom)
    c = client_for(users["office"])
    c.post("/ledger/", {"run-program": "nanchang_academy", "run-year": "2024", "commit": "1"})
    job = RunJob.objects.get()
    assert job.status == "failed" and "模拟中断" in job.error
    assert LedgerEntry.objects.count() == 0
    assert "未写入任何数据" in c.get(f"/ledger/jobs/{job.pk}/").content.decode()


def test_what_if_page_shows_both_columns(named: dict[str, Any], users: dict[str, Any], client_for: Any) -> None:
    c = client_for(users["office"])
    r = c.get("/ledger/what-if/", {"wi-program": "nanchang_academy", "wi-year": "2024", "wi-shares": "4:3:3"})
    html = r.content.decode()
    assert r.status_code == 200 and 'id="real-paid">1200000.00' in html and 'id="whatif-paid">1600000.00' in html
    assert LedgerEntry.objects.count() == 0
    bad = c.get("/ledger/what-if/", {"wi-program": "nanchang_academy", "wi-year": "2024", "wi-shares": "4:x"})
    assert "格式" in bad.content.decode()


def test_unit_sees_only_its_own_money_and_why(named: dict[str, Any], users: dict[str, Any], client_for: Any) -> None:
    services.yearly_run("nanchang_academy", 2024, actor=users["office"], commit=True)
    html = client_for(users["unit"]).get("/ledger/mine/").content.decode()
    assert "东湖工匠学院" in html and "西湖工匠学院" not in html
    assert "600000.00" in html and "第二十条（一）" in html


@pytest.mark.parametrize("role", ["unit", "expert", "district", "finance", "sysadmin", "individual"])
def test_office_pages_refuse_other_roles(named: dict[str, Any], users: dict[str, Any], client_for: Any,
                                         role: str) -> None:
    c = client_for(users[role])
    assert c.get("/ledger/").status_code == 403
    assert c.get("/ledger/what-if/").status_code == 403


def test_finance_approves_and_exports_the_batch_others_cannot(named: dict[str, Any], users: dict[str, Any],
                                                                client_for: Any) -> None:
    services.yearly_run("nanchang_academy", 2024, actor=users["office"], commit=True)
    office = client_for(users["office"])
    r = office.post("/ledger/batches/", {"batch-program": "nanchang_academy", "batch-year": "2024"})
    assert r.status_code == 302
    batch_url = r["Location"]
    pk = int(batch_url.rstrip("/").split("/")[-1])
    assert office.post(f"/ledger/batches/{pk}/approve/").status_code == 403
    assert client_for(users["unit"]).get(batch_url).status_code == 403
    finance = client_for(users["finance"])
    assert finance.post("/ledger/batches/", {"batch-program": "nanchang_academy", "batch-year": "2024"}
                        ).status_code == 403
    finance.post(f"/ledger/batches/{pk}/approve/")
    assert 'id="batch-status">已审批' in finance.get(batch_url).content.decode()
    xlsx = finance.get(f"/ledger/batches/{pk}/xlsx/")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("拨付明细表")
    assert rows[2][:3] == ("序号", "证书编号", "名称")
    body = rows[3:-1]
    assert {r[2] for r in body} == {"东湖工匠学院", "西湖工匠学院"}
    assert all(r[7] == "南昌工匠学院办法 第二十条（一）" for r in body)
    assert rows[-1][0] == "合计" and Decimal(str(rows[-1][6])) == Decimal("1200000")


def test_unit_claims_a_contest_subsidy_and_the_office_approves(named: dict[str, Any], users: dict[str, Any],
                                                                client_for: Any) -> None:
    unit = client_for(users["unit"])
    evidence = SimpleUploadedFile("通知.pdf", demo_pdf("test"), content_type="application/pdf")
    r = unit.post(f"/ledger/claims/new/{named['a'].pk}/contest_subsidy/", {
        "hosted__0__key": "市级洪工杯", "hosted__0__value": "2", "meta-year": str(timezone.localdate().year),
        "meta-evidence": evidence, "meta-evidence_note": "承办通知两份", "_submit": "1"})
    assert r.status_code == 302
    claim = SubsidyClaim.objects.get()
    assert claim.amount > 0 and claim.status == "submitted"
    # the other unit cannot claim for this designation (not offered) and does not see the claim
    other = client_for(users["unit"].__class__.objects.create(username="ub", role="unit",
                                                              organisation=named["b"].holder_org))
    assert "东湖工匠学院" not in other.get("/ledger/claims/").content.decode()
    assert unit.post(f"/ledger/claims/{claim.pk}/decide/", {"decision": "approve"}).status_code == 403
    office = client_for(users["office"])
    office.post(f"/ledger/claims/{claim.pk}/decide/", {"decision": "approve"})
    claim.refresh_from_db()
    assert claim.status == "approved"
    entry = LedgerEntry.objects.get(claim=claim)
    assert entry.kind == "subsidy" and entry.amount == claim.amount
    assert entry.citation == "南昌工匠学院办法 第二十一条（五）"


def test_claim_with_bad_facts_shows_the_field(named: dict[str, Any], users: dict[str, Any],
                                              client_for: Any) -> None:
    unit = client_for(users["unit"])
    r = unit.post(f"/ledger/claims/new/{named['a'].pk}/contest_subsidy/", {
        "hosted__0__key": "市级洪工杯", "hosted__0__value": "-1", "meta-year": str(timezone.localdate().year),
        "meta-evidence_note": "x", "_preview": "1"})
    assert r.status_code == 200 and "承办竞赛项目数（市级洪工杯）" in r.content.decode()
    assert not SubsidyClaim.objects.exists()


def test_ledger_demo_loads_once(users: dict[str, Any], org_tree: dict[str, Any], make_user: Any,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    from jiangxin.platform.ledger.demo import load_ledger_demo
    from jiangxin.platform.ledger.models import Budget, DisbursementBatch

    monkeypatch.setattr(run_compute, "_results", lambda program, year: {})
    office = make_user("office", org_tree["nanchang"], username="demo_office_nc")
    desig.designate(program="nanchang_academy", name="演示工匠学院", on=dt.date(2025, 12, 20), actor=office,
                    holder_org=org_tree["unit_a"])
    done = load_ledger_demo()
    assert done["nanchang_academy/2025"]["tranche_paid"] == 1
    assert SubsidyClaim.objects.count() == 1 and DisbursementBatch.objects.count() == 1
    counts = (LedgerEntry.objects.count(), Budget.objects.count())
    assert load_ledger_demo() == {}
    assert (LedgerEntry.objects.count(), Budget.objects.count()) == counts
