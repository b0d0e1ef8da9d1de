"""Status changes of a designation (active ⇄ yellow_card → revoked | cycle_complete | expired | exited): the
checks, the dispatch through the registered transitions (``set_status``), the write itself
(``write_status``), the yearly run's bulk path (``set_status_many``) and the end of fixed terms.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import changed_fields, record, record_many, snapshot, snapshot_values
from jiangxin.platform.core import answers, bulk
from jiangxin.platform.core.transitions import SYSTEM, transition
from jiangxin.platform.designations.actions._common import _event, _notify_holder, publish
from jiangxin.platform.designations.base import ACTING_ROLES, DesignationError, _facts, _require
from jiangxin.platform.designations.models import (
    LIVE,
    Designation,
    DesignationEvent,
    DesignationStatus,
    EventKind,
)
from jiangxin.platform.designations.selectors import check_transition
from jiangxin.platform.orgs.scope import scope


def validate_status_change(designation: Designation, status: str, *, reason: str, citation: str, actor: Any,
                           on: dt.date) -> None:
    """The checks every status change passes before its transition runs (reason, article, scope, lifecycle)."""
    if status not in DesignationStatus.values:
        raise DesignationError(f"未知状态：{status}")
    if not (reason or "").strip():
        raise DesignationError("须写明理由。")
    if not (citation or "").strip():
        raise DesignationError("须写明依据条款。")
    _require(actor, designation)
    check_transition(Designation.objects.get(pk=designation.pk), status, on)


def set_status(designation: Designation, status: str, *, reason: str, citation: str, actor: Any,
               outcome: dict[str, Any] | None = None, on: dt.date | None = None,
               expect: str | None = None) -> Designation:
    """Move a designation to ``status`` through its registered transition (``designations.transitions``): the
    reason and the article it rests on are required; used by computations that decide a change themselves
    (the tranche machine, the park's exit grounds, a term's end). Pages use ``transitions.sanction``."""
    from jiangxin.platform.designations import transitions

    on = on or timezone.localdate()
    validate_status_change(designation, status, reason=reason, citation=citation, actor=actor, on=on)
    action = transitions.BY_TARGET[status]
    return action(designation, reason=reason, citation=citation, actor=actor, outcome=outcome, on=on,
                  expect=expect)


def write_status(designation: Designation, status: str, *, reason: str, citation: str, actor: Any,
                 outcome: dict[str, Any] | None = None, on: dt.date | None = None,
                 data: dict[str, Any] | None = None) -> Designation:
    """The write of a status change (row, event, audit, directory entry, notice): only registered transitions
    call this."""
    on = on or timezone.localdate()
    with transaction.atomic():
        d = Designation.objects.select_for_update().get(pk=designation.pk)
        _require(actor, d)
        current = d.status
        check_transition(d, status, on)
        was = snapshot(d, list(STATUS_FIELDS))
        d.status, d.status_reason, d.status_citation, d.status_changed_on = status, reason, citation, on
        d.save(update_fields=list(STATUS_FIELDS))
        _event(d, kind=EventKind.STATUS, actor=actor, from_status=current, to_status=status, reason=reason,
               citation=citation, outcome=outcome, effective_on=on, data=data)
        before, after = changed_fields(was, snapshot(d, list(STATUS_FIELDS)))
        record("designations.status", d, actor=actor, summary=f"{d}：{DesignationStatus(current).label}→"
               f"{d.get_status_display()}（{citation}）", before=before, after=after)
        publish(d, actor=actor)
        _notify_holder(d, f"{d.name}：{d.get_status_display()}", f"{reason}（依据：{citation}）")
        from jiangxin.platform.designations.signals import status_changed

        status_changed.send(sender=Designation, designation=d, from_status=current, to_status=status, actor=actor,
                            citation=citation)
    designation.status = d.status
    return d


#: what a status change writes on the designation row
STATUS_FIELDS = ("status", "status_reason", "status_citation", "status_changed_on", "updated_at")


@transition("designations.apply_yearly_results", title=_("年度运行：按考核结果变更命名状态（批量）"),
            record="designations.Designation", sources=tuple(LIVE), target="",
            roles=(Role.OFFICE, Role.PARK_OFFICE, SYSTEM), guard="policy.funding（分笔拨付状态机）",
            citation="南昌工匠学院办法 第二十四条、第二十六条；南昌创新工作室办法 第十一条（四）、第十四条、第十五条",
            audit=False)
def set_status_many(changes: list[dict[str, Any]], *, actor: Any, on: dt.date | None = None,
                    loaded: bool = False) -> list[Designation]:
    """``set_status`` for many changes at once (the yearly run): each change is a dict with ``designation``,
    ``status``, ``reason``, ``citation`` and optionally ``outcome``, applied in order (one designation may
    change twice). Same checks, rows, audit records, directory entries and notifications as calling
    ``set_status`` once per change, written with a few bulk statements; any refused change refuses all.

    ``loaded``: the designations are the caller's instances, read in this transaction with their holders
    attached, and each change also holds ``from_status`` (the status when it was decided; the instance may
    show it already changed). They are then locked without being read again — rebuilding 35,000 model
    instances was a fifth of the yearly run — and a row whose status is no longer the first change's
    ``from_status`` refuses all."""
    if not changes:
        return []
    on = on or timezone.localdate()
    known = frozenset(DesignationStatus.values)  # a property that builds its list on every access
    for ch in changes:
        if ch["status"] not in known:
            raise DesignationError(f"未知状态：{ch['status']}")
        if not (ch.get("reason") or "").strip():
            raise DesignationError("须写明理由。")
        if not (ch.get("citation") or "").strip():
            raise DesignationError("须写明依据条款。")
    ids = list(dict.fromkeys(int(ch["designation"].pk) for ch in changes))
    with transaction.atomic():
        rows = _lock_given(changes, ids) if loaded else _lock_and_read(ids)
        for i in range(0, len(ids), 5000):
            _require_many(actor, ids[i:i + 5000])
        if not loaded:
            _attach_holders(rows.values())
        now = timezone.now()
        original = {pk: bulk.values(d, STATUS_FIELDS) for pk, d in rows.items()}
        events: list[dict[str, Any]] = []  # DesignationEvent rows, inserted without model instances
        actor_id = actor.pk if getattr(actor, "pk", None) else None
        audits: list[dict[str, Any]] = []
        listings: list[dict[str, Any]] = []
        messages: list[dict[str, Any]] = []
        recipients: dict[tuple[str, int], list[Any]] = {}
        _prefetch_recipients(rows.values(), recipients)
        labels = {value: str(label) for value, label in DesignationStatus.choices}
        changed: list[tuple[Designation, str, str, str]] = []
        snapshots: dict[int, dict[str, Any]] = {}  # each designation's latest status values (a second change starts there)
        fields = list(STATUS_FIELDS)
        url = ""  # the holders' page, resolved once when someone is told
        for ch in changes:
            d = rows[int(ch["designation"].pk)]
            status, reason, citation = ch["status"], ch["reason"], ch["citation"]
            current = d.status
            check_transition(d, status, on, labels)
            changed.append((d, current, status, citation))
            was = snapshots.get(d.pk) or {n: getattr(d, n) for n in fields}
            d.status, d.status_reason, d.status_citation, d.status_changed_on = status, reason, citation, on
            d.updated_at = now
            now_values = snapshots[d.pk] = {n: getattr(d, n) for n in fields}
            differing = [n for n in fields if was[n] != now_values[n]]  # what ``changed_fields`` keeps
            before, after = snapshot_values(was, differing), snapshot_values(now_values, differing)
            events.append({"designation_id": d.pk, "at": now, "kind": EventKind.STATUS, "actor_id": actor_id,
                           "from_status": current, "to_status": status, "reason": reason, "citation": citation,
                           "outcome": ch.get("outcome"), "effective_on": on, "data": {}})
            audits.append({"action": "designations.status", "obj": d, "before": before, "after": after,
                           "summary": f"{d}：{labels[current]}→{labels[status]}（{citation}）"})
            listing = _listing(d, labels[status])
            if listing is not None:
                listings.append(listing)
            users = _holder_recipients(d, recipients)
            if users:  # a holder without accounts is told nothing: no message to build
                url = url or _mine_url()
                messages.append({"users": users, "title": f"{d.name}：{labels[status]}",
                                 "body": f"{reason}（依据：{citation}）", "url": url, "kind": "result"})
        bulk.update_changed(Designation, rows.values(), STATUS_FIELDS, original)
        bulk.insert(DesignationEvent, events)
        record_many(audits, actor=actor)
        from jiangxin.platform.notifications.services import notify_many
        answers.ask("designations.publish_listings", listings, actor=actor)  # the portal's directory
        notify_many(messages)
        from jiangxin.platform.designations.signals import status_changed

        if status_changed.receivers:
            for d, current, status, citation in changed:
                status_changed.send(sender=Designation, designation=d, from_status=current, to_status=status,
                                    actor=actor, citation=citation)
    return list(rows.values())


def _lock_and_read(ids: list[int]) -> dict[int, Designation]:
    """The designations, read again under a row lock (``set_status_many`` on its own)."""
    rows: dict[int, Designation] = {}
    for i in range(0, len(ids), 5000):
        rows.update((d.pk, d) for d in Designation.objects.select_for_update().filter(pk__any_of=ids[i:i + 5000]))
    return rows


def _lock_given(changes: list[dict[str, Any]], ids: list[int]) -> dict[int, Designation]:
    """The caller's designations (``loaded``), locked by id, each set back to its status before the changes;
    refused when a row's status is not that one any more (another change came first)."""
    rows: dict[int, Designation] = {}
    for ch in changes:
        d = ch["designation"]
        if d.pk not in rows:
            rows[d.pk] = d
            d.status = ch["from_status"]
    for i in range(0, len(ids), 5000):
        locked = dict(Designation.objects.select_for_update().filter(pk__any_of=ids[i:i + 5000])
                      .values_list("pk", "status"))
        for pk in ids[i:i + 5000]:
            if locked.get(pk) != rows[pk].status:
                raise DesignationError("该命名的状态已发生变化，请刷新后重试。")
    return rows


