"""Designation lifecycle (命名后的状态管理): every change is one atomic, audited service call that writes a
``DesignationEvent`` with its reason and article, and refreshes the public directory entry.

Lifecycle: active ⇄ yellow_card → revoked | cycle_complete (→ revoked on a later failure) | expired | exited
(镇江 only). The end date of a fixed term comes from the policy core: 赣州 ``ganzhou_craftsman/cultivation_period``, 镇江
``zhenjiang_park/rent_free_term``, 江苏 the parameter ``tracking_years`` (I-DESIG-01)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record, record_many, snapshot
from jiangxin.platform.core import bulk
from jiangxin.platform.core.transitions import SYSTEM, TransitionRefused, transition
from jiangxin.platform.designations.models import (
    FINAL,
    LIVE,
    CertificateCounter,
    Designation,
    DesignationEvent,
    DesignationStatus,
    EventKind,
    Kind,
)
from jiangxin.platform.orgs.scope import scope
from jiangxin.policy.outcome import cite

#: program → (kind, certificate prefix, holder is a unit)
PROGRAM_KIND: dict[str, tuple[str, str, bool]] = {
    "nanchang_academy": (Kind.NAMED, "NCGJXY", True),
    "nanchang_studio": (Kind.NAMED, "NCCXGZS", True),
    "zhenjiang_park": (Kind.ADMITTED, "ZJDSGZS", True),
    "ganzhou_craftsman": (Kind.TITLE, "GZGJ", False),
    "jiangsu_technician": (Kind.COHORT, "JSZYJS", False),
}
#: public directory kind per program (the portal has no listing kind for the Jiangsu cohort)
LISTING_KIND = {"nanchang_academy": "academy", "nanchang_studio": "studio", "zhenjiang_park": "park_studio",
                "ganzhou_craftsman": "craftsman"}
#: the allowed transitions (a final state is never left)
TRANSITIONS: dict[str, frozenset[str]] = {
    DesignationStatus.ACTIVE: frozenset({DesignationStatus.YELLOW_CARD, DesignationStatus.REVOKED,
                                         DesignationStatus.CYCLE_COMPLETE, DesignationStatus.EXPIRED,
                                         DesignationStatus.EXITED}),
    DesignationStatus.YELLOW_CARD: frozenset({DesignationStatus.ACTIVE, DesignationStatus.REVOKED,
                                              DesignationStatus.CYCLE_COMPLETE, DesignationStatus.EXPIRED,
                                              DesignationStatus.EXITED}),
    # the cycle's end is not the naming's end: a yearly failure afterwards revokes
    DesignationStatus.CYCLE_COMPLETE: frozenset({DesignationStatus.REVOKED}),
}
#: only these programs have a fixed term that can expire, and only the park has an exit
TERM_PROGRAMS = frozenset({"ganzhou_craftsman", "zhenjiang_park", "jiangsu_technician"})
EXIT_PROGRAMS = frozenset({"zhenjiang_park"})
#: who may change a designation
ACTING_ROLES = frozenset({Role.OFFICE, Role.PARK_OFFICE})
STAFF_VIEW_ROLES = frozenset({Role.OFFICE, Role.DISTRICT, Role.PARK_OFFICE, Role.FINANCE})
#: the studio leader-change rule (re-runs through review; recorded here)
LEADER_CHANGE_CITATION = {"nanchang_studio": cite("nanchang_studio", "第七条", "末句").label}


class DesignationError(TransitionRefused):
    """A refused designation change, with a Chinese message for the user (a refused transition)."""


# ------------------------------------------------------------------------------------------------ queries


def directory_queryset(user: Any) -> QuerySet[Designation]:
    """Designations ``user`` may see: staff their subtree, a unit its own, an individual his or her own."""
    qs = Designation.objects.select_related("holder_org", "holder_person", "scope_org", "leader_person")
    role = getattr(user, "role", "")
    if role in (Role.INDIVIDUAL, Role.TRAINEE):
        person_id = getattr(user, "person_id", None)
        mine = Q(case__application__applicant_user=user)
        return qs.filter(Q(holder_person_id=person_id) | mine) if person_id else qs.filter(mine)
    if role in (Role.UNIT, Role.TRAINING_UNIT):
        org = getattr(user, "organisation", None)
        return qs.filter(holder_org=org) if org is not None else qs.none()
    return scope(qs, user, org_field="scope_org")


def held_by(user: Any) -> QuerySet[Designation]:
    """The designations the user's unit (or the user) holds — the "my designation" page."""
    role = getattr(user, "role", "")
    if role not in (Role.UNIT, Role.TRAINING_UNIT, Role.INDIVIDUAL, Role.TRAINEE):
        return Designation.objects.none()
    return directory_queryset(user)


