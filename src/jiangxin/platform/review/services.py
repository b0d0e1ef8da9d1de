"""Every transition of a review case: role-checked, atomic, audited, the computation's Outcome stored.

A case walks its program's chain (``jiangxin.policy.workflow``). Per-case services record a stage's data
(confirmed facts, site-visit findings, panel result, votes, a letter) and move the case on when the stage's
condition holds; round-level services (ranking, party-group decision, candidate list, approval, province
confirmation, publicity) decide for every case of a round at that stage at once. Policy is never computed
here: each decision is a registry computation (or ``policy.workflow``) whose ``to_dict()`` is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiangxin.platform.accounts.roles import APPLICANT_ROLES
from jiangxin.platform.applications.models import Application
from jiangxin.platform.applications.models import Status as AppStatus
from jiangxin.platform.audit.service import record
from jiangxin.platform.core.transitions import SYSTEM, TransitionRefused, transition
from jiangxin.platform.orgs.scope import scope
from jiangxin.platform.review.models import Attachment, Case, CaseState, Decision, Step
from jiangxin.platform.rounds.models import Round
from jiangxin.policy.errors import CalendarYearUnknownError, FactsError, PolicyError
from jiangxin.policy.workflow import (
    RankingSpec,
    Stage,
    Workflow,
    load_workflow,
    panel_shortlist,
    return_deadline,
    round_at_stage,
)

OK_STATUSES = ("eligible", "ok", "passed")


class ReviewError(TransitionRefused):
    """A refused step with a Chinese message for the user; ``outcome`` is the decision that refused it (its
    citations are shown with the message)."""

    def __init__(self, message: str, outcome: dict[str, Any] | None = None, citations: Sequence[str] = ()):
        super().__init__(message, citations=[*citations, *_outcome_citations(outcome)], outcome=outcome)
        self.outcome = outcome


def _outcome_citations(outcome: Mapping[str, Any] | None) -> list[str]:
    labels: list[str] = []
    for f in (outcome or {}).get("failures", []) or []:
        label = (f.get("citation") or {}).get("label", "") if isinstance(f, Mapping) else ""
        if label and label not in labels:
            labels.append(label)
    return labels


#: staff roles acting on review stages (the stage of each program's workflow.yaml narrows them further)
REVIEW_ROLES = ("district", "office", "park_office")
OFFICE_ROLES = ("office", "park_office")
APPLICANTS = ("unit", "individual", "training_unit", "trainee")
#: a case still in the round: being handled, or returned to the applicant and able to come back
LIVE = (CaseState.ACTIVE, CaseState.RETURNED)


# ---- reading ------------------------------------------------------------------------------------------

def visible_cases(user: Any) -> QuerySet[Case]:
    """Cases in the user's data scope: staff their subtree's, applicants their own, experts none."""
    qs = Case.objects.select_related("application", "application__applicant_org", "application__applicant_person",
                                     "round", "round__program")
    return scope(qs, user, org_field="application__applicant_org", owner_field="application__applicant_user")


def case_for(application: Application) -> Case | None:
    return Case.objects.filter(application=application).first()


def acting_stages(user: Any, program: str) -> list[Stage]:
    role = str(getattr(user, "role", ""))
    return [s for s in load_workflow(program).stages if role in s.roles and s.kind != "application"]


def acting_cases(user: Any, stage_key: str | None = None) -> QuerySet[Case]:
    """Open cases waiting at a stage where the user's role acts (within the data scope)."""
    role = str(getattr(user, "role", ""))
    if role in APPLICANT_ROLES:
        return Case.objects.none()
    condition = Q()
    from jiangxin.policy.workflow import workflow_programs

    for program in workflow_programs():
        keys = [s.key for s in acting_stages(user, program)]
        if stage_key is not None:
            keys = [k for k in keys if k == stage_key]
        if keys:
            condition |= Q(program=program, stage__in=keys)
    if not condition:
        return Case.objects.none()
    return visible_cases(user).filter(condition, state=CaseState.ACTIVE)


def may_act(user: Any, case: Case, stage: Stage | None = None) -> bool:
    stage = stage or _current(case)
    return (case.state == CaseState.ACTIVE and str(getattr(user, "role", "")) in stage.roles
            and visible_cases(user).filter(pk=case.pk).exists())


# ---- internals ----------------------------------------------------------------------------------------

def _current(case: Case) -> Stage:
    wf = load_workflow(case.program)
    if case.stage == wf.final_key:
        raise ReviewError("该案卷已办结。")
    return wf.stage(case.stage)


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


def _run(rnd: Round, name: str, facts: Mapping[str, Any], as_of: dt.date | None = None) -> dict[str, Any]:
    """Run a registry computation of the round's program with the round's office parameters."""
    from jiangxin.policy.registry import get_computation

    comp = get_computation(rnd.program.key, name)
    raw = {"as_of": (as_of or timezone.localdate()).isoformat(), **facts}
    try:
        outcome = comp.run(raw, rnd.office_parameters or None, rnd.notice_reference)
    except FactsError as exc:
        raise ReviewError("数据不完整或有误：" + "；".join(f"{f}：{e}" for f, e in exc.problems)) from None
    except CalendarYearUnknownError:
        raise  # the page says plainly which calendar year is missing (workcalendar middleware)
    except PolicyError as exc:
        raise ReviewError(f"无法计算：{exc}") from None
    data = outcome.to_dict()
    data["computation"] = f"{comp.program.key}/{comp.name}"
    data["citation"] = comp.citation.to_dict()
    return data


def _ok(outcome: Mapping[str, Any]) -> bool:
    return outcome.get("status") in OK_STATUSES and not outcome.get("failures")


def _stage_data(case: Case, key: str) -> dict[str, Any]:
    data = case.details.get(key)
    return dict(data) if isinstance(data, dict) else {}


def _put(case: Case, key: str, **values: Any) -> None:
    details = dict(case.details)
    details[key] = {**_stage_data(case, key), **values}
    case.details = details


# ---- opening, resubmission, withdrawal ------------------------------------------------------------------

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


# ---- generic transitions --------------------------------------------------------------------------------

