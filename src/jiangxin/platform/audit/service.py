"""``record()``: the one way to write the audit log. Call it inside the transaction of the change."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from typing import Any

from django.db import models, transaction

from jiangxin.platform.audit.context import current_request_context
from jiangxin.platform.audit.models import AuditEvent, AuditHead
from jiangxin.platform.core import bulk
from jiangxin.platform.core.requestid import current_request_id

GENESIS = "0" * 64


def _clean(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, default=_default)) if value is not None else None


def _default(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def snapshot(instance: models.Model, fields: list[str] | None = None, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """A JSON-safe dict of a model's concrete fields (for before/after)."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {n: _default(getattr(instance, n)) if getattr(instance, n) is not None else None
            for n in names if n not in exclude}


def record(action: str, obj: models.Model | None = None, *, actor: Any = None, summary: str = "",
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           object_type: str = "", object_id: str = "") -> AuditEvent:
    """Append an event to the hash chain. Actor and address default to the current request's."""
    ctx = current_request_context()
    if actor is None:
        actor = ctx.user
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=str(getattr(actor, "username", "") or "system"),
            action=action,
            object_type=object_type or (obj._meta.label if obj is not None else ""),
            object_id=object_id or (str(obj.pk) if obj is not None else ""),
            summary=summary[:300], before=_clean(before), after=_clean(after),
            address=ctx.address, request_id=current_request_id(), prev_hash=head.last_hash)
        event.hash = event.compute_hash()
        event.save()
        head.last_hash = event.hash
        head.save(update_fields=["last_hash"])
    return event


def record_many(items: list[dict[str, Any]], *, actor: Any = None) -> list[AuditEvent]:
    """``record`` for many changes at once (the yearly run): one lock on the head, the chain computed in order,
    one bulk insert (the events come back without ids). Each item holds ``action`` and optionally ``obj``, ``summary``, ``before``, ``after``,
    ``object_type``, ``object_id``; the events are the ones ``record`` would have written one by one."""
    if not items:
        return []
    ctx = current_request_context()
    if actor is None:
        actor = ctx.user
    actor_id = actor if getattr(actor, "pk", None) else None
    actor_name = str(getattr(actor, "username", "") or "system")
    request_id = current_request_id()
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        prev = head.last_hash
        events = []
        for item in items:
            obj = item.get("obj")
            event = AuditEvent(
                actor=actor_id, actor_name=actor_name, action=item["action"],
                object_type=item.get("object_type") or (obj._meta.label if obj is not None else ""),
                object_id=item.get("object_id") or (str(obj.pk) if obj is not None else ""),
                summary=str(item.get("summary", ""))[:300], before=_clean(item.get("before")),
                after=_clean(item.get("after")), address=ctx.address, request_id=request_id, prev_hash=prev)
            event.hash = event.compute_hash()
            prev = event.hash
            events.append(event)
        bulk.insert(AuditEvent, events)
        head.last_hash = prev
        head.save(update_fields=["last_hash"])
    return events


def verify_chain() -> tuple[bool, int | None]:
    """Recompute every keyed hash, compare the end with the stored head and the signed checkpoints; returns
    (intact, id of the first bad event). :func:`audit.integrity.verify` gives the reason as well."""
    from jiangxin.platform.audit.integrity import verify

    result = verify()
    return result.intact, result.first_bad
