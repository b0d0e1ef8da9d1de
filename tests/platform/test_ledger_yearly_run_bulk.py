"""The yearly run's bulk commit writes exactly what the one-by-one path writes (rows and audit content),
keeps the audit chain intact, and stays atomic."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from typing import Any

import pytest
from django.db import transaction

from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.audit.service import verify_chain
from jiangxin.platform.designations import services as desig
from jiangxin.platform.designations.models import Designation, DesignationEvent
from jiangxin.platform.ledger import run_compute, services
from jiangxin.platform.ledger.models import LedgerEntry, RunJob, Sanction, YearApplied
from jiangxin.platform.notifications.models import Notification
from jiangxin.platform.people.models import Ban
from jiangxin.platform.portal.models import PublicListing

pytestmark = pytest.mark.django_db

#: fields that differ between two runs by construction (row ids, clocks, the job number, timings)
VOLATILE = frozenset({"id", "at", "created_at", "updated_at", "ban_id", "entry", "entry_id", "job", "job_id",
                      "compute_seconds", "total_seconds", "sanctions", "created"})
#: audited objects whose id is the same in both runs (they exist before the run)
STABLE_OBJECTS = frozenset({"designations.Designation", "portal.PublicListing"})


class _Undo(Exception):
    pass


def _norm(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, str):
        return re.sub(r"#\d+", "#", value)
    return value


def _bag(rows: Any) -> Counter[str]:
    return Counter(json.dumps(_norm(r), ensure_ascii=False, sort_keys=True, default=str) for r in rows)


def _writes(since: int) -> dict[str, Counter[str]]:
    audits = [{"action": e.action, "object_type": e.object_type, "summary": e.summary, "before": e.before,
               "after": e.after, "actor": e.actor_id,
               "object_id": e.object_id if e.object_type in STABLE_OBJECTS else ""}
              for e in AuditEvent.objects.filter(pk__gt=since)]
    return {
        "audit": _bag(audits),
        "entries": _bag(LedgerEntry.objects.values()),
        "sanctions": _bag({**s, "has_ban": s["ban_id"] is not None, "has_entry": s["entry_id"] is not None}
                          for s in Sanction.objects.values()),
        "bans": _bag(Ban.objects.values()),
        "events": _bag(DesignationEvent.objects.filter(kind="status").values()),
        "designations": _bag(Designation.objects.values()),
        "listings": _bag(PublicListing.objects.values()),
        "notifications": _bag(Notification.objects.values()),
        "markers": _bag(YearApplied.objects.values()),
    }


def _scenario(users: dict[str, Any], monkeypatch: pytest.MonkeyPatch, *, bulk: bool) -> dict[str, Counter[str]]:
    """Four academies and one studio over five years: yellow cards, a catch-up, a revocation with its ban,
    a completed cycle and a failure after it; undone afterwards so the other path starts from the same rows."""
    office = users["office"]
    academies = list(Designation.objects.filter(program="nanchang_academy").order_by("pk"))
    studio = Designation.objects.get(program="nanchang_studio")
    a, b, c, d = (x.pk for x in academies)
    table = {2025: {a: False, b: False, c: True, d: True, studio.pk: True},
             2026: {a: True, b: False, c: True, d: False, studio.pk: True},
             2027: {a: True, c: True, d: True, studio.pk: True},
             2028: {a: True, c: True, d: True, studio.pk: False}}
    monkeypatch.setattr(run_compute, "_results", lambda p, y: dict(table.get(y, {})))
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        with transaction.atomic():
            for year in range(2024, 2029):
                for program in ("nanchang_academy", "nanchang_studio"):
                    services.yearly_run(program, year, actor=office, commit=True, on=dt.date(year, 12, 20),
                                        bulk=bulk)
            assert verify_chain() == (True, None)
            found = _writes(since)
            raise _Undo
    except _Undo:
        pass
    return found


@pytest.fixture
def named(users: dict[str, Any], org_tree: dict[str, Any]) -> None:
    for org in ("unit_a", "unit_b", "unit_a", "unit_b"):
        desig.designate(program="nanchang_academy", name=f"{org_tree[org].name}工匠学院", on=dt.date(2024, 6, 1),
                        actor=users["office"], holder_org=org_tree[org])
    desig.designate(program="nanchang_studio", name="东湖创新工作室", on=dt.date(2024, 6, 1),
                    actor=users["office"], holder_org=org_tree["unit_a"])


def test_bulk_commit_writes_the_same_rows_and_audit_content_as_one_by_one(
        named: None, users: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    slow = _scenario(users, monkeypatch, bulk=False)
    fast = _scenario(users, monkeypatch, bulk=True)
    statuses = [json.loads(k)["status"] for k in slow["designations"]]
    assert sorted(statuses) == ["cycle_complete"] * 3 + ["revoked"] * 2
    assert any('"yellow_card"' in k for k in slow["events"]) and slow["bans"] and slow["notifications"]
    assert any('"cycle_complete"' in k for k in slow["events"])
    for key in slow:
        assert fast[key] == slow[key], key


def test_bulk_commit_interrupted_in_the_status_changes_leaves_nothing(
        named: None, users: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    office = users["office"]
    services.yearly_run("nanchang_academy", 2024, actor=office, commit=True, on=dt.date(2024, 12, 20))
    ids = list(Designation.objects.filter(program="nanchang_academy").values_list("pk", flat=True))
    monkeypatch.setattr(run_compute, "_results", lambda p, y: dict.fromkeys(ids, False))

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("写入中断")

    monkeypatch.setattr("jiangxin.platform.notifications.services.notify_many", boom)
    before = (LedgerEntry.objects.count(), Sanction.objects.count(), YearApplied.objects.count(),
              AuditEvent.objects.count(), DesignationEvent.objects.count(), RunJob.objects.count())
    with pytest.raises(RuntimeError):
        services.yearly_run("nanchang_academy", 2025, actor=office, commit=True, on=dt.date(2025, 12, 20))
    assert (LedgerEntry.objects.count(), Sanction.objects.count(), YearApplied.objects.count(),
            AuditEvent.objects.count(), DesignationEvent.objects.count(), RunJob.objects.count()) == before
    assert set(Designation.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"active"}
    assert verify_chain() == (True, None)