def record_stage_result(case: Case, *, action: str, actor: Any, outcome: dict[str, Any] | None,
                        note: str = "") -> Step:
    """Store a stage result without moving the case (used by panels and publicity)."""
    with transaction.atomic():
        case = _locked(case)
        wf = load_workflow(case.program)
        citations = _citations(wf.stage(case.stage), outcome) if case.stage != wf.final_key else []
        return _step(case, action=action, actor=actor, stage_to=case.stage, reasons=note, citations=citations,
                     outcome=outcome)


def readiness(case: Case) -> list[str]:
    """What still blocks leaving the current stage (empty when the case may advance), in the reader's language."""
    from jiangxin.platform.core.templatetags.labels import stage_title

    wf = load_workflow(case.program)
    if case.stage == wf.final_key:
        return [_("已办结")]
    stage = wf.stage(case.stage)
    data = _stage_data(case, stage.key)
    missing: list[str] = []
    if (stage.computation and stage.kind in ("pre_review", "recognition")) or (
            stage.kind == "panel_scoring" and stage.computation == "eligibility"):
        if not data.get("eligibility_ok"):
            missing.append(_("须核实申报事实并通过条件审查"))
    if "letter" in stage.requires and not data.get("letter"):
        missing.append(_("须上传推荐函"))
    if stage.kind == "site_visit" and not data.get("visit_ok"):
        missing.append(_("须记录实地考察情况且结论为通过"))
    missing.extend(_("须由评审人（单位）确认条件“%(condition)s”（%(cite)s）") % {
        "condition": row["label"], "cite": row["citation"]} for row in confirmation_rows(case, stage)
        if not row["confirmed"])
    for part in stage.parts:
        pdata = _stage_data(case, part.key)
        if part.kind == "site_visit" and not pdata.get("visit_ok"):
            missing.append(_("须完成%(stage)s") % {"stage": stage_title(part, case.program)})
        if part.kind == "panel_scoring" and not pdata.get("shortlisted"):
            missing.append(_("须完成%(stage)s且达到入围标准") % {"stage": stage_title(part, case.program)})
    if stage.kind == "panel_scoring" and not stage.parts and not data.get("scored"):
        missing.append(_("须记录评审得分"))
    if stage.kind == "vote" and not data.get("candidate"):
        missing.append(_("须记录投票表决且获通过"))
    if stage.kind == "publicity":
        from jiangxin.platform.publicity.services import clearance

        c = clearance(case.application)
        missing.extend(c.reasons)
    return missing


# ---- conditions the reviewer confirms (workflow.yaml ``confirmations``) ----------------------------------

def _claimed_facts(case: Case, stage: Stage) -> Mapping[str, Any]:
    confirmed = _stage_data(case, stage.key).get("confirmed_facts")
    return confirmed if isinstance(confirmed, dict) else (case.application.facts or {})


def confirmation_rows(case: Case, stage: Stage | None = None) -> list[dict[str, Any]]:
    """Each condition the stage has the reviewer confirm, for the conditions the case's facts claim: its key,
    label, article and the confirmation recorded (who, which unit, when) or None."""
    from django.utils.translation import get_language

    from jiangxin.policy.labels import enum_label

    if stage is None:
        wf = load_workflow(case.program)
        if case.stage == wf.final_key:
            return []
        stage = wf.stage(case.stage)
    recorded = _stage_data(case, stage.key).get("confirmations") or {}
    rows = []
    for c in stage.confirmations:
        for value in c.conditions(_claimed_facts(case, stage)):
            key = f"{c.facts}:{value}"
            rows.append({"key": key, "value": value, "confirmation": c, "citation": c.citation.label,
                         "label": enum_label(case.program, c.item, value, get_language() or "zh-hans"),
                         "confirmed": recorded.get(key)})
    return rows


def with_confirmations(case: Case, stage: Stage, facts: Mapping[str, Any]) -> dict[str, Any]:
    """The facts with each confirmed row's ``field`` filled from the reviewer's confirmation (their unit)."""
    out = dict(facts)
    recorded = _stage_data(case, stage.key).get("confirmations") or {}
    for c in stage.confirmations:
        rows = out.get(c.facts)
        if not isinstance(rows, list):
            continue
        filled = []
        for row in rows:
            done = recorded.get(f"{c.facts}:{row.get(c.item)}") if isinstance(row, Mapping) else None
            filled.append({**row, c.field: done["by"]} if done else row)
        out[c.facts] = filled
    return out


@transition("review.confirm_conditions", title=gettext_lazy("评审确认申报条件"), record="review.Case", field="state",
            sources=("active",), target="", roles=REVIEW_ROLES,
            guard="policy.workflow：本环节须由评审人确认的条件（confirmations）", citation="各项目 workflow.yaml 所列条款")
def confirm_conditions(case: Case, *, actor: Any, conditions: Sequence[str], note: str = "") -> list[str]:
    """The acting reviewer records that they (their unit) confirmed the listed conditions of the case."""
    with transaction.atomic():
        case = _locked(case)
        stage = _require_actor(case, actor)
        rows = {row["key"]: row for row in confirmation_rows(case, stage)}
        chosen = [k for k in dict.fromkeys(conditions) if k]
        unknown = [k for k in chosen if k not in rows]
        if not rows:
            raise ReviewError(_("“%(stage)s”环节没有须由评审人确认的条件。") % {"stage": stage.title})
        if not chosen or unknown:
            raise ReviewError(_("请勾选本案卷申报的、须由您确认的条件。"))
        org = getattr(actor, "organisation", None)
        name = getattr(actor, "display_name", "") or getattr(actor, "username", "")
        by = f"{org.name}（{name}）" if org is not None else str(name)
        recorded = dict(_stage_data(case, stage.key).get("confirmations") or {})
        at = timezone.now().isoformat()
        for key in chosen:
            recorded[key] = {"by": by, "user": actor.pk, "unit": getattr(org, "name", ""), "at": at}
        _put(case, stage.key, confirmations=recorded)
        case.save()
        _step(case, action="confirm_conditions", actor=actor, stage_to=case.stage, reasons=note,
              citations=list(dict.fromkeys(rows[k]["citation"] for k in chosen)),
              data={"conditions": chosen, "by": by})
    return chosen


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


# ---- per-case stage data --------------------------------------------------------------------------------