def for_case(case: Any) -> Designation | None:
    return Designation.objects.filter(case=case).first()


# ------------------------------------------------------------------------------------------------ helpers


def _require(actor: Any, designation: Designation | None = None) -> None:
    """Staff of the office (or the park office) in whose subtree the designation lies; ``None`` = system."""
    if actor is None:
        return
    if getattr(actor, "role", "") not in ACTING_ROLES:
        raise DesignationError("只有主管部门（或园区管理办公室）工作人员可以办理。")
    if designation is not None and designation.pk is not None and not scope(
            Designation.objects.filter(pk=designation.pk), actor, org_field="scope_org").exists():
        raise DesignationError("该命名不在您的管辖范围内。")


def next_certificate_no(program: str, year: int) -> str:
    """The next number of ``program``'s series for ``year`` (e.g. NCGJXY-2026-001); call inside the caller's
    transaction: the counter row stays locked until it commits, so numbers are unique and gap-free."""
    prefix = PROGRAM_KIND[program][1]
    CertificateCounter.objects.get_or_create(program=program, year=year)
    counter = CertificateCounter.objects.select_for_update().get(program=program, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:03d}"


def _run(program: str, name: str, facts: Mapping[str, Any], overrides: Mapping[str, Any] | None = None,
         reference: str = "") -> dict[str, Any]:
    from jiangxin.policy.registry import get_computation

    comp = get_computation(program, name)
    outcome = comp.run(dict(facts), overrides or None, reference).to_dict()
    outcome["computation"] = f"{program}/{name}"
    outcome["citation"] = comp.citation.to_dict()
    return outcome


def term_end(program: str, start: dt.date, overrides: Mapping[str, Any] | None = None,
             reference: str = "") -> tuple[dt.date | None, dict[str, Any] | None]:
    """The last day of a fixed term that starts on ``start`` (None for programs without one), with the outcome."""
    if program == "ganzhou_craftsman":
        out = _run(program, "cultivation_period", {"as_of": start.isoformat(), "title_date": start.isoformat()},
                   overrides, reference)
        return dt.date.fromisoformat(str(out["value"]["end"])), out
    if program == "zhenjiang_park":
        out = _run(program, "rent_free_term", {"as_of": start.isoformat(), "admission_date": start.isoformat()},
                   overrides, reference)
        return dt.date.fromisoformat(str(out["value"]["last_rent_free_day"])), out
    if program == "jiangsu_technician":
        from jiangxin.policy.deadlines import add_years
        from jiangxin.policy.registry import PROGRAMS

        params = PROGRAMS[program].parameters()
        if overrides:
            params = params.with_overrides(overrides, reference=reference)
        years = params.get("tracking_years", start)
        end = add_years(start, int(years.value)) - dt.timedelta(days=1)
        step = {"rule": "tracking_period", "citation": years.citation.to_dict(), "result": end.isoformat(),
                "inputs": {"start": start.isoformat()}, "parameters": {"tracking_years": int(years.value)},
                "note": "自入选之日起算，至周年前一日止（I-DESIG-01）"}
        return end, {"value": {"start": start.isoformat(), "end": end.isoformat()}, "status": "ok", "failures": [],
                     "trace": [step], "computation": "jiangsu_technician/tracking_years",
                     "citation": years.citation.to_dict()}
    return None, None


def _leader_from(app: Any, holder_org: Any) -> Any:
    """The leader named on the application (a person id, else the name matched among the unit's people)."""
    from jiangxin.platform.people.models import Person

    details = app.details or {}
    if details.get("leader_person_id"):
        return Person.objects.filter(pk=details["leader_person_id"]).first()
    name = str(details.get("leader_name") or "").strip()
    if not name:
        return None
    found = list(Person.objects.filter(name=name, employer=holder_org)[:2]) if holder_org else []
    return found[0] if len(found) == 1 else None