def _require_many(actor: Any, chunk: list[int]) -> None:
    """``_require`` for many designations: the actor's role, and every designation within their scope."""
    if actor is None:
        return
    if getattr(actor, "role", "") not in ACTING_ROLES:
        raise DesignationError("只有主管部门（或园区管理办公室）工作人员可以办理。")
    allowed = set(scope(Designation.objects.filter(pk__any_of=chunk), actor, org_field="scope_org")
                  .values_list("pk", flat=True))
    if set(chunk) - allowed:
        raise DesignationError("该命名不在您的管辖范围内。")


def _attach_holders(designations: Any) -> None:
    """Load the holders and scope organisations once for many designations (a few organisations hold
    thousands of designations: one object each, not one join row per designation)."""
    from jiangxin.platform.orgs.models import Organisation
    from jiangxin.platform.people.models import Person

    designations = list(designations)
    org_ids = {d.holder_org_id for d in designations} | {d.scope_org_id for d in designations}
    orgs = Organisation.objects.in_bulk([i for i in org_ids if i is not None])
    people = Person.objects.in_bulk([d.holder_person_id for d in designations if d.holder_person_id])
    for d in designations:
        if d.holder_org_id:
            d.holder_org = orgs[d.holder_org_id]
        if d.scope_org_id:
            d.scope_org = orgs[d.scope_org_id]
        if d.holder_person_id:
            d.holder_person = people[d.holder_person_id]