@transition("review.eligibility_review", title=gettext_lazy("核实事实并条件审查"), record="review.Case", field="state", sources=("active",),
            target="", roles=REVIEW_ROLES, guard="<program>/<本环节 computation>（如 eligibility）",
            citation="本环节条款")
def review_eligibility(case: Case, *, actor: Any, facts: Mapping[str, Any], advance_if_ok: bool = True,
                       note: str = "") -> dict[str, Any]:
    """Re-run the stage's eligibility computation on the facts the reviewer confirmed; store the outcome.

    Moves the case on when it passes and nothing else is missing (``advance_if_ok``)."""
    with transaction.atomic():
        case = _locked(case)
        stage = _require_actor(case, actor)
        if not stage.computation:
            raise ReviewError(f"“{stage.title}”环节没有条件审查。")
        outcome = _run(case.round, stage.computation, with_confirmations(case, stage, facts), as_of=case.round.closes)
        ok = _ok(outcome)
        _put(case, stage.key, eligibility_ok=ok, confirmed_facts=dict(facts))
        case.save()
        _step(case, action="eligibility_review", actor=actor, stage_to=case.stage, reasons=note,
              citations=_citations(stage, outcome), outcome=outcome, data={"confirmed_facts": dict(facts)})
        if ok and advance_if_ok and stage.allows("advance") and not readiness(case):
            _move(case, _next(case), action="advance", actor=actor, outcome=outcome)
    return outcome


def attach_letter(case: Case, *, actor: Any, uploaded: Any, kind: str = "recommendation_letter") -> Attachment:
    """File the recommendation letter (推荐函) at the current stage (checked like evidence files)."""
    from jiangxin.platform.applications.uploads import check_upload

    stage = _require_actor(case, actor)
    file_type, digest = check_upload(uploaded)
    att = Attachment(case=case, stage=stage.key, kind=kind, original_name=str(uploaded.name)[:255],
                     file_type=file_type, sha256=digest, uploaded_by=actor)
    stored = ""
    try:
        with transaction.atomic():
            case = _locked(case)
            att.file.save(uploaded.name, uploaded, save=False)
            stored = att.file.name
            att.save()
            _put(case, stage.key, letter=att.pk)
            case.save()
            _step(case, action="letter", actor=actor, stage_to=case.stage, citations=[stage.citation.label],
                  data={"attachment": att.pk, "sha256": digest, "name": att.original_name})
    except Exception:
        if stored:
            att.file.storage.delete(stored)
        raise
    return att


@transition("review.site_visit", title=gettext_lazy("记录实地考察"), record="review.Case", field="state", sources=("active",), target="",
            roles=REVIEW_ROLES, guard="policy.workflow：考察事项逐项记录", citation="本环节条款")
def record_site_visit(case: Case, *, actor: Any, visited_on: dt.date, findings: Mapping[str, str], passed: bool,
                      note: str = "") -> Case:
    """Record a site visit: findings against each area of the stage (academy 第十九条（二）1, Zhenjiang 现场考察)."""
    with transaction.atomic():
        case = _locked(case)
        wf = load_workflow(case.program)
        current = _require_actor(case, actor)
        stage = next((p for p in current.parts if p.kind == "site_visit"), current)
        if stage.kind != "site_visit":
            raise ReviewError(f"“{current.title}”环节没有实地考察。")
        missing = [a for a in stage.areas if not str(findings.get(a, "")).strip()]
        if missing:
            raise ReviewError("请逐项记录考察情况：" + "、".join(missing) + "。")
        clean = {a: str(findings[a]).strip()[:1000] for a in stage.areas}
        _put(case, stage.key, visit_ok=passed, visited_on=visited_on.isoformat(), findings=clean)
        case.save()
        _step(case, action="site_visit", actor=actor, stage_to=case.stage, reasons=note,
              citations=[stage.citation.label], data={"part": stage.key, "visited_on": visited_on.isoformat(),
                                                      "findings": clean, "passed": passed})
        if passed and current.allows("advance") and not readiness(case):
            _move(case, wf.next_stage(case.stage, case.track or None), action="advance", actor=actor)
    return case


@transition("review.panel_result", title=gettext_lazy("记录专家评审结果"), record="review.Case", field="state", sources=("active",), target="",
            roles=REVIEW_ROLES, guard="panels.panel_result；policy.workflow.panel_shortlist", citation="本环节条款")
def record_panel(case: Case, *, actor: Any, score: Decimal | None = None, note: str = "") -> dict[str, Any]:
    """Take the panel's aggregated result (panels.services.panel_result) for the current stage; where the
    stage has no panel (e.g. Jiangsu B from a scored list) an entered ``score`` with a note is recorded.

    The academy's on-site review is shortlisted on the total (80, included) and the veto (policy.workflow)."""
    from jiangxin.platform.panels.services import panel_result

    with transaction.atomic():
        case = _locked(case)
        current = _require_actor(case, actor)
        stage = next((p for p in current.parts if p.kind == "panel_scoring"), current)
        if stage.kind != "panel_scoring":
            raise ReviewError(f"“{current.title}”环节没有专家评审。")
        result = panel_result(case.application, stage_key=stage.key) or panel_result(case.application,
                                                                                    stage_key=current.key)
        if result is None and score is None:
            raise ReviewError("尚无专家评审结果。")
        if result is not None and not result.complete:
            raise ReviewError("专家评审尚未全部签字确认。", result.outcome)
        if result is not None:
            total, vetoed, panel_outcome = result.total, result.vetoed, result.outcome
            source = "panel"
        else:
            if not note.strip():
                raise ReviewError("录入评分时请注明评分来源（如评审会纪要）。")
            try:
                total = Decimal(str(score))
            except InvalidOperation:
                raise ReviewError("评分须为数字。") from None
            vetoed, panel_outcome, source = False, None, "entered"
        outcome: dict[str, Any] | None = panel_outcome
        shortlisted = True
        if stage.shortlist_mark:
            decided = panel_shortlist(stage, total, vetoed, case.round.parameter_set(), timezone.localdate())
            outcome = {**decided.to_dict(), "panel": panel_outcome, "total": str(total)}
            shortlisted = bool(decided.value)
        case.score = total
        _put(case, stage.key, scored=True, total=str(total), vetoed=vetoed, shortlisted=shortlisted, source=source)
        case.save()
        _step(case, action="panel_result", actor=actor, stage_to=case.stage, reasons=note,
              citations=_citations(stage, outcome), outcome=outcome,
              data={"part": stage.key, "total": str(total), "vetoed": vetoed, "source": source,
                    "shortlisted": shortlisted})
        if shortlisted and not readiness(case) and current.allows("advance"):
            _move(case, _next(case), action="advance", actor=actor, outcome=outcome)
    return outcome or {"value": str(total), "status": "ok", "failures": [], "trace": []}


