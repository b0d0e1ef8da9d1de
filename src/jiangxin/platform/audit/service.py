"""``record()``: the one way to write the audit log. Call it inside the transaction of the change."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from jiangxin.platform.audit.context import current_request_context
from jiangxin.platform.audit.models import AuditEvent, AuditHead, audit_key
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


_ATTNAMES: dict[type, list[str]] = {}


def snapshot(instance: models.Model, fields: list[str] | None = None, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """A JSON-safe dict of a model's concrete fields (for before/after)."""
    names = fields or _ATTNAMES.get(type(instance))
    if names is None:
        names = _ATTNAMES[type(instance)] = [f.attname for f in instance._meta.concrete_fields]
    if exclude:
        names = [n for n in names if n not in exclude]
    return _jsonable({n: getattr(instance, n) for n in names})  # one comprehension, then the values to convert


def snapshot_values(values: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """``snapshot`` of a record held as a dict of values by attname (bulk paths that read rows without model
    instances)."""
    return _jsonable({n: values.get(n) for n in names})


def _jsonable(out: dict[str, Any]) -> dict[str, Any]:
    """Convert, in place, only the values that are not JSON-plain already (most are: the yearly run snapshots
    tens of thousands of records)."""
    for n, value in out.items():
        kind = type(value)
        if value is None or kind in _KEPT:
            continue
        if kind is dt.date or kind is dt.datetime:  # what ``_default`` gives, without its isinstance chain
            out[n] = value.isoformat()
        elif isinstance(value, bool | int | float | str):  # a subclass (choices): kept as it is, like _default
            _KEPT.add(kind)
        else:
            out[n] = _default(value)
    return out


#: the types ``_default`` returns unchanged (str, int… and their subclasses met so far)
_KEPT: set[type] = {str, int, bool, float}


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """What an update changed, for its audit record: the fields whose value differs, before and after (the
    audit page shows the difference; the unchanged fields are the record's own and stay on it). A creation
    (``before`` is None) keeps its whole ``after``. See docs/decisions/0031."""
    if before is None:
        return None, after
    keys = [k for k in after if before.get(k, _MISSING) != after[k]]
    keys += [k for k in before if k not in after]
    return {k: before[k] for k in keys if k in before}, {k: after[k] for k in keys if k in after}


_MISSING = object()


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


def _plain(value: Any) -> bool:
    """Whether ``value`` is already what a JSON round trip gives back (so ``_clean`` may keep it as is)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return True
    if kind is dict:
        for k, v in value.items():
            t = type(v)
            if type(k) is not str or not (t is str or t is int or t is bool or v is None or _plain(v)):
                return False
        return True
    if kind is list:
        for v in value:
            if not _plain(v):
                return False
        return True
    return False


def _clean_fast(value: Any) -> Any:
    return value if _plain(value) else _clean(value)


def record_many(items: list[dict[str, Any]], *, actor: Any = None) -> list[dict[str, Any]]:
    """``record`` for many changes at once (the yearly run): one lock on the head, the chain computed in order
    (the same keyed hash over the same payload as ``AuditEvent.compute_hash``), then one bulk insert of plain
    rows, no model instances. Each item holds ``action`` and optionally ``obj``, ``summary``, ``before``,
    ``after``, ``object_type``, ``object_id``; the rows are the events ``record`` would have written one by
    one, returned as dicts by field attname (without ids)."""
    if not items:
        return []
    ctx = current_request_context()
    if actor is None:
        actor = ctx.user
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    actor_name = str(getattr(actor, "username", "") or "system")
    request_id = current_request_id()
    address = ctx.address
    mac = hmac.new(audit_key(), digestmod=hashlib.sha256)
    dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        prev = head.last_hash
        at = timezone.now()
        stamp = at.isoformat()
        rows = []
        for item in items:
            obj = item.get("obj")
            row = {"at": at, "actor_id": actor_id, "actor_name": actor_name, "action": item["action"],
                   "object_type": item.get("object_type") or (obj._meta.label if obj is not None else ""),
                   "object_id": item.get("object_id") or (str(obj.pk) if obj is not None else ""),
                   "summary": str(item.get("summary", ""))[:300], "before": _clean_fast(item.get("before")),
                   "after": _clean_fast(item.get("after")), "address": address, "request_id": request_id,
                   "prev_hash": prev}
            payload = {"at": stamp, "actor": actor_id, "actor_name": actor_name, "action": row["action"],
                       "object_type": row["object_type"], "object_id": row["object_id"],
                       "summary": row["summary"], "before": row["before"], "after": row["after"],
                       "address": address, "prev_hash": prev}
            if request_id:
                payload["request_id"] = request_id
            digest = mac.copy()
            digest.update(dumps(payload).encode("utf-8"))
            prev = row["hash"] = digest.hexdigest()
            rows.append(row)
        bulk.insert(AuditEvent, rows)
        head.last_hash = prev
        head.save(update_fields=["last_hash"])
    return rows


def verify_chain() -> tuple[bool, int | None]:
    """Recompute every keyed hash, compare the end with the stored head and the signed checkpoints; returns
    (intact, id of the first bad event). :func:`audit.integrity.verify` gives the reason as well."""
    from jiangxin.platform.audit.integrity import verify

    result = verify()
    return result.intact, result.first_bad
