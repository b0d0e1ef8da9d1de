"""Creating a designation (命名、入选、入驻、称号): from a named review case or imported history, with its
gap-free certificate number and the fixed term's end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.core.transitions import SYSTEM, transition
from jiangxin.platform.designations.actions._common import _event, publish
from jiangxin.platform.designations.base import DesignationError, _facts, _require
from jiangxin.platform.designations.models import (
    CertificateCounter,
    Designation,
    DesignationStatus,
    EventKind,
)
from jiangxin.platform.designations.selectors import for_case, term_end
from jiangxin.platform.rounds.catalog import PROGRAM_INFO


def next_certificate_no(program: str, year: int) -> str:
    """The next number of ``program``'s series for ``year`` (e.g. NCGJXY-2026-001); call inside the caller's
    transaction: the counter row stays locked until it commits, so numbers are unique and gap-free."""
    prefix = _facts(program).certificate_prefix
    CertificateCounter.objects.get_or_create(program=program, year=year)
    counter = CertificateCounter.objects.select_for_update().get(program=program, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:03d}"


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


@transition("designations.designate", title=_("命名（入选、入驻、称号）"), record="designations.Designation",
            sources=("*",), target=DesignationStatus.ACTIVE, roles=(Role.OFFICE, Role.PARK_OFFICE, SYSTEM),
            guard="policy.workflow（命名环节）", citation="各项目办法的命名条款（workflow.yaml 的命名环节）",
            audit=False)
def designate(*, program: str, name: str, on: dt.date, actor: Any, holder_org: Any = None, holder_person: Any = None,
              scope_org: Any = None, leader_person: Any = None, case: Any = None, year: int | None = None,
              reason: str = "", citation: str = "", overrides: Mapping[str, Any] | None = None,
              reference: str = "", require_holder: bool = True) -> Designation:
    """Create a designation (also for imported history, ``case=None``) with its certificate number."""
    if program not in PROGRAM_INFO:
        raise DesignationError(f"未知项目：{program}")
    facts = _facts(program)
    kind, unit = facts.kind, facts.holder_is_unit
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
    unit = _facts(case.program).holder_is_unit
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