@transition("review.vote", title=gettext_lazy("登记投票表决"), record="review.Case", field="state", sources=("active",), target="",
            roles=REVIEW_ROLES, guard="zhenjiang_park/admission_vote", citation="镇江园区办法 三（二）2")
def record_vote(case: Case, *, actor: Any, members_total: int, votes: Mapping[str, str], note: str = "") -> dict[
        str, Any]:
    """Record each member's vote (for / against / abstain / absent) and decide with ``admission_vote``."""
    allowed = {"for", "against", "abstain", "absent"}
    if set(votes.values()) - allowed:
        raise ReviewError("每位成员的表决须为同意、不同意、弃权或缺席。")
    if len(votes) != members_total:
        raise ReviewError(f"请为全部 {members_total} 名评审成员登记表决情况。")
    with transaction.atomic():
        case = _locked(case)
        stage = _require_actor(case, actor)
        if stage.kind != "vote":
            raise ReviewError(f"“{stage.title}”环节不是投票表决。")
        counts = {k: sum(1 for v in votes.values() if v == k) for k in allowed}
        facts = _vote_facts(case, members_total, counts, "pending")
        outcome = _run(case.round, stage.computation, facts)
        candidate = bool(outcome["value"].get("candidate"))
        _put(case, stage.key, candidate=candidate, votes=dict(votes), members_total=members_total, counts=counts)
        case.save()
        _step(case, action="vote", actor=actor, stage_to=case.stage, reasons=note,
              citations=_citations(stage, outcome), outcome=outcome, data={"votes": dict(votes), **counts})
        if candidate:
            _move(case, _next(case), action="advance", actor=actor, outcome=outcome)
        else:
            from jiangxin.policy.labels import rule_label

            reasons = [(rule_label(case.program, f.get("rule", "")), f["citation"]["label"])
                       for f in outcome["failures"]] or [
                ("表决未获通过", stage.citation.label)]
            _close(case, CaseState.NOT_SELECTED, action="not_selected", actor=actor, reasons=reasons,
                   outcome=outcome)
    return outcome


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


# ---- round-level decisions ------------------------------------------------------------------------------

def round_cases(rnd: Round, stage_key: str, actor: Any | None = None) -> list[Case]:
    qs = Case.objects.filter(round=rnd, stage=stage_key, state=CaseState.ACTIVE)
    if actor is not None:
        qs = qs.filter(pk__in=visible_cases(actor).values("pk"))
    return list(qs.select_related("application", "application__applicant_org", "application__applicant_person")
                .order_by("id"))


def ranking_spec(rnd: Round) -> RankingSpec:
    """How the program's ranking stage builds its facts (``ranking`` on the stage in workflow.yaml)."""
    stage = load_workflow(rnd.program.key).first_of_kind("ranking")
    if stage is None or stage.ranking is None:
        raise ReviewError("该项目没有排序环节。")
    return stage.ranking


def _candidate_rows(spec: RankingSpec, cases: Sequence[Case]) -> list[dict[str, Any]]:
    rows = []
    for c in cases:
        if c.score is None:
            raise ReviewError(f"“{c.application.title}”尚无评审得分。")
        row: dict[str, Any] = {"key": c.key, "score": str(c.score)}
        for name in spec.row_facts:  # e.g. 赣州: county-level craftsmen come first at equal conditions
            row[name] = bool((c.application.facts or {}).get(name, False))
        rows.append(row)
    return rows


def ranking_facts(rnd: Round, cases: Sequence[Case], decided: Sequence[str] | None = None) -> dict[str, Any]:
    spec = ranking_spec(rnd)
    facts: dict[str, Any] = {spec.year_fact: rnd.year, "candidates": _candidate_rows(spec, cases)}
    if spec.decision_fact:
        facts[spec.decision_fact] = list(decided) if decided is not None else None
    return facts


def compute_ranking(rnd: Round, stage_key: str = "ranking", actor: Any | None = None) -> dict[str, Any]:
    """The ranking of the cases waiting at ``stage_key`` (not stored; shown on the ranking page)."""
    cases = round_cases(rnd, stage_key, actor)
    if not cases:
        raise ReviewError("本环节没有待排序的申报。")
    return _run(rnd, "ranking", ranking_facts(rnd, cases))


def _stage_of(rnd: Round, kind: str, key: str | None = None) -> tuple[Workflow, Stage]:
    wf = load_workflow(rnd.program.key)
    stage = wf.stage(key) if key else wf.first_of_kind(kind)
    if stage is None:
        raise ReviewError("该项目没有此环节。")
    return wf, stage


def _by_key(cases: Iterable[Case]) -> dict[str, Case]:
    return {c.key: c for c in cases}


def require_whole_round(rnd: Round, stage: Stage, wf: Workflow | None = None) -> dict[str, Any]:
    """Refuse a round-level decision at ``stage`` while a live case of the round has not reached it (I-WF-05,
    ``policy.workflow.round_at_stage``); cases the office excluded are no longer live. Returns the outcome."""
    wf = wf or load_workflow(rnd.program.key)
    live = list(Case.objects.filter(round=rnd, state__in=LIVE).select_related("application")
                .order_by("id"))
    decided = round_at_stage(wf, stage.key, [(c.key, c.stage, c.track or None) for c in live])
    outcome = decided.to_dict()
    if not decided.value:
        behind = [c for c in live if c.key in set(outcome["failures"][0]["inputs"]["behind"])]
        names = "、".join(f"“{c.application.title}”（{c.stage_title}，{c.get_state_display()}）" for c in behind[:5])
        more = _("等") if len(behind) > 5 else ""
        raise ReviewError(_("本批次还有 %(n)d 项申报未到达“%(stage)s”环节：%(names)s%(more)s。该环节对全批次统一办理，"
                            "须待其全部到达，或由主管部门记录理由将其排除出本批次后再办理。") % {
            "n": len(behind), "stage": stage.title, "names": names, "more": more}, outcome)
    return outcome


