"""安全审计 / 数据完整性: the keyed audit chain catches truncation, deletion, insertion and rewriting (with the
first bad row on the audit administrator's page), and a signed checkpoint kept outside the database catches a
truncation that also rewound the head."""

from __future__ import annotations

import hashlib
import json

import pytest
from audit_helpers import tampering
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from jiangxin.platform.audit import integrity
from jiangxin.platform.audit.models import AuditEvent, AuditHead
from jiangxin.platform.audit.service import record, record_many, verify_chain

pytestmark = pytest.mark.django_db


def _events(n: int = 4) -> list[AuditEvent]:
    return [record(f"test.{i}", None, summary=f"事件{i}") for i in range(n)]


def _verify_page(client, **data):
    return client.post(reverse("audit:verify"), data).content.decode()


def test_intact_chain_verifies_through_the_page(users, client_for):
    _events()
    html = _verify_page(client_for(users["auditadmin"]))
    assert "哈希链完整" in html


def test_truncating_the_last_rows_is_detected_against_the_head(users, client_for):
    events = _events()
    with tampering():
        AuditEvent.objects.filter(pk__gte=events[2].pk).delete()
    assert verify_chain() == (False, events[1].pk)
    html = _verify_page(client_for(users["auditadmin"]))
    assert "哈希链已断开" in html and f"第 {events[1].pk} 条" in html and "截断" in html


def test_rewriting_a_row_and_recomputing_later_hashes_without_the_key_is_detected(users, client_for):
    events = _events()
    # the attacker knows the old scheme (plain SHA-256) and rewrites the chain from the second row on
    with tampering():
        prev = events[0].hash
        for event in AuditEvent.objects.filter(pk__gte=events[1].pk).order_by("id"):
            event.summary = "改写" if event.pk == events[1].pk else event.summary
            event.prev_hash = prev
            text = json.dumps(event.payload(), ensure_ascii=False, sort_keys=True, default=str)
            new = hashlib.sha256(text.encode()).hexdigest()
            AuditEvent.objects.filter(pk=event.pk).update(summary=event.summary, prev_hash=prev, hash=new)
            prev = new
        AuditHead.objects.filter(pk=1).update(last_hash=prev)
    html = _verify_page(client_for(users["auditadmin"]))
    assert f"第 {events[1].pk} 条" in html and "改写或伪造" in html
    assert verify_chain() == (False, events[1].pk)


def test_deleting_a_middle_row_is_detected_at_the_next_row():
    events = _events()
    with tampering():
        AuditEvent.objects.filter(pk=events[1].pk).delete()
    result = integrity.verify()
    assert (result.intact, result.first_bad, result.problem) == (False, events[2].pk, integrity.LINK)


def test_an_inserted_row_is_detected():
    events = _events(2)
    forged = AuditEvent(action="forged", summary="插入", prev_hash=events[-1].hash, hash="f" * 64)
    AuditEvent.objects.bulk_create([forged])
    AuditHead.objects.filter(pk=1).update(last_hash="f" * 64)
    result = integrity.verify()
    assert not result.intact and result.problem == integrity.CONTENT
    assert result.first_bad == AuditEvent.objects.get(action="forged").pk


def test_a_checkpoint_catches_a_truncation_that_also_rewound_the_head(users, client_for):
    events = _events()
    client = client_for(users["auditadmin"])
    response = client.post(reverse("audit:checkpoint"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    exported = response.content
    assert json.loads(exported)["last_id"] == events[-1].pk
    with tampering():
        AuditEvent.objects.filter(pk__gte=events[3].pk).delete()
        AuditHead.objects.filter(pk=1).update(last_hash=events[2].hash)
    html = _verify_page(client)
    assert "哈希链已断开" in html and "检查点" in html and f"第 {events[2].pk} 条" in html
    # the exported copy, kept elsewhere, catches it even when the stored checkpoint files are gone too
    for path in integrity.checkpoint_dir().glob("*.json"):
        path.unlink()
    assert "哈希链完整" in _verify_page(client)
    upload = SimpleUploadedFile("cp.json", exported, content_type="application/json")
    html = _verify_page(client, checkpoint=upload)
    assert "哈希链已断开" in html and "检查点" in html


def test_a_modified_checkpoint_file_is_refused_by_its_signature(users, client_for):
    _events()
    data = integrity.make_checkpoint()
    data["events"] += 1
    upload = SimpleUploadedFile("cp.json", json.dumps(data).encode(), content_type="application/json")
    html = _verify_page(client_for(users["auditadmin"]), checkpoint=upload)
    assert "签名无效" in html
    junk = SimpleUploadedFile("cp.json", b"<html>", content_type="application/json")
    assert "不是审计检查点文件" in _verify_page(client_for(users["auditadmin"]), checkpoint=junk)


def test_the_key_lives_outside_the_database(settings):
    _events(2)
    assert verify_chain() == (True, None)
    settings.JIANGXIN_AUDIT_KEY = "another-key"
    intact, first = verify_chain()
    assert not intact and first == AuditEvent.objects.earliest("id").pk


def test_bulk_recording_produces_the_same_chain_as_one_by_one():
    record("one", None, summary="单条")
    record_many([{"action": "many", "summary": f"批量{i}", "object_id": str(i)} for i in range(5)])
    record("after", None)
    assert verify_chain() == (True, None)
    for event in AuditEvent.objects.all():
        assert event.compute_hash() == event.hash


def test_verify_command_and_daily_checkpoint_command(capsys):
    events = _events()
    call_command("audit_checkpoint")
    call_command("audit_verify")
    assert "哈希链完整" in capsys.readouterr().out
    with tampering():
        AuditEvent.objects.filter(pk=events[-1].pk).update(summary="改")
    with pytest.raises(CommandError, match="哈希链异常"):
        call_command("audit_verify")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger on PostgreSQL only")
def test_postgresql_refuses_update_and_delete_of_audit_rows():
    event = record("a", None)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