def _listing(designation: Designation, label: str) -> dict[str, Any] | None:
    """``publish``'s arguments for ``publish_listings`` (``label``: the status's display name)."""
    kind = _facts(designation.program).listing or None
    if kind is None:
        return None
    status = label
    if designation.status not in LIVE and designation.status_citation:
        status = f"{status}（{designation.status_citation}）"[:50]
    source = f"review:{designation.case_id}" if designation.case_id else f"designation:{designation.pk}"
    return {"kind": kind, "source_key": source, "name": designation.name, "status": status,
            "organisation": designation.holder_org or designation.scope_org, "since": designation.designated_on,
            "until": designation.status_changed_on if designation.status not in LIVE else designation.ends_on,
            "person_name": designation.holder_person.name if designation.holder_person else "",
            "summary": f"证书编号 {designation.certificate_no}", "program": designation.program}


def _mine_url() -> str:
    from django.urls import reverse

    return reverse("designations:mine")


def _prefetch_recipients(designations: Any, cache: dict[tuple[str, int], list[Any]]) -> None:
    """Fill ``_holder_recipients``' cache for many designations with two queries (the holder units' unit and
    training-unit accounts, the holder people's own accounts) instead of one query per holder."""
    from django.contrib.auth import get_user_model

    from jiangxin.platform.accounts.roles import ADMIN_ROLES, STAFF_ROLES

    roles = {str(Role.UNIT), str(Role.TRAINING_UNIT)}
    if roles & {str(r) for r in STAFF_ROLES | ADMIN_ROLES}:
        return  # role_holders' rule for staff roles reaches ancestors: left to it, one holder at a time
    user_model = get_user_model()
    org_ids = sorted({d.holder_org_id for d in designations if d.holder_org_id})
    person_ids = sorted({d.holder_person_id for d in designations if not d.holder_org_id and d.holder_person_id})
    cache.update((("org", i), []) for i in org_ids)
    cache.update((("person", i), []) for i in person_ids)
    for user in user_model.objects.filter(role__in=roles, organisation_id__any_of=org_ids,
                                          is_active=True).order_by("pk"):
        cache[("org", int(user.organisation_id or 0))].append(user)  # the filter matched an organisation
    for user in user_model.objects.filter(person_id__any_of=person_ids).order_by("pk"):
        cache[("person", int(user.person_id or 0))].append(user)  # the filter matched a person