def _ranking_confirmed(rnd: Round, stage: Stage) -> Decision | None:
    """The round's confirmed ranking at ``stage`` (None when never confirmed or reopened for re-ranking)."""
    latest = Decision.objects.filter(round=rnd, stage=stage.key, kind__in=("ranking", "ranking_reopened")).first()
    return latest if latest is not None and latest.kind == "ranking" else None


@transition("review.exclude", title=gettext_lazy("排除出本批次"), record="review.Case", field="state",
            sources=("active", "returned"), target="excluded", roles=OFFICE_ROLES,
            guard="policy.workflow.round_at_stage（排除须记录理由）", citation="匠心解释口径 I-WF-05")
def exclude_from_round(case: Case, *, actor: Any, reason: str) -> Case:
    """The office takes a live case out of the round with a recorded reason, so that a round-level decision
    (ranking, list, notice) can be taken for the rest (I-WF-05). Final for this round."""
    from jiangxin.platform.rounds.services import can_manage

    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("请填写排除出本批次的理由。"), citations=["匠心解释口径 I-WF-05"])
    case = _locked(case)
    if not can_manage(actor, case.round.program):
        raise PermissionDenied(_("只有主管部门可以将申报排除出本批次。"))
    _close(case, CaseState.EXCLUDED, action="exclude", actor=actor, reasons=[(reason, "匠心解释口径 I-WF-05")])
    return case


@transition("review.rerank", title=gettext_lazy("重新排序"), record="review.Case", field="stage", sources=("*",),
            target="ranking", roles=OFFICE_ROLES, guard="后续环节尚未办理；须说明理由",
            citation="南昌创新工作室办法 第七条；赣州工匠办法 第七条（三）；匠心解释口径 I-WF-05")
def rerank(rnd: Round, *, actor: Any, reason: str) -> Decision:
    """Reopen the round's confirmed ranking with a recorded reason: every case that ranking moved on (or
    did not select) returns to the ranking stage, to be ranked again as a whole. Refused once anything was
    done at a later stage (a party-group decision, a notice, …)."""
    wf, stage = _stage_of(rnd, "ranking")
    _require_round_actor(rnd, actor, stage)
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("重新排序须说明理由。"), citations=[stage.citation.label])
    confirmed = _ranking_confirmed(rnd, stage)
    if confirmed is None:
        raise ReviewError(_("本批次尚无已确认的排序，无需重新排序。"), citations=[stage.citation.label])
    later = list(wf.keys[wf.keys.index(stage.key) + 1:])
    if (Step.objects.filter(case__round=rnd, stage_from__in=later, at__gt=confirmed.at).exists()
            or Decision.objects.filter(round=rnd, stage__in=later).exists()):
        raise ReviewError(_("排序确认后的环节已有办理记录，不能重新排序。"), citations=[stage.citation.label])
    decision = Decision.objects.create(round=rnd, stage=stage.key, kind="ranking_reopened", note=reason,
                                       actor=actor, outcome={"reopened": confirmed.pk})
    record("review.ranking.reopen", decision, actor=actor, summary=f"重新排序：{rnd.title}",
           before={"decision": confirmed.pk, "decided": confirmed.decided}, after={"reason": reason})
    moved = Step.objects.filter(case__round=rnd, stage_from=stage.key, action__in=("advance", "not_selected"),
                                at__gte=confirmed.at).values_list("case_id", flat=True)
    for case in Case.objects.filter(pk__in=set(moved)).order_by("id"):
        case = _locked(case)
        _step(case, action="rerank", actor=actor, stage_from=case.stage, stage_to=stage.key, reasons=reason,
              citations=[stage.citation.label], data={"decision": decision.pk})
        case.stage = stage.key
        case.state = CaseState.ACTIVE
        case.stage_entered_at = timezone.now()
        case.save()
        _set_app_status(case.application, AppStatus.RECOMMENDED)
    return decision


@transition("review.ranking_confirm", title=gettext_lazy("确认排序"), record="review.Case", field="stage", sources=("ranking",), target="",
            roles=OFFICE_ROLES, guard="<program>/ranking；policy.workflow.round_at_stage（全批次到达本环节）",
            citation="南昌创新工作室办法 第七条；赣州工匠办法 第七条（三）")
def confirm_ranking(rnd: Round, *, actor: Any, tie_choice: Sequence[str] = (), meeting_date: dt.date | None = None,
                    reference: str = "", note: str = "") -> Decision:
    """Confirm the round's ranking. Studio: shortlisted studios go on to the party-group meeting, those below
    the mark are not selected. Ganzhou: the selected (plus the office's choice among a tie at the cut) go
    on to publicity, the rest are not selected."""
    wf, stage = _stage_of(rnd, "ranking")
    _require_round_actor(rnd, actor, stage)
    with transaction.atomic():
        if _ranking_confirmed(rnd, stage) is not None:
            raise ReviewError(_("本批次的排序已经确认，每批次只确认一次；如确需重新排序，请办理“重新排序”并说明理由。"),
                              citations=[stage.citation.label])
        require_whole_round(rnd, stage, wf)
        cases = round_cases(rnd, stage.key, actor)
        if not cases:
            raise ReviewError("本环节没有待排序的申报。")
        outcome = _run(rnd, "ranking", ranking_facts(rnd, cases))
        value = outcome["value"]
        keys = _by_key(cases)
        if ranking_spec(rnd).ties == "decision":
            go = set(value["proposed"]) | set(value["tie_at_cut"]) | set(value["reserve"])
            if tie_choice:
                raise ReviewError("并列名次由下一环节研究确定，排序时不能选择。")
        else:
            ties = set(value["tie_at_cut"])
            chosen = set(tie_choice)
            if chosen - ties:
                raise ReviewError("只能在名额线上并列的人员中选择。")
            if ties and not chosen:
                raise ReviewError("名额线上有并列，请选择入选人员并记录会议情况。", outcome)
            go = set(value["selected"]) | chosen
            quota = _quota(outcome)
            if quota is not None and len(go) > quota:
                raise ReviewError(f"入选人数 {len(go)} 超过名额 {quota}。", outcome)
            if chosen and not (meeting_date and reference):
                raise ReviewError("选择并列人员时请填写会议日期和纪要文号。")
        decision = Decision.objects.create(round=rnd, stage=stage.key, kind="ranking", outcome=outcome,
                                           decided=sorted(go), meeting_date=meeting_date, reference=reference,
                                           note=note, actor=actor)
        record("review.ranking.confirm", decision, actor=actor, summary=f"确认排序：{rnd.title}",
               after={"decided": sorted(go), "tie_choice": sorted(tie_choice)})
        for key, case in keys.items():
            case = _locked(case)
            if key in go:
                _move(case, wf.next_stage(stage.key, case.track or None), action="advance", actor=actor,
                      outcome=outcome, data={"decision": decision.pk})
            else:
                below = key in value.get("below_mark", [])
                reason = "未达到入围标准" if below else "未列入名额内"
                _close(case, CaseState.NOT_SELECTED, action="not_selected", actor=actor,
                       reasons=[(reason, stage.citation.label)], outcome=outcome)
    return decision


