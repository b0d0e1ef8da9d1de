"""Reading designations (no state changes): the directory a user sees, what the user holds, the designation
of a case, the fixed term's end (from the policy core), whether a status change is allowed, and the
leader history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.designations.base import TRANSITIONS, DesignationError, _facts
from jiangxin.platform.designations.models import (
    FINAL,
    Designation,
    DesignationEvent,
    DesignationStatus,
    EventKind,
)
from jiangxin.platform.orgs.scope import scope
from jiangxin.platform.rounds.catalog import PROGRAM_INFO


def known_programs() -> list[str]:
    """Programs that confer a designation (every loaded program declares one)."""
    return sorted(PROGRAM_INFO)


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
    """The last day of the fixed term the program declares, starting on ``start`` (None when it has none), with
    the outcome of the computation that decides it."""
    term = _facts(program).term
    if term is None:
        return None, None
    out = _run(program, term.computation, dict.fromkeys(term.start_facts, start.isoformat()), overrides, reference)
    return dt.date.fromisoformat(str(out["value"][term.end_key])), out


def check_transition(d: Designation, status: str, on: dt.date, labels: Mapping[str, str] | None = None) -> None:
    """Refuse a status change the lifecycle does not allow (``labels``: status names looked up once by bulk
    callers)."""
    name = labels.get if labels is not None else (lambda value: str(DesignationStatus(value).label))
    current = d.status
    if current == status:
        raise DesignationError(f"已是“{name(current)}”状态。")
    if current in FINAL or status not in TRANSITIONS.get(current, frozenset()):
        raise DesignationError(f"不能从“{name(current)}”变为“{name(status)}”。")
    if status == DesignationStatus.EXITED and not _facts(d.program).exit:
        raise DesignationError("只有入驻创新园的工作室适用退出。")
    if status == DesignationStatus.EXPIRED:
        if _facts(d.program).term is None or d.ends_on is None:
            raise DesignationError("该项目没有固定期限，不适用期满。")
        if on <= d.ends_on:
            raise DesignationError(f"期限至{d.ends_on:%Y年%m月%d日}，尚未届满。")


def leader_history(designation: Designation) -> list[DesignationEvent]:
    return list(designation.events.filter(kind=EventKind.LEADER).order_by("at", "id"))
