"""A training unit's plan for the year (江苏卓越技师办法 第九条, 第十二条, 第十五条, 第十七条): its sessions, the
``training_plan_check``, submission and the city lead's decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.cultivation import guards
from jiangxin.platform.cultivation.access import CultivationError, city_of, is_city_lead
from jiangxin.platform.cultivation.common_setup import (
    _leads_of,
    _notify,
    _open,
    _require_unit,
    _run,
    _unit_users,
    citations,
    failed_steps,
)
from jiangxin.platform.cultivation.models import CultivationYear, PlanSession, PlanStatus, TrainingPlan
from jiangxin.platform.cultivation.selectors.setup import plan_facts
from jiangxin.platform.cultivation.transitions import action


def recheck_plan(plan: TrainingPlan) -> TrainingPlan:
    facts = plan_facts(plan)
    plan.check_outcome = _run("training_plan_check", facts) if facts else None
    plan.save(update_fields=["check_outcome", "updated_at"])
    return plan


def _editable(actor: Any, plan: TrainingPlan) -> None:
    _require_unit(actor, plan.training_unit)
    _open(plan.year)
    if plan.status == PlanStatus.APPROVED:
        raise CultivationError(gettext("培训计划已审核通过，已锁定，不能修改。"), citations=[guards.cite("第十二条")])
    if plan.status == PlanStatus.SUBMITTED:
        raise CultivationError(gettext("培训计划正在审核中，不能修改。"), citations=[guards.cite("第十二条")])


@action("cultivation.save_plan")
def save_plan(actor: Any, year: CultivationYear, *, hours_required: Decimal, credits_required: Decimal) -> TrainingPlan:
    """Create or update the unit's plan for the year (required hours and credits)."""
    unit = _require_unit(actor)
    _open(year)
    if hours_required <= 0 or credits_required <= 0:
        raise CultivationError(gettext("要求学时和学分须大于零。"))
    plan = TrainingPlan.objects.filter(year=year, training_unit=unit).first()
    if plan is not None:
        _editable(actor, plan)
    with transaction.atomic():
        before = snapshot(plan, exclude=("check_outcome",)) if plan else None
        if plan is None:
            plan = TrainingPlan(year=year, training_unit=unit)
        plan.hours_required, plan.credits_required = hours_required, credits_required
        plan.save()
        recheck_plan(plan)
        record("cultivation.plan_save", plan, actor=actor, summary=f"{unit.name} {year} 培训计划", before=before,
               after=snapshot(plan, exclude=("check_outcome",)))
    return plan


SESSION_FIELDS = ("key", "title", "kind", "role", "delivery", "start", "end", "hours", "credits", "major")


@action("cultivation.save_session")
def save_session(actor: Any, plan: TrainingPlan, values: Mapping[str, Any],
                 session: PlanSession | None = None) -> PlanSession:
    """Add or change a session; the plan check runs again."""
    _editable(actor, plan)
    if session is not None and session.plan_id != plan.pk:
        raise CultivationError(gettext("该课程不属于本计划。"))
    if values["end"] < values["start"]:
        raise CultivationError(gettext("结束日期不能早于开始日期。"))
    if values["hours"] <= 0:
        raise CultivationError(gettext("学时须大于零。"))
    major = values.get("major")
    if major is not None and major.training_unit_id != plan.training_unit_id:
        raise CultivationError(gettext("适用专业须为本单位的专业。"))
    if PlanSession.objects.filter(plan=plan, key=values["key"]).exclude(pk=getattr(session, "pk", None)).exists():  # type: ignore[misc]  # pk=None is valid: excludes nothing
        raise CultivationError(f"编号 {values['key']} 已被使用。")
    with transaction.atomic():
        before = snapshot(session) if session else None
        session = session or PlanSession(plan=plan)
        for name in SESSION_FIELDS:
            if name in values:
                setattr(session, name, values[name])
        session.save()
        if plan.status == PlanStatus.RETURNED:
            plan.status = PlanStatus.DRAFT
            plan.save(update_fields=["status"])
        recheck_plan(plan)
        record("cultivation.plan_session", session, actor=actor, summary=f"培训计划课程：{session}",
               before=before, after=snapshot(session))
    return session


@action("cultivation.delete_session")
def delete_session(actor: Any, session: PlanSession) -> None:
    plan = session.plan
    _editable(actor, plan)
    if session.attendance.exists():
        raise CultivationError(gettext("该课程已有考勤记录，不能删除。"))
    with transaction.atomic():
        before = snapshot(session)
        session.delete()
        recheck_plan(plan)
        record("cultivation.plan_session_delete", plan, actor=actor, summary=f"删除培训计划课程 {before.get('key')}",
               before=before)


@action("cultivation.submit_plan")
def submit_plan(actor: Any, plan: TrainingPlan) -> TrainingPlan:
    """The unit submits its plan to the city lead; a plan with hard violations (第九条, 第十七条) is refused."""
    _editable(actor, plan)
    recheck_plan(plan)
    if plan.check_outcome is None:
        raise CultivationError(gettext("培训计划尚无课程安排。"))
    bad = failed_steps(plan.check_outcome)
    if bad:
        raise CultivationError(f"培训计划不符合规定，不能提交（{citations(bad)}），请按提示修改。")
    city = city_of(plan.training_unit)
    leads = _leads_of(plan.year, city)
    if not leads:
        raise CultivationError(gettext("本市尚未指定市级负责人，请联系省级主管部门。"))
    with transaction.atomic():
        plan.status = PlanStatus.SUBMITTED
        plan.decision_note = ""
        plan.save(update_fields=["status", "decision_note", "updated_at"])
        record("cultivation.plan_submit", plan, actor=actor, summary=f"{plan.training_unit.name} 提交培训计划")
    _notify(leads, f"{plan.training_unit.name} 提交了{plan.year}培训计划，请审核",
            url=reverse("cultivation:plan", args=[plan.pk]))
    return plan


@action("cultivation.decide_plan")
def decide_plan(actor: Any, plan: TrainingPlan, *, approve: bool, note: str = "") -> TrainingPlan:
    """The city lead of the unit's city approves (the plan is then locked) or returns it with a note."""
    city = city_of(plan.training_unit)
    if city is None or not is_city_lead(actor, plan.year, city):
        raise CultivationError(gettext("只有承训单位所在市的市级负责人可以审核培训计划。"))
    _open(plan.year)
    if plan.status != PlanStatus.SUBMITTED:
        raise CultivationError(gettext("该培训计划不在待审核状态。"))
    note = (note or "").strip()
    if not approve and not note:
        raise CultivationError(gettext("退回修改时请填写审核意见。"))
    with transaction.atomic():
        plan.status = PlanStatus.APPROVED if approve else PlanStatus.RETURNED
        plan.decided_by, plan.decided_at, plan.decision_note = actor, timezone.now(), note
        plan.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
        record("cultivation.plan_approve" if approve else "cultivation.plan_return", plan, actor=actor,
               summary=f"{plan.training_unit.name} 培训计划{'审核通过' if approve else '退回修改'}",
               after={"note": note})
    _notify(_unit_users(plan.training_unit),
            f"{plan.year}培训计划{'已审核通过' if approve else '被退回修改'}", note,
            reverse("cultivation:plan", args=[plan.pk]))
    return plan
