"""The internals every review transition uses: the actor checks (``_require_actor``, ``_require_round_actor``),
the row lock, the audited step (``_step``), moving a case on (``_move``) or closing it (``_close``) with the
application's status and notifications, and a stage's stored data (``_put``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from jiangxin.platform.applications.models import Application
from jiangxin.platform.applications.models import Status as AppStatus
from jiangxin.platform.audit.service import record
from jiangxin.platform.review.base import ReviewError, _current, _stage_data
from jiangxin.platform.review.models import Case, CaseState, Step
from jiangxin.platform.review.selectors import visible_cases
from jiangxin.platform.rounds.models import Round
from jiangxin.policy.workflow import Stage, Workflow, load_workflow


def _require_actor(case: Case, actor: Any, stage: Stage | None = None) -> Stage:
    stage = stage or _current(case)
    if str(getattr(actor, "role", "")) not in stage.roles:
        raise PermissionDenied(f"“{stage.title}”环节由{'、'.join(stage.roles)}办理。")
    if not visible_cases(actor).filter(pk=case.pk).exists():
        raise PermissionDenied("该申报不在您的管辖范围内。")
    if case.state != CaseState.ACTIVE:
        raise ReviewError(f"案卷当前状态为“{case.get_state_display()}”，不能办理。")
    return stage


def _require_round_actor(rnd: Round, actor: Any, stage: Stage) -> None:
    from jiangxin.platform.rounds.services import can_manage

    if str(getattr(actor, "role", "")) not in stage.roles:
        raise PermissionDenied(f"“{stage.title}”环节由{'、'.join(stage.roles)}办理。")
    if stage.roles != ("district",) and not can_manage(actor, rnd.program):
        raise PermissionDenied("只有主管部门可以办理本批次的该环节。")


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("application", "round", "round__program").get(pk=case.pk)


def _citations(stage: Stage, outcome: Mapping[str, Any] | None = None) -> list[str]:
    labels = [stage.citation.label]
    for f in (outcome or {}).get("failures", []):
        label = f.get("citation", {}).get("label", "")
        if label and label not in labels:
            labels.append(label)
    return labels


def _step(case: Case, *, action: str, actor: Any, stage_from: str = "", stage_to: str = "", reasons: str = "",
          citations: Sequence[str] = (), outcome: dict[str, Any] | None = None,
          data: dict[str, Any] | None = None) -> Step:
    step = Step.objects.create(case=case, stage_from=stage_from or case.stage, stage_to=stage_to, action=action,
                               actor=actor if getattr(actor, "pk", None) else None, reasons=reasons,
                               citations=list(citations), outcome=outcome, data=data or {})
    record(f"review.{action}", case, actor=actor,
           summary=f"{case.application.title}：{action} {step.stage_from}→{stage_to or step.stage_from}"[:300],
           before={"stage": step.stage_from, "state": case.state},
           after={"stage": stage_to or case.stage, "action": action, "reasons": reasons[:200],
                  "citations": list(citations)})
    return step


def _set_app_status(app: Application, status: str, note: str = "") -> None:
    if app.status != status or note:
        app.status = status
        app.status_note = note[:300]
        app.save(update_fields=["status", "status_note", "updated_at"])


def _case_url(case: Case) -> str:
    return f"/review/cases/{case.pk}/"


def _notify_next(case: Case, stage: Stage | None) -> None:
    from jiangxin.platform.notifications.services import notify, notify_roles

    app = case.application
    if stage is None:
        wf = load_workflow(case.program)
        notify([app.applicant_user], title=f"{app.title}：{wf.final_title}", url=_case_url(case), kind="result")
        return
    staff = [r for r in stage.roles if r not in ("unit", "individual", "trainee")]
    if staff and app.applicant_org is not None:
        notify_roles(app.applicant_org, staff, title=f"待办：{stage.title} — {app.title}", url=_case_url(case),
                     kind="action")


def _move(case: Case, to: Stage | None, *, action: str, actor: Any, reasons: str = "",
          outcome: dict[str, Any] | None = None, data: dict[str, Any] | None = None) -> Case:
    """Move to ``to`` (None = the final state) and notify whoever acts next."""
    wf = load_workflow(case.program)
    current = wf.stage(case.stage)
    stage_to = to.key if to is not None else wf.final_key
    _step(case, action=action, actor=actor, stage_to=stage_to, reasons=reasons,
          citations=_citations(current, outcome), outcome=outcome, data=data)
    case.stage = stage_to
    case.stage_entered_at = timezone.now()
    if to is None:
        case.state = CaseState.DONE
    case.save()
    if current.kind == "pre_review" and case.application.status == AppStatus.SUBMITTED:
        _set_app_status(case.application, AppStatus.RECOMMENDED)
    _notify_next(case, to)
    return case


def _next(case: Case) -> Stage | None:
    return load_workflow(case.program).next_stage(case.stage, case.track or None)


def _put(case: Case, key: str, **values: Any) -> None:
    details = dict(case.details)
    details[key] = {**_stage_data(case, key), **values}
    case.details = details


def _close(case: Case, state: str, *, action: str, actor: Any, reasons: Sequence[tuple[str, str]], note: str = "",
           outcome: dict[str, Any] | None = None) -> None:
    text = "；".join(f"{r}（{c}）" for r, c in reasons)
    _step(case, action=action, actor=actor, stage_to=case.stage, reasons=(text + (f"。{note}" if note else "")),
          citations=[c for _, c in reasons], outcome=outcome)
    case.state = state
    case.save()
    _set_app_status(case.application, AppStatus.REJECTED, text)
    from jiangxin.platform.notifications.services import notify

    label = CaseState(state).label
    notify([case.application.applicant_user], title=f"{case.application.title}：{label}", body=text,
           url=_case_url(case), kind="result")


def _vote_facts(case: Case, members_total: int, counts: Mapping[str, int], decision: str) -> dict[str, Any]:
    wf = load_workflow(case.program)
    done = {s.kind: _passed(case, s.key) for s in wf.stages}
    return {"material_review_passed": done.get("pre_review", False), "site_inspection_done": done.get("site_visit",
            False), "collective_review_done": done.get("panel_scoring", False), "members_total": members_total,
            "members_present": members_total - counts.get("absent", 0), "votes_for": counts.get("for", 0),
            "votes_against": counts.get("against", 0), "votes_abstain": counts.get("abstain", 0),
            "work_group_decision": decision}


def _passed(case: Case, stage_key: str) -> bool:
    return case.steps.filter(stage_from=stage_key, action="advance").exists()


def _stage_of(rnd: Round, kind: str, key: str | None = None) -> tuple[Workflow, Stage]:
    wf = load_workflow(rnd.program.key)
    stage = wf.stage(key) if key else wf.first_of_kind(kind)
    if stage is None:
        raise ReviewError("该项目没有此环节。")
    return wf, stage
