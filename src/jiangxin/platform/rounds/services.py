"""Every state change of programs and rounds: checked, written and audited in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.core.transitions import TransitionRefused, transition
from jiangxin.platform.core.ui import memo
from jiangxin.platform.orgs.models import Category, Level
from jiangxin.platform.rounds.catalog import PROGRAM_INFO
from jiangxin.platform.rounds.models import Program, Round, RoundStatus
from jiangxin.policy.errors import PolicyError


class RoundError(TransitionRefused):
    """A refused change, with a message for the user (Chinese)."""


ROUND_FIELDS = ["program_id", "year", "title", "organiser_id", "opens", "closes", "district_review_due",
                "quota", "notice_reference", "office_parameters", "status"]


def sync_programs() -> tuple[int, int]:
    """Create or update a Program row for every program of the policy registry; idempotent.

    Returns (created, updated)."""
    from jiangxin.policy.registry import PROGRAMS, all_computations

    all_computations()
    created = updated = 0
    with transaction.atomic():
        for key, program in sorted(PROGRAMS.items()):
            meta = PROGRAM_INFO[key]
            values = {"title": program.title, "document": program.document,
                      "jurisdiction": meta.jurisdiction, "applicant_kind": meta.applicant}
            row = Program.objects.filter(key=key).first()
            if row is None:
                row = Program.objects.create(key=key, **values)
                record("program.create", row, summary=f"同步项目 {key}", after=values)
                created += 1
            elif any(getattr(row, k) != v for k, v in values.items()):
                before = {k: getattr(row, k) for k in values}
                for k, v in values.items():
                    setattr(row, k, v)
                row.save()
                record("program.update", row, summary=f"同步项目 {key}", before=before, after=values)
                updated += 1
    return created, updated


def can_manage(user: Any, program: Program) -> bool:
    """Office staff of the program's authority (the top of its jurisdiction's tree) run its rounds."""
    org = getattr(user, "organisation", None)
    if not getattr(user, "is_authenticated", False) or org is None:
        return False
    if user.role not in PROGRAM_INFO[program.key].office_roles or org.jurisdiction != program.jurisdiction:
        return False
    # the authority itself, or the park's management office for the park's rounds
    return org.level == Level.AUTHORITY or (user.role == Role.PARK_OFFICE and org.category == Category.PARK)


def all_programs() -> list[Program]:
    """Every program row, read once while a page's navigation and tasks are gathered (``core.ui.memo``)."""
    return memo("rounds.programs", lambda: list(Program.objects.order_by("key")))


def managed_programs(user: Any) -> list[Program]:
    return [p for p in all_programs() if can_manage(user, p)]


def visible_rounds(user: Any) -> QuerySet[Round]:
    """Office staff see their jurisdiction's rounds (drafts only their own organisation's); other staff see
    open and closed rounds of their jurisdiction; applicants see open rounds. Administrators see none."""
    qs = Round.objects.select_related("program", "organiser")
    role = getattr(user, "role", "")
    org = getattr(user, "organisation", None)
    if not getattr(user, "is_authenticated", False) or role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN,
                                                                  Role.AUDIT_ADMIN):
        return qs.none()
    if org is not None:
        qs = qs.filter(program__jurisdiction=org.jurisdiction)
    if role in (Role.OFFICE, Role.PARK_OFFICE) and org is not None:
        return qs.filter(~Q(status=RoundStatus.DRAFT) | Q(organiser__path__startswith=org.path))
    if role in (Role.DISTRICT, Role.FINANCE, Role.EXPERT):
        return qs.exclude(status=RoundStatus.DRAFT)
    return qs.filter(status=RoundStatus.OPEN)


def validate_office_parameters(program: Program, values: dict[str, Any], reference: str) -> None:
    """Raise RoundError when the office's values do not fit the parameter kinds."""
    try:
        program.parameters().with_overrides(values, reference=reference)
    except PolicyError as exc:
        raise RoundError(f"参数不符合要求：{exc}") from None


def _check(program: Program, opens: dt.date, closes: dt.date, due: dt.date | None) -> None:
    if closes < opens:
        raise RoundError("申报截止日期不能早于开始日期")
    if due is not None and due < closes:
        raise RoundError("县区初审截止日期不能早于申报截止日期")


