"""An update's audit record keeps the fields that changed, before and after (a status change, a directory
entry published again); a creation keeps the whole record. The audit page still shows the change, and the
chain stays intact. Decision 0031."""

from __future__ import annotations

import datetime as dt

import pytest
import review_helpers as rh

from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.audit.service import changed_fields, verify_chain
from jiangxin.platform.audit.views import diff
from jiangxin.platform.designations import services as ds
from jiangxin.platform.designations.models import DesignationStatus
from jiangxin.platform.portal.services import publish_listing
from jiangxin.policy.outcome import cite

pytestmark = pytest.mark.django_db
ART24 = cite("nanchang_academy", "第二十四条").label


def test_changed_fields_keeps_only_differing_values_and_a_creation_whole() -> None:
    before = {"status": "active", "name": "甲", "since": "2025-01-01"}
    after = {"status": "revoked", "name": "甲", "since": "2025-01-01", "until": "2026-03-01"}
    assert changed_fields(before, after) == ({"status": "active"}, {"status": "revoked", "until": "2026-03-01"})
    assert changed_fields(None, after) == (None, after)
    assert changed_fields({"gone": 1}, {}) == ({"gone": 1}, {})


def test_a_status_change_audits_the_status_fields_that_changed() -> None:
    w = rh.world("nanchang_academy")
    d = ds.designate_from_case(rh.case(rh.submit(w, "示例单位")), actor=w.office, on=dt.date(2025, 12, 20))
    ds.set_status(d, DesignationStatus.YELLOW_CARD, reason="年度考核不合格", citation=ART24, actor=w.office,
                  on=dt.date(2026, 3, 1))
    event = AuditEvent.objects.get(action="designations.status")
    assert event.before["status"] == "active" and event.after["status"] == "yellow_card"
    assert event.after["status_citation"] == ART24 and event.after["status_changed_on"] == "2026-03-01"
    assert set(event.before) | set(event.after) <= {"status", "status_reason", "status_citation",
                                                    "status_changed_on", "updated_at"}
    assert "name" not in event.after and "certificate_no" not in event.after
    rows = {r["field"]: r for r in diff(event.before, event.after)}
    assert rows["status"]["changed"] and rows["status"]["before"] == "active"
    assert verify_chain() == (True, None)


def test_publishing_a_directory_entry_again_audits_only_what_changed() -> None:
    w = rh.world("nanchang_academy")
    common = {"kind": "academy", "source_key": "designation:test-1", "name": "示例学院",
              "organisation": w.districts[0], "since": dt.date(2025, 12, 20), "actor": w.office}
    publish_listing(status="有效", **common)
    publish_listing(status="已撤销", until=dt.date(2026, 3, 1), **common)
    created, updated = AuditEvent.objects.filter(action="portal.listing.publish").order_by("id")
    assert created.before is None and created.after["name"] == "示例学院" and created.after["status"] == "有效"
    assert updated.before["status"] == "有效" and updated.after["status"] == "已撤销"
    assert updated.after["until"] == "2026-03-01" and "name" not in updated.after and "kind" not in updated.after
    assert verify_chain() == (True, None)