def _quota(outcome: Mapping[str, Any]) -> int | None:
    value = outcome.get("value", {})
    if isinstance(value, dict) and value.get("quota") is not None:
        return int(value["quota"])
    for s in outcome.get("trace", []):
        if s.get("rule") == "annual_quota":
            try:
                return int(Decimal(str(s["result"])))
            except (InvalidOperation, TypeError, ValueError):
                return None
    return None


@transition("review.party_decision", title=gettext_lazy("党组会研究确定"), record="review.Case", field="stage", sources=("party_group_decision",),
            target="", roles=OFFICE_ROLES, guard="nanchang_studio/ranking；policy.workflow.round_at_stage",
            citation="南昌创新工作室办法 第七条")
def record_party_decision(rnd: Round, *, actor: Any, decided: Sequence[str], meeting_date: dt.date,
                          reference: str, note: str = "") -> Decision:
    """Studio 第七条: the party-group meeting's decided list (meeting date and minutes reference recorded)."""
    wf, stage = _stage_of(rnd, "decision", "party_group_decision")
    _require_round_actor(rnd, actor, stage)
    if not reference.strip():
        raise ReviewError("请填写党组会纪要文号。")
    with transaction.atomic():
        require_whole_round(rnd, stage, wf)
        cases = round_cases(rnd, stage.key, actor)
        if not cases:
            raise ReviewError("没有待党组会研究的工作室。")
        keys = _by_key(cases)
        unknown = set(decided) - set(keys)
        if unknown:
            raise ReviewError("确定名单中有不在本环节的申报。")
        outcome = _run(rnd, "ranking", ranking_facts(rnd, cases, decided))
        if outcome["failures"]:
            raise ReviewError("确定名单与排序规则不符。", outcome)
        decision = Decision.objects.create(round=rnd, stage=stage.key, kind="party_group", outcome=outcome,
                                           decided=list(decided), meeting_date=meeting_date, reference=reference,
                                           note=note, actor=actor)
        record("review.party_decision", decision, actor=actor, summary=f"党组会研究确定：{rnd.title}",
               after={"decided": list(decided), "meeting_date": meeting_date, "reference": reference})
        for key, case in keys.items():
            case = _locked(case)
            if key in decided:
                _move(case, wf.next_stage(stage.key), action="advance", actor=actor, outcome=outcome,
                      data={"decision": decision.pk})
            else:
                _close(case, CaseState.NOT_SELECTED, action="not_selected", actor=actor,
                       reasons=[("未列入党组会确定名单", stage.citation.label)], outcome=outcome)
    return decision


@transition("review.candidate_list", title=gettext_lazy("确定候选名单"), record="review.Case", field="stage", sources=("candidate_list",),
            target="", roles=OFFICE_ROLES, guard="zhenjiang_park/admission_vote；policy.workflow.round_at_stage",
            citation="镇江园区办法 三（二）2")
def confirm_candidate_list(rnd: Round, *, actor: Any, note: str = "") -> Decision:
    """Zhenjiang: the candidates of the vote form the list sent to the work group."""
    wf, stage = _stage_of(rnd, "decision", "candidate_list")
    _require_round_actor(rnd, actor, stage)
    with transaction.atomic():
        require_whole_round(rnd, stage, wf)
        cases = round_cases(rnd, stage.key, actor)
        if not cases:
            raise ReviewError("没有候选工作室。")
        decision = Decision.objects.create(round=rnd, stage=stage.key, kind="candidate_list",
                                           decided=[c.key for c in cases], note=note, actor=actor,
                                           outcome={"candidates": [c.key for c in cases]})
        record("review.candidate_list", decision, actor=actor, summary=f"确定候选名单：{rnd.title}",
               after={"decided": decision.decided})
        for case in cases:
            case = _locked(case)
            vote = _stage_data(case, "vote")
            _move(case, wf.next_stage(stage.key), action="advance", actor=actor,
                  outcome=case.steps.filter(action="vote").last().outcome if vote else None,  # type: ignore[union-attr]
                  data={"decision": decision.pk})
    return decision


@transition("review.work_group", title=gettext_lazy("项目工作小组审核认定"), record="review.Case", field="stage", sources=("work_group_approval",),
            target="", roles=("office",), guard="zhenjiang_park/admission_vote；policy.workflow.round_at_stage",
            citation="镇江园区办法 三（二）2")
def record_work_group(rnd: Round, *, actor: Any, approved: Sequence[str], meeting_date: dt.date, reference: str,
                      note: str = "") -> Decision:
    """Zhenjiang: the work group's approval (三（二）2); each case is decided with ``admission_vote``."""
    wf, stage = _stage_of(rnd, "approval", "work_group_approval")
    return _approval(rnd, wf, stage, actor=actor, approved=approved, meeting_date=meeting_date, reference=reference,
                     note=note, kind="work_group")


@transition("review.city_approval", title=gettext_lazy("市政府批准"), record="review.Case", field="stage", sources=("city_approval",),
            target="", roles=("office",), guard="policy.workflow.round_at_stage", citation="赣州工匠办法 第七条（五）")