def _event(designation: Designation, *, kind: str, actor: Any, from_status: str = "", to_status: str = "",
           reason: str = "", citation: str = "", outcome: dict[str, Any] | None = None,
           effective_on: dt.date | None = None, data: dict[str, Any] | None = None) -> DesignationEvent:
    return DesignationEvent.objects.create(
        designation=designation, kind=kind, actor=actor if getattr(actor, "pk", None) else None,
        from_status=from_status, to_status=to_status, reason=reason, citation=citation, outcome=outcome,
        effective_on=effective_on, data=data or {})


def publish(designation: Designation, *, actor: Any = None) -> None:
    """Write (or rewrite) the public directory entry: the current status, revocations included."""
    kind = LISTING_KIND.get(designation.program)
    if kind is None:
        return
    from jiangxin.platform.portal.services import publish_listing

    status = designation.get_status_display()
    if designation.status not in LIVE and designation.status_citation:
        status = f"{status}（{designation.status_citation}）"[:50]
    source = f"review:{designation.case_id}" if designation.case_id else f"designation:{designation.pk}"
    publish_listing(kind=kind, source_key=source, name=designation.name, status=status,
                    organisation=designation.holder_org or designation.scope_org, since=designation.designated_on,
                    until=designation.status_changed_on if designation.status not in LIVE else designation.ends_on,
                    person_name=designation.holder_person.name if designation.holder_person else "",
                    summary=f"证书编号 {designation.certificate_no}", program=designation.program, actor=actor)


# ------------------------------------------------------------------------------------------------ transitions


@transition("designations.designate", title=_("命名（入选、入驻、称号）"), record="designations.Designation",
            sources=("*",), target=DesignationStatus.ACTIVE, roles=(Role.OFFICE, Role.PARK_OFFICE, SYSTEM),
            guard="policy.workflow（命名环节）", citation="各项目办法的命名条款（workflow.yaml 的命名环节）",
            audit=False)
def designate(*, program: str, name: str, on: dt.date, actor: Any, holder_org: Any = None, holder_person: Any = None,
              scope_org: Any = None, leader_person: Any = None, case: Any = None, year: int | None = None,
              reason: str = "", citation: str = "", overrides: Mapping[str, Any] | None = None,
              reference: str = "", require_holder: bool = True) -> Designation:
    """Create a designation (also for imported history, ``case=None``) with its certificate number."""
    if program not in PROGRAM_KIND:
        raise DesignationError(f"未知项目：{program}")
    kind, _prefix, unit = PROGRAM_KIND[program]
    if unit and holder_org is None:
        raise DesignationError("单位类项目须有持有单位。")
    if not unit and holder_person is None and require_holder:
        raise DesignationError("个人类项目须有持有人。")
    scope_org = scope_org or holder_org or getattr(holder_person, "employer", None)
    if scope_org is None:
        raise DesignationError("须指定归属单位。")
    _require(actor)
    with transaction.atomic():
        ends_on, ends_outcome = term_end(program, on, overrides, reference)
        d = Designation.objects.create(
            program=program, kind=kind, name=name, holder_org=holder_org, holder_person=holder_person,
            scope_org=scope_org, case=case, year=year or on.year, designated_on=on,
            certificate_no=next_certificate_no(program, year or on.year), leader_person=leader_person,
            ends_on=ends_on, ends_outcome=ends_outcome, status_citation=citation, status_changed_on=on)
        _event(d, kind=EventKind.DESIGNATED, actor=actor, to_status=d.status, reason=reason or "命名",
               citation=citation, outcome=ends_outcome, effective_on=on,
               data={"certificate_no": d.certificate_no, "case": case.pk if case is not None else None})
        record("designations.designate", d, actor=actor, summary=f"命名：{d}", after=snapshot(d))
        publish(d, actor=actor)
    return d


