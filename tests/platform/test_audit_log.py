"""Audit log: only the audit administrator sees it; chain verification catches tampering; exports mask IDs."""

from __future__ import annotations

import csv
import io

import pytest
from audit_helpers import tampering
from django.urls import reverse
from openpyxl import load_workbook

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.audit.service import record, verify_chain

pytestmark = pytest.mark.django_db

AUDIT_URLS = [("audit:list", []), ("audit:verify", []), ("audit:export", ["csv"]), ("audit:export", ["xlsx"])]


@pytest.mark.parametrize("role", [str(r) for r in Role if r != Role.AUDIT_ADMIN])
def test_audit_log_is_invisible_to_every_other_role(role, users, client_for):
    event = record("test.event", None, summary="秘密")
    client = client_for(users[role])
    for name, args in [*AUDIT_URLS, ("audit:detail", [event.pk])]:
        assert client.get(reverse(name, args=args)).status_code == 403, (role, name)
    assert client.post(reverse("audit:verify")).status_code == 403


def test_system_admin_cannot_see_the_audit_log(users, client_for):
    client = client_for(users["sysadmin"])
    assert client.get(reverse("audit:list")).status_code == 403
    assert reverse("audit:list") not in client.get("/").content.decode()


def test_audit_admin_lists_and_filters(users, client_for):
    record("orgs.organisation.create", None, summary="新建组织 甲")
    record("accounts.user.create", None, summary="创建用户 乙")
    client = client_for(users["auditadmin"])
    html = client.get(reverse("audit:list")).content.decode()
    assert "新建组织 甲" in html and "创建用户 乙" in html
    html = client.get(reverse("audit:list"), {"action": "orgs."}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html and "新建组织 甲" in html and "创建用户 乙" not in html
    html = client.get(reverse("audit:list"), {"date_from": "2030-01-02", "date_to": "2030-01-01"}).content.decode()
    assert "截止日期不能早于起始日期" in html


def test_detail_shows_before_after_diff(users, client_for):
    event = record("x.update", None, summary="修改", before={"name": "旧名", "same": 1}, after={"name": "新名", "same": 1})
    html = client_for(users["auditadmin"]).get(reverse("audit:detail", args=[event.pk])).content.decode()
    assert "旧名" in html and "新名" in html and "diff-removed" in html and "内容一致" in html


def test_chain_verification_detects_a_tampered_row(users, client_for):
    first = record("a", None, summary="一")
    second = record("b", None, summary="二")
    record("c", None, summary="三")
    assert verify_chain() == (True, None)
    client = client_for(users["auditadmin"])
    assert "哈希链完整" in client.post(reverse("audit:verify")).content.decode()
    with tampering():
        AuditEvent.objects.filter(pk=second.pk).update(summary="二（篡改）")
    assert verify_chain() == (False, second.pk)
    html = client.post(reverse("audit:verify")).content.decode()
    assert "哈希链已断开" in html and f"第 {second.pk} 条" in html
    assert "内容与哈希不符" in client.get(reverse("audit:detail", args=[second.pk])).content.decode()
    assert AuditEvent.objects.filter(action="audit.verify").count() == 2
    assert first.pk < second.pk


def test_deleting_a_row_breaks_the_chain():
    record("a", None)
    middle = record("b", None)
    last = record("c", None)
    with tampering():
        AuditEvent.objects.filter(pk=middle.pk).delete()
    assert verify_chain() == (False, last.pk)


def test_events_are_append_only():
    event = record("a", None)
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_exports_mask_id_numbers_and_are_audited(users, client_for, register):
    person = register()
    number = person.reveal_id_number()
    record("leaky", None, summary=f"外部系统写入 {number}", after={"id": number})
    client = client_for(users["auditadmin"])
    response = client.get(reverse("audit:export", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert number not in text and person.id_masked in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["编号", "时间", "操作人", "操作"]
    xlsx = client.get(reverse("audit:export", args=["xlsx"]), {"action": "leaky"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert len(values) == 2 and values[1][3] == "leaky"
    assert number not in str(values)
    assert AuditEvent.objects.filter(action="audit.export").count() == 2
    assert client.get(reverse("audit:export", args=["pdf"])).status_code == 404
    html = client.get(reverse("audit:list")).content.decode()
    assert number not in html and person.id_masked in html
    detail = client.get(reverse("audit:detail", args=[AuditEvent.objects.get(action="leaky").pk])).content.decode()
    assert number not in detail


def test_formula_injection_is_neutralised_in_exports(users, client_for):
    record("x", None, summary="=HYPERLINK(1)")
    text = client_for(users["auditadmin"]).get(reverse("audit:export", args=["csv"])).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