def record_city_approval(rnd: Round, *, actor: Any, approved: Sequence[str], meeting_date: dt.date, reference: str,
                         note: str = "") -> Decision:
    """Ganzhou 第七条（五）: the city government's approval of the list (date and document number recorded)."""
    wf, stage = _stage_of(rnd, "approval", "city_approval")
    return _approval(rnd, wf, stage, actor=actor, approved=approved, meeting_date=meeting_date, reference=reference,
                     note=note, kind="city_approval")


def _approval(rnd: Round, wf: Workflow, stage: Stage, *, actor: Any, approved: Sequence[str],
              meeting_date: dt.date, reference: str, note: str, kind: str) -> Decision:
    _require_round_actor(rnd, actor, stage)
    if not reference.strip():
        raise ReviewError("请填写批准文号或会议纪要文号。")
    with transaction.atomic():
        require_whole_round(rnd, stage, wf)
        cases = round_cases(rnd, stage.key, actor)
        if not cases:
            raise ReviewError("没有待审批的申报。")
        keys = _by_key(cases)
        if set(approved) - set(keys):
            raise ReviewError("批准名单中有不在本环节的申报。")
        decision = Decision.objects.create(round=rnd, stage=stage.key, kind=kind, decided=list(approved),
                                           meeting_date=meeting_date, reference=reference, note=note, actor=actor)
        record(f"review.{kind}", decision, actor=actor, summary=f"{stage.title}：{rnd.title}",
               after={"approved": list(approved), "reference": reference})
        for key, case in keys.items():
            case = _locked(case)
            outcome = None
            if stage.computation == "admission_vote":
                v = _stage_data(case, "vote")
                outcome = _run(rnd, "admission_vote", _vote_facts(
                    case, int(v.get("members_total", 0)), v.get("counts", {}),
                    "approved" if key in approved else "rejected"))
            if key in approved:
                _move(case, wf.next_stage(stage.key), action="advance", actor=actor, outcome=outcome,
                      data={"decision": decision.pk})
            else:
                _close(case, CaseState.REJECTED, action="reject", actor=actor,
                       reasons=[("未获批准", stage.citation.label)], outcome=outcome)
    return decision


@transition("review.province_confirmation", title=gettext_lazy("省级确认"), record="review.Case", field="stage",
            sources=("province_confirmation",), target="confirmed", roles=("office",),
            guard="jiangsu_technician/class_size", citation="江苏卓越技师办法 第五条、第二条")
def confirm_province(rnd: Round, *, actor: Any, note: str = "") -> Decision:
    """Jiangsu 第五条: the province confirms the year's cohort; ``class_size`` (≤100 per class, 第二条) is
    checked over every person already confirmed in the round plus those now confirmed."""
    _wf, stage = _stage_of(rnd, "confirmation", "province_confirmation")
    _require_round_actor(rnd, actor, stage)
    with transaction.atomic():
        cases = round_cases(rnd, stage.key, actor)
        if not cases:
            raise ReviewError("没有待确认的人选。")
        confirmed = list(Case.objects.filter(round=rnd, state=CaseState.DONE))
        members = [_member(c) for c in [*confirmed, *cases]]
        outcome = _run(rnd, "class_size", {"plan_year": int((cases[0].application.facts or {}).get(
            "plan_year", rnd.year)), "members": members})
        if not _ok(outcome):
            raise ReviewError("超过每类年度培育人数上限，不能确认。", outcome)
        decision = Decision.objects.create(round=rnd, stage=stage.key, kind="province_confirmation",
                                           outcome=outcome, decided=[c.key for c in cases], note=note, actor=actor)
        record("review.province_confirmation", decision, actor=actor, summary=f"省级确认：{rnd.title}",
               after={"decided": decision.decided})
        from jiangxin.platform.designations.services import designate_from_case

        today = timezone.localdate()
        for case in cases:
            _move(_locked(case), None, action="confirm", actor=actor, outcome=outcome,
                  data={"decision": decision.pk})
            designate_from_case(case, actor=actor, on=today)  # 江苏: the cohort member's 2-year tracking
    return decision


def _member(case: Case) -> dict[str, Any]:
    facts = case.application.facts or {}
    senior = str(facts.get("skill_level", "")) != "技师"
    return {"key": case.key, "track": case.track or str(facts.get("track", "")),
            "route": "main" if senior else "exceptional"}


# ---- publicity and naming -------------------------------------------------------------------------------

def unpublished_cases(rnd: Round, actor: Any | None = None) -> list[Case]:
    """Cases waiting at the round's publicity stage that are not yet on any notice of that stage (I-PUB-07)."""
    from jiangxin.platform.publicity.models import NoticeEntry

    stage = load_workflow(rnd.program.key).first_of_kind("publicity")
    if stage is None:
        return []
    on_notice = set(NoticeEntry.objects.filter(notice__round=rnd, notice__stage_key=stage.key)
                    .values_list("application_id", flat=True))
    return [c for c in round_cases(rnd, stage.key, actor) if c.application_id not in on_notice]


def publicity_backlog(user: Any) -> list[tuple[Round, int]]:
    """The rounds the user's office runs with cases waiting for a notice, and how many (I-PUB-07)."""
    from jiangxin.platform.rounds.services import can_manage
    from jiangxin.policy.workflow import workflow_programs

    role = str(getattr(user, "role", ""))
    stages: dict[str, str] = {}
    for program in workflow_programs():
        stage = load_workflow(program).first_of_kind("publicity")
        if stage is not None and role in stage.roles:
            stages[program] = stage.key
    if not stages:
        return []
    condition = Q()
    for program, key in stages.items():
        condition |= Q(program=program, stage=key)
    round_ids = set(Case.objects.filter(condition, state=CaseState.ACTIVE).values_list("round_id", flat=True))
    out = []
    for rnd in Round.objects.filter(pk__in=round_ids).select_related("program", "organiser").order_by("-year", "id"):
        if can_manage(user, rnd.program):
            n = len(unpublished_cases(rnd, user))
            if n:
                out.append((rnd, n))
    return out


@transition("review.publicity_open", title=gettext_lazy("发布公示（本批次）"), record="review.Case", field="stage", sources=("publicity",),
            target="publicity", roles=OFFICE_ROLES,
            guard="<program>/publicity_window；policy.workflow.round_at_stage",
            citation="各项目公示条款（如南昌工匠学院办法 第十九条（三））")