def designate_from_case(case: Any, *, actor: Any, on: dt.date) -> Designation:
    """The designation for a named case (idempotent: a second call returns the first designation)."""
    existing = for_case(case)
    if existing is not None:
        return existing
    from jiangxin.policy.workflow import load_workflow

    app = case.application
    unit = PROGRAM_KIND[case.program][2]
    holder_org = app.applicant_org if unit else None
    # an individual is the applicant's person record (or the applying account's); a case without either is
    # still named, held through the applying account, so the naming transition never fails on it
    holder_person = None if unit else (app.applicant_person or getattr(app.applicant_user, "person", None))
    if unit and holder_org is None:
        raise DesignationError("申报单位缺失，无法命名。")
    leader = _leader_from(app, holder_org) if unit else holder_person
    wf = load_workflow(case.program)
    naming = wf.first_of_kind("naming") or (wf.stages[-1] if wf.stages else None)  # 江苏: the last stage
    citation = str(naming.citation.label) if naming is not None else ""
    rnd = case.round
    with transaction.atomic():
        locked = type(case).objects.select_for_update().get(pk=case.pk)
        existing = for_case(locked)
        if existing is not None:
            return existing
        return designate(program=case.program, name=app.title, on=on, actor=actor, holder_org=holder_org,
                         holder_person=holder_person, scope_org=app.applicant_org or holder_org or rnd.organiser,
                         leader_person=leader, case=locked, year=rnd.year, reason=f"{wf.final_title}",
                         citation=citation, overrides=rnd.office_parameters or None,
                         reference=rnd.notice_reference, require_holder=False)


def check_transition(d: Designation, status: str, on: dt.date, labels: Mapping[str, str] | None = None) -> None:
    """Refuse a status change the lifecycle does not allow (``labels``: status names looked up once by bulk
    callers)."""
    name = labels.get if labels is not None else (lambda value: str(DesignationStatus(value).label))
    current = d.status
    if current == status:
        raise DesignationError(f"已是“{name(current)}”状态。")
    if current in FINAL or status not in TRANSITIONS.get(current, frozenset()):
        raise DesignationError(f"不能从“{name(current)}”变为“{name(status)}”。")
    if status == DesignationStatus.EXITED and d.program not in EXIT_PROGRAMS:
        raise DesignationError("只有入驻创新园的工作室适用退出。")
    if status == DesignationStatus.EXPIRED:
        if d.program not in TERM_PROGRAMS or d.ends_on is None:
            raise DesignationError("该项目没有固定期限，不适用期满。")
        if on <= d.ends_on:
            raise DesignationError(f"期限至{d.ends_on:%Y年%m月%d日}，尚未届满。")


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
        before = snapshot(d)
        d.status, d.status_reason, d.status_citation, d.status_changed_on = status, reason, citation, on
        d.save(update_fields=["status", "status_reason", "status_citation", "status_changed_on", "updated_at"])
        _event(d, kind=EventKind.STATUS, actor=actor, from_status=current, to_status=status, reason=reason,
               citation=citation, outcome=outcome, effective_on=on, data=data)
        record("designations.status", d, actor=actor, summary=f"{d}：{DesignationStatus(current).label}→"
               f"{d.get_status_display()}（{citation}）", before=before, after=snapshot(d))
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
def set_status_many(changes: list[dict[str, Any]], *, actor: Any, on: dt.date | None = None) -> list[Designation]:
    """``set_status`` for many changes at once (the yearly run): each change is a dict with ``designation``,
    ``status``, ``reason``, ``citation`` and optionally ``outcome``, applied in order (one designation may
    change twice). Same checks, rows, audit records, directory entries and notifications as calling
    ``set_status`` once per change, written with a few bulk statements; any refused change refuses all."""
    if not changes:
        return []
    on = on or timezone.localdate()
    for ch in changes:
        if ch["status"] not in DesignationStatus.values:
            raise DesignationError(f"未知状态：{ch['status']}")
        if not (ch.get("reason") or "").strip():
            raise DesignationError("须写明理由。")
        if not (ch.get("citation") or "").strip():
            raise DesignationError("须写明依据条款。")
    ids = list(dict.fromkeys(int(ch["designation"].pk) for ch in changes))
    with transaction.atomic():
        rows: dict[int, Designation] = {}
        for i in range(0, len(ids), 5000):
            chunk = ids[i:i + 5000]
            rows.update((d.pk, d) for d in Designation.objects.select_for_update().filter(pk__any_of=chunk))
            if actor is not None:
                if getattr(actor, "role", "") not in ACTING_ROLES:
                    raise DesignationError("只有主管部门（或园区管理办公室）工作人员可以办理。")
                allowed = set(scope(Designation.objects.filter(pk__any_of=chunk), actor, org_field="scope_org")
                              .values_list("pk", flat=True))
                if set(chunk) - allowed:
                    raise DesignationError("该命名不在您的管辖范围内。")
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
        snapshots: dict[int, dict[str, Any]] = {}  # each designation's latest snapshot (a second change starts there)
        url = _mine_url()
        for ch in changes:
            d = rows[int(ch["designation"].pk)]
            status, reason, citation = ch["status"], ch["reason"], ch["citation"]
            current = d.status
            check_transition(d, status, on, labels)
            changed.append((d, current, status, citation))
            before = snapshots.get(d.pk) or snapshot(d)
            d.status, d.status_reason, d.status_citation, d.status_changed_on = status, reason, citation, on
            d.updated_at = now
            # snapshot(d) again, from the one before: only the status fields changed
            after = snapshots[d.pk] = {**before, **snapshot(d, list(STATUS_FIELDS))}
            events.append({"designation_id": d.pk, "at": now, "kind": EventKind.STATUS, "actor_id": actor_id,
                           "from_status": current, "to_status": status, "reason": reason, "citation": citation,
                           "outcome": ch.get("outcome"), "effective_on": on, "data": {}})
            audits.append({"action": "designations.status", "obj": d, "before": before, "after": after,
                           "summary": f"{d}：{labels[current]}→{labels[status]}（{citation}）"})
            listing = _listing(d, labels[status])
            if listing is not None:
                listings.append(listing)
            users = _holder_recipients(d, recipients)
            if users is not None:
                messages.append({"users": users, "title": f"{d.name}：{labels[status]}",
                                 "body": f"{reason}（依据：{citation}）", "url": url, "kind": "result"})
        bulk.update_changed(Designation, rows.values(), STATUS_FIELDS, original)
        bulk.insert(DesignationEvent, events)
        record_many(audits, actor=actor)
        from jiangxin.platform.notifications.services import notify_many
        from jiangxin.platform.portal.services import publish_listings

        publish_listings(listings, actor=actor)
        notify_many(messages)
        from jiangxin.platform.designations.signals import status_changed

        if status_changed.receivers:
            for d, current, status, citation in changed:
                status_changed.send(sender=Designation, designation=d, from_status=current, to_status=status,
                                    actor=actor, citation=citation)
    return list(rows.values())


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
    kind = LISTING_KIND.get(designation.program)
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
        cache[("org", user.organisation_id)].append(user)
    for user in user_model.objects.filter(person_id__any_of=person_ids).order_by("pk"):
        cache[("person", user.person_id)].append(user)


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
    elif d.case_id:
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


