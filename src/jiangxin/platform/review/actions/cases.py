"""Transitions of one review case through its chain: opening (or resuming after a return), withdrawal,
advancing when the stage's condition holds, return for revision, rejection and disqualification.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiangxin.platform.applications.models import Application
from jiangxin.platform.applications.models import Status as AppStatus
from jiangxin.platform.core.transitions import SYSTEM, transition
from jiangxin.platform.review.actions._common import (
    _case_url,
    _close,
    _locked,
    _move,
    _next,
    _notify_next,
    _require_actor,
    _set_app_status,
    _step,
)
from jiangxin.platform.review.base import APPLICANTS, OFFICE_ROLES, REVIEW_ROLES, ReviewError
from jiangxin.platform.review.models import Case, CaseState
from jiangxin.platform.review.selectors import readiness
from jiangxin.policy.errors import CalendarYearUnknownError
from jiangxin.policy.workflow import load_workflow, return_deadline


@transition("review.open", title=gettext_lazy("开启或恢复评审案卷"), record="review.Case", field="state", sources=("*",), target="active",
            roles=(*APPLICANTS, SYSTEM), guard="applications/eligibility（提交时的资格审查）",
            citation="各项目申报条款（workflow.yaml 申报环节）")
def open_case(application: Application, *, actor: Any = None) -> Case:
    """On submission: open the case at the chain's first staff stage, or resume a returned case where it was
    returned from. Idempotent for an already-open case."""
    wf = load_workflow(application.round.program.key)
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(application=application).first()
        actor = actor or application.applicant_user
        if case is not None:
            if case.state != CaseState.RETURNED:
                return case
            case.state = CaseState.ACTIVE
            stage_from = case.stage
            case.stage = case.returned_from or case.stage
            case.returned_until = None
            case.returned_from = ""
            case.stage_entered_at = timezone.now()
            case.save()
            _step(case, action="resubmit", actor=actor, stage_from=stage_from, stage_to=case.stage,
                  data={"facts": application.facts})
            _notify_next(case, wf.stage(case.stage))
            return case
        track = str((application.facts or {}).get("track") or "")
        entry = wf.entry_for(track or None)
        case = Case.objects.create(application=application, round=application.round, program=wf.program,
                                   track=track, stage=entry.key)
        for s in wf.application_stages:
            _step(case, action="submitted", actor=actor, stage_from=s.key, stage_to=s.key,
                  citations=[s.citation.label], outcome=application.eligibility,
                  data={"note": s.note} if s.note else {})
        _step(case, action="open", actor=actor, stage_from="", stage_to=entry.key,
              citations=[entry.citation.label], outcome=application.eligibility)
        _notify_next(case, entry)
    return case


@transition("review.withdrawn", title=gettext_lazy("申报撤回，案卷关闭"), record="review.Case", field="state", sources=("active", "returned"),
            target="withdrawn", roles=(*APPLICANTS, SYSTEM), citation="申报人撤回申报")
def close_withdrawn(application: Application, *, actor: Any = None) -> Case | None:
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(application=application).first()
        if case is None or case.state not in (CaseState.ACTIVE, CaseState.RETURNED):
            return case
        _step(case, action="withdrawn", actor=actor or application.applicant_user, stage_to=case.stage)
        case.state = CaseState.WITHDRAWN
        case.save()
    return case


@transition("review.advance", title=gettext_lazy("进入下一环节"), record="review.Case", field="state", sources=("active",), target="",
            roles=REVIEW_ROLES, guard="policy.workflow：本环节条件（readiness）",
            citation="各项目 workflow.yaml 所列本环节条款")
def advance(case: Case, *, actor: Any, note: str = "", outcome: dict[str, Any] | None = None) -> Case:
    """Move the case to its next stage when the current stage's condition holds."""
    with transaction.atomic():
        case = _locked(case)
        stage = _require_actor(case, actor)
        if not stage.allows("advance"):
            raise ReviewError(f"“{stage.title}”环节不能直接通过。")
        if stage.kind in ("ranking", "decision", "approval", "naming") or (
                stage.kind == "confirmation" and stage.computation):
            raise ReviewError(f"“{stage.title}”须在批次页面统一办理。")
        missing = readiness(case)
        if missing:
            raise ReviewError(_("尚不能进入下一环节：%(missing)s。") % {"missing": "；".join(missing)})
        return _move(case, _next(case), action="advance", actor=actor, reasons=note, outcome=outcome)