def open_publicity(rnd: Round, *, actor: Any, start: dt.date, title: str = "", reference: str = "",
                   today: dt.date | None = None) -> Any:
    """Put every case waiting at the publicity stage and not yet on a notice on one notice
    (publicity.services.open_notice); cases already on a running notice are not published twice."""
    from jiangxin.platform.publicity.services import open_notice

    _wf, stage = _stage_of(rnd, "publicity")
    _require_round_actor(rnd, actor, stage)
    cases = unpublished_cases(rnd, actor)
    if not cases:
        raise ReviewError("没有待公示的申报（已在公示中的不再重复公示）。")
    notice = open_notice(rnd, [c.application for c in cases], start=start, actor=actor, stage_key=stage.key,
                         title=title, reference=reference, today=today)
    for case in cases:
        _step(_locked(case), action="publicity_opened", actor=actor, stage_to=stage.key,
              citations=[stage.citation.label], outcome=getattr(notice, "outcome", None),
              data={"notice": notice.pk})
    return notice


def check_publishable(rnd: Round, applications: Sequence[Application], stage_key: str = "") -> Stage:
    """A notice holds only applications whose case waits at the round's publicity stage, and only once the
    whole round has reached it (I-PUB-08, I-WF-05); returns the publicity stage."""
    wf = load_workflow(rnd.program.key)
    stage = wf.stage(stage_key) if stage_key and wf.has_stage(stage_key) else wf.first_of_kind("publicity")
    if stage is None or stage.kind != "publicity":
        raise ReviewError(_("该项目的评审流程没有公示环节。"))
    cases = {c.application_id: c for c in Case.objects.filter(application__in=[a.pk for a in applications])}
    for app in applications:
        c = cases.get(app.pk)
        if c is None or c.state != CaseState.ACTIVE or c.stage != stage.key:
            where = (_("尚未进入评审") if c is None else f"{c.stage_title}，{c.get_state_display()}")
            raise ReviewError(_("“%(t)s”未到达公示环节（当前：%(w)s），不能列入公示。") % {"t": app.title, "w": where},
                              citations=[stage.citation.label])
    require_whole_round(rnd, stage, wf)
    return stage


@transition("review.publicity_close", title=gettext_lazy("公示期满，进入下一环节"), record="review.Case", field="stage", sources=("publicity",),
            target="", roles=OFFICE_ROLES, guard="publicity.clearance（公示期满且异议办结）",
            citation="各项目公示条款；I-PUB-03")
def close_publicity(rnd: Round, *, actor: Any) -> list[Case]:
    """Move every case whose publicity has cleared (window closed, objections settled) to the next stage."""
    from jiangxin.platform.publicity.services import clearance

    wf, stage = _stage_of(rnd, "publicity")
    _require_round_actor(rnd, actor, stage)
    moved = []
    with transaction.atomic():
        for case in round_cases(rnd, stage.key, actor):
            c = clearance(case.application)
            if c.clear:
                moved.append(_move(_locked(case), wf.next_stage(stage.key), action="advance", actor=actor,
                                   data={"window_end": c.window_end.isoformat() if c.window_end else None}))
    return moved


def naming_warning(case: Case, on: dt.date) -> tuple[str, dict[str, Any] | None]:
    """A warning when naming on ``on`` would miss the program's deadline (31 December), with the outcome."""
    stage = _current(case)
    if stage.computation != "naming_deadline":
        return "", None
    from jiangxin.platform.publicity.services import clearance

    c = clearance(case.application)
    facts: dict[str, Any] = {"round_year": case.round.year, "planned_naming_date": on.isoformat(),
                             "publicity_end": c.window_end.isoformat() if c.window_end else None}
    outcome = _run(case.round, "naming_deadline", facts)
    if outcome["value"].get("meets_deadline") is False:
        return (f"命名日期{on:%Y年%m月%d日}晚于命名期限{outcome['value']['deadline']}"
                f"（{stage.citation.label}）。"), outcome
    return "", outcome


def _inside_publicity(case: Case, on: dt.date) -> None:
    """Refuse a naming date on or before the last day of the case's publicity window (I-PUB-09)."""
    wf = load_workflow(case.program)
    publicity = wf.first_of_kind("publicity")
    if publicity is None:
        return
    from jiangxin.platform.publicity.services import clearance

    end = clearance(case.application).window_end
    if end is not None and on <= end:
        raise ReviewError(_("命名日期%(on)s在公示期内（公示截至%(end)s），公示期满且异议处理完毕后方可命名。") % {
            "on": f"{on:%Y年%m月%d日}", "end": f"{end:%Y年%m月%d日}"},
            citations=[publicity.citation.label, "匠心解释口径 I-PUB-09"])


@transition("review.name", title=gettext_lazy("命名/确定"), record="review.Case", field="state", sources=("active",), target="done",
            roles=OFFICE_ROLES, guard="publicity.clearance；<program>/naming_deadline",
            citation="南昌工匠学院办法 第十九条（四）；南昌创新工作室办法 第七条；赣州工匠办法 第八条")
def name(case: Case, *, actor: Any, on: dt.date | None = None, note: str = "") -> tuple[Case, str]:
    """Name / admit / confer: only after a cleared publicity (where the chain has one); warns when the
    deadline is missed; writes the public directory entry; the case reaches the final state."""
    on = on or timezone.localdate()
    with transaction.atomic():
        case = _locked(case)
        stage = _require_actor(case, actor)
        if stage.kind != "naming":
            raise ReviewError("当前环节不是命名。")
        wf = load_workflow(case.program)
        if wf.first_of_kind("publicity") is not None:
            from jiangxin.platform.publicity.services import clearance

            c = clearance(case.application)
            if not c.clear:
                raise ReviewError("公示尚未结束或异议尚未处理完毕：" + "；".join(c.reasons) + "。",
                                  citations=[wf.first_of_kind("publicity").citation.label])  # type: ignore[union-attr]
            _inside_publicity(case, on)
        warning, outcome = naming_warning(case, on)
        _move(case, None, action="name", actor=actor, reasons=note or warning, outcome=outcome,
              data={"on": on.isoformat(), "warning": warning})
        # the designation (命名/入选/入驻/称号) with its certificate number; it also feeds the public directory
        from jiangxin.platform.designations.services import designate_from_case

        designate_from_case(case, actor=actor, on=on)
    return case, warning