def change_leader(designation: Designation, person: Any, *, actor: Any, effective_on: dt.date,
                  case: Any = None, reason: str = "", citation: str = "") -> Designation:
    """Record a change of leader (领衔人); the history stays in the events. For the studio the change itself
    goes through review (``case``); this records its result."""
    with transaction.atomic():
        d = Designation.objects.select_for_update().get(pk=designation.pk)
        _require(actor, d)
        if d.status not in LIVE:
            raise DesignationError("该命名已终止，不能变更领衔人。")
        if d.leader_person_id == getattr(person, "pk", None):
            raise DesignationError("新领衔人与现领衔人相同。")
        before = snapshot(d)
        old = d.leader_person
        d.leader_person = person
        d.save(update_fields=["leader_person", "updated_at"])
        _event(d, kind=EventKind.LEADER, actor=actor, reason=reason or "领衔人变更",
               citation=citation or LEADER_CHANGE_CITATION.get(d.program, ""), effective_on=effective_on,
               data={"from_person": old.pk if old else None, "from_name": old.name if old else "",
                     "to_person": person.pk, "to_name": person.name,
                     "case": getattr(case, "pk", None)})
        record("designations.leader", d, actor=actor, summary=f"{d}：领衔人 {old.name if old else '—'}→{person.name}",
               before=before, after=snapshot(d))
    return d


def leader_history(designation: Designation) -> list[DesignationEvent]:
    return list(designation.events.filter(kind=EventKind.LEADER).order_by("at", "id"))


def _notify_holder(d: Designation, title: str, body: str) -> None:
    from django.urls import reverse

    from jiangxin.platform.notifications.services import notify, notify_roles

    url = reverse("designations:mine")
    if d.holder_org_id:
        notify_roles(d.holder_org, [Role.UNIT, Role.TRAINING_UNIT], title=title, body=body, url=url, kind="result")
    elif d.holder_person_id:
        notify(d.holder_person.accounts.all(), title=title, body=body, url=url, kind="result")
    elif d.case_id:
        notify([d.case.application.applicant_user], title=title, body=body, url=url, kind="result")