@transition("review.return", title=gettext_lazy("退回修改"), record="review.Case", field="state", sources=("active",), target="returned",
            roles=REVIEW_ROLES, guard="policy.workflow.return_deadline（工作日）",
            citation="本环节条款；I-WF-01")
def return_for_revision(case: Case, *, actor: Any, reasons: str, deadline: dt.date | None = None,
                        today: dt.date | None = None) -> Case:
    """Return to the applicant with reasons and a deadline (computed on working days unless entered)."""
    if not reasons.strip():
        raise ReviewError("请填写退回修改的理由。")
    today = today or timezone.localdate()
    with transaction.atomic():
        case = _locked(case)
        stage = _require_actor(case, actor)
        if not stage.allows("return"):
            raise ReviewError(f"“{stage.title}”环节不能退回修改。")
        wf = load_workflow(case.program)
        try:
            computed = return_deadline(today, wf.return_working_days)
        except CalendarYearUnknownError:
            if deadline is None:
                raise  # never guessed: the page names the missing calendar year
            computed = None  # the office entered the deadline itself; the calendar is not needed
        due = deadline if deadline is not None else computed.value  # type: ignore[union-attr]
        if due <= today:
            raise ReviewError("修改截止日期须晚于今天。")
        outcome = computed.to_dict() if computed is not None else None
        _step(case, action="return", actor=actor, stage_to=case.stage, reasons=reasons,
              citations=[stage.citation.label], outcome=outcome,
              data={"deadline": due.isoformat(), "entered": deadline is not None})
        case.state = CaseState.RETURNED
        case.returned_until = due
        case.returned_from = case.stage
        case.save()
        _set_app_status(case.application, AppStatus.RETURNED, f"{reasons}（请于{due:%Y年%m月%d日}前修改后重新提交）")
        from jiangxin.platform.notifications.services import notify

        notify([case.application.applicant_user], title=f"申报被退回修改：{case.application.title}",
               body=f"理由：{reasons}\n修改截止：{due:%Y年%m月%d日}", url=_case_url(case), kind="action")
    return case


@transition("review.reject", title=gettext_lazy("不予通过"), record="review.Case", field="state", sources=("active",), target="rejected",
            roles=REVIEW_ROLES, guard="本环节计算的未满足条件（每条理由注明条款）", citation="本环节条款")
def reject(case: Case, *, actor: Any, reasons: Sequence[tuple[str, str]], note: str = "",
           outcome: dict[str, Any] | None = None) -> Case:
    """Reject with reasons, each citing an article: [(reason, citation label), …]."""
    reasons = [(r.strip(), c.strip()) for r, c in reasons if r.strip()]
    if not reasons:
        raise ReviewError("请至少列明一条不予通过的理由。")
    if any(not c for _, c in reasons):
        raise ReviewError("每条理由须注明依据条款。")
    with transaction.atomic():
        case = _locked(case)
        stage = _require_actor(case, actor)
        if not stage.allows("reject"):
            raise ReviewError(f"“{stage.title}”环节不能作出不予通过决定。")
        _close(case, CaseState.REJECTED, action="reject", actor=actor, reasons=reasons, note=note, outcome=outcome)
    return case


@transition("review.disqualify", title=gettext_lazy("取消资格"), record="review.Case", field="state", sources=("*",), target="disqualified",
            roles=OFFICE_ROLES, guard="publicity：异议经核实属实", citation="各项目公示条款")
def disqualify(application: Application, *, reason: str, citation: str, actor: Any) -> Case:
    """Disqualify (e.g. an objection verified as true during publicity)."""
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(application=application).first()
        if case is None:
            case = open_case(application, actor=actor)
            case = Case.objects.select_for_update().get(pk=case.pk)
        if case.state in (CaseState.DISQUALIFIED,):
            return case
        _close(case, CaseState.DISQUALIFIED, action="disqualify", actor=actor, reasons=[(reason, citation)])
    return case