def _holder_recipients(d: Designation, cache: dict[tuple[str, int], list[Any]]) -> list[Any] | None:
    """Who ``_notify_holder`` tells (None when nobody), cached per holder for bulk changes."""
    if d.holder_org_id:
        key = ("org", d.holder_org_id)
        if key not in cache:
            from jiangxin.platform.notifications.services import role_holders

            cache[key] = list(role_holders(d.holder_org, [Role.UNIT, Role.TRAINING_UNIT]))
    elif d.holder_person_id:
        key = ("person", d.holder_person_id)
        if key not in cache:
            assert d.holder_person is not None
            cache[key] = list(d.holder_person.accounts.all())
    elif d.case is not None:
        return [d.case.application.applicant_user]
    else:
        return None
    return cache[key]


def expire_ended(program: str, on: dt.date, *, actor: Any = None) -> list[Designation]:
    """Mark every live designation of ``program`` whose fixed term ended before ``on`` as expired."""
    done = []
    for d in Designation.objects.filter(program=program, status__in=LIVE, ends_on__lt=on).order_by("pk"):
        citation = (d.ends_outcome or {}).get("citation", {}).get("label", "")
        done.append(set_status(d, DesignationStatus.EXPIRED, reason=f"期限于{d.ends_on:%Y年%m月%d日}届满",
                               citation=citation or "期限届满", actor=actor, outcome=d.ends_outcome, on=on))
    return done