def create_round(user: Any, program: Program, *, year: int, title: str, opens: dt.date, closes: dt.date,
                 district_review_due: dt.date | None = None, quota: int | None = None,
                 notice_reference: str = "", office_parameters: dict[str, Any] | None = None) -> Round:
    if not can_manage(user, program):
        raise RoundError("只有该项目主管部门的工作人员可以新建申报批次")
    params = {k: v for k, v in (office_parameters or {}).items() if v not in (None, "")}
    _check(program, opens, closes, district_review_due)
    validate_office_parameters(program, params, notice_reference)
    with transaction.atomic():
        rnd = Round.objects.create(program=program, year=year, title=title, organiser=user.organisation,
                                   opens=opens, closes=closes, district_review_due=district_review_due,
                                   quota=quota, notice_reference=notice_reference, office_parameters=params,
                                   created_by=user)
        record("round.create", rnd, actor=user, summary=f"新建申报批次 {title}",
               after=snapshot(rnd, ROUND_FIELDS))
    return rnd


def update_round(user: Any, rnd: Round, **changes: Any) -> Round:
    if not can_manage(user, rnd.program):
        raise RoundError("只有该项目主管部门的工作人员可以修改申报批次")
    if rnd.status == RoundStatus.CLOSED:
        raise RoundError("已截止的批次不能修改")
    with transaction.atomic():
        rnd = Round.objects.select_for_update().get(pk=rnd.pk)
        before = snapshot(rnd, ROUND_FIELDS)
        if "office_parameters" in changes:
            changes["office_parameters"] = {k: v for k, v in (changes["office_parameters"] or {}).items()
                                            if v not in (None, "")}
        for key, value in changes.items():
            setattr(rnd, key, value)
        _check(rnd.program, rnd.opens, rnd.closes, rnd.district_review_due)
        validate_office_parameters(rnd.program, rnd.office_parameters, rnd.notice_reference)
        rnd.save()
        record("round.update", rnd, actor=user, summary=f"修改申报批次 {rnd.title}", before=before,
               after=snapshot(rnd, ROUND_FIELDS))
    return rnd


def _transition(user: Any, rnd: Round, allowed_from: tuple[str, ...], to: str, action: str, label: str) -> Round:
    if not can_manage(user, rnd.program):
        raise RoundError("只有该项目主管部门的工作人员可以操作申报批次")
    with transaction.atomic():
        rnd = Round.objects.select_for_update().get(pk=rnd.pk)
        if rnd.status not in allowed_from:
            raise RoundError(f"批次当前状态为“{rnd.get_status_display()}”，不能{label}")
        before = {"status": rnd.status}
        rnd.status = to
        rnd.save(update_fields=["status", "updated_at"])
        record(action, rnd, actor=user, summary=f"{label}申报批次 {rnd.title}", before=before,
               after={"status": to})
    return rnd


def open_round(user: Any, rnd: Round) -> Round:
    return open_for_applications(rnd, actor=user)


def close_round(user: Any, rnd: Round) -> Round:
    return close_for_applications(rnd, actor=user)


OFFICES = ("office", "park_office")


@transition("rounds.open", title=gettext_lazy("开放申报"), record="rounds.Round", sources=(RoundStatus.DRAFT, RoundStatus.CLOSED),
            target=RoundStatus.OPEN, roles=OFFICES, audit=False, guard="项目主管部门（rounds.can_manage）",
            citation="各项目申报通知（主管部门年度通知）")
def open_for_applications(rnd: Round, *, actor: Any) -> Round:
    return _transition(actor, rnd, (RoundStatus.DRAFT, RoundStatus.CLOSED), RoundStatus.OPEN, "round.open", "开放")


@transition("rounds.close", title=gettext_lazy("截止申报"), record="rounds.Round", sources=(RoundStatus.OPEN,),
            target=RoundStatus.CLOSED, roles=OFFICES, audit=False, guard="项目主管部门（rounds.can_manage）",
            citation="各项目申报通知（主管部门年度通知）")
def close_for_applications(rnd: Round, *, actor: Any) -> Round:
    return _transition(actor, rnd, (RoundStatus.OPEN,), RoundStatus.CLOSED, "round.close", "截止")
