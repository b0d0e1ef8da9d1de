"""Review pages: queues per stage, the case with its full history ("why"), one form per action, and the
round pages for ranking and the round-level decisions. Views never write models: services do."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangxin.platform.accounts.roles import STAFF_ROLES, Role
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.review import forms as f
from jiangxin.platform.review import services
from jiangxin.platform.review.base import _run
from jiangxin.platform.review.models import Case, CaseState
from jiangxin.platform.review.selectors import _quota, _ranking_confirmed
from jiangxin.platform.review.services import ReviewError
from jiangxin.platform.rounds.models import Round
from jiangxin.policy.registry import PROGRAMS
from jiangxin.policy.workflow import load_workflow, workflow_programs

STAFF = tuple(str(r) for r in STAFF_ROLES if r != Role.FINANCE)


def _case(request: HttpRequest, pk: int) -> Case:
    case = services.visible_cases(request.user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


@role_required(*STAFF)
def queue(request: HttpRequest) -> HttpResponse:
    stage_key = request.GET.get("stage") or None
    stages = []
    org = getattr(request.user, "organisation", None)
    for program in workflow_programs():
        # only the programs run in the user's own jurisdiction (南昌 staff never act on 赣州 stages)
        if org is None or not Round.objects.filter(program__key=program,
                                                   organiser__jurisdiction=org.jurisdiction).exists():
            continue
        title = PROGRAMS[program].title if program in PROGRAMS else program
        for s in services.acting_stages(request.user, program):
            count = services.acting_cases(request.user, s.key).filter(program=program).count()
            stages.append({"program": program, "program_title": title, "stage": s, "count": count})
    cases = services.acting_cases(request.user, stage_key).order_by("round", "stage", "id")
    chosen = request.GET.get("program")
    if chosen:
        cases = cases.filter(program=chosen)
    rounds = Round.objects.filter(cases__in=services.visible_cases(request.user)).distinct()
    return render(request, "review/queue.html", {"stages": [s for s in stages if s["count"] or not stage_key],
                                                 "cases": cases[:500], "stage_key": stage_key, "rounds": rounds})


def _failures(case: Case) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for step in case.steps.exclude(outcome=None).order_by("-at", "-id"):
        for failure in (step.outcome or {}).get("failures", []):
            found.setdefault(f"{failure.get('rule')}|{failure['citation']['label']}", failure)
        if found:
            break
    return list(found.values())


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, _case(request, pk))


def _case_page(request: HttpRequest, case: Case, **overrides: Any) -> HttpResponse:
    wf = load_workflow(case.program)
    assert request.user.is_authenticated, "login_required"
    acting = case.state == CaseState.ACTIVE and case.stage != wf.final_key and services.may_act(request.user, case)
    ctx: dict[str, Any] = {"case": case, "wf": wf, "steps": case.steps.select_related("actor"), "acting": acting,
                           "owner": request.user.role not in STAFF_ROLES and request.user.role != Role.EXPERT,
                           "attachments": case.attachments.all()}
    if acting:
        stage = wf.stage(case.stage)
        ctx.update(_action_forms(case, stage))
    if not ctx["owner"]:
        ctx["confirmations"] = [(s, rows) for s in wf.stages if s.confirmations
                                for rows in [[r for r in services.confirmation_rows(case, s) if r["confirmed"]]]
                                if rows]
    if case.state in services.LIVE and _may_exclude(request.user, case):
        ctx["exclude_form"] = f.ExcludeForm()
    ctx.update(overrides)
    return render(request, "review/case.html", ctx)


def _may_exclude(user: Any, case: Case) -> bool:
    """The office that runs the round may take a live case out of it (I-WF-05)."""
    from jiangxin.platform.rounds.services import can_manage

    return str(getattr(user, "role", "")) in services.OFFICE_ROLES and can_manage(user, case.round.program)


def _vote_members(case: Case) -> list[str]:
    """Names of the experts on the round's panel(s) that reviewed the case, to prefill the vote rows."""
    from jiangxin.platform.panels.models import PanelMember

    names: list[str] = []
    members = (PanelMember.objects.filter(panel__round=case.round, panel__assignments__application=case.application)
               .select_related("expert").order_by("panel_id", "id"))
    for m in members:
        name = (m.expert.display_name or m.expert.username).strip()
        if name and name not in names:
            names.append(name)
    return names


def _action_forms(case: Case, stage: Any) -> dict[str, Any]:
    ctx: dict[str, Any] = {"stage": stage, "missing": services.readiness(case)}
    if stage.allows("return"):
        ctx["return_form"] = f.ReturnForm()
    if stage.allows("reject"):
        ctx["reject_form"] = f.RejectForm(failures=_failures(case), program=case.program)
    if stage.computation and stage.kind in ("pre_review", "recognition", "panel_scoring") and \
            stage.computation not in ("naming_score", "assessment_score"):
        ctx["facts_form"], ctx["live"] = _facts_form(case, stage)
    visit = next((p for p in (stage, *stage.parts) if p.kind == "site_visit"), None)
    if visit is not None:
        ctx["visit_form"] = f.SiteVisitForm(areas=visit.areas, initial={"visited_on": timezone.localdate()})
        ctx["visit_stage"] = visit
    if any(p.kind == "panel_scoring" for p in (stage, *stage.parts)):
        ctx["panel_form"] = f.PanelForm()
    if stage.kind == "vote":
        ctx["vote_form"] = f.VoteForm()
        ctx["vote_formset"] = f.vote_formset(members=_vote_members(case))
    if "letter" in stage.requires:
        ctx["letter_form"] = f.LetterForm()
    rows = services.confirmation_rows(case, stage)
    if any(not row["confirmed"] for row in rows):
        ctx["confirm_form"] = f.ConfirmConditionsForm(rows=rows)
    if stage.kind == "naming":
        ctx["name_form"] = f.NameForm(initial={"on": timezone.localdate()})
        ctx["naming_warning"], _outcome = services.naming_warning(case, timezone.localdate()) if \
            stage.computation == "naming_deadline" else ("", None)
    if stage.allows("advance") and stage.kind in ("site_visit", "pre_review", "recognition", "confirmation",
                                                  "publicity", "panel_scoring") and not stage.parts:
        ctx["advance_form"] = f.NoteForm()
    return ctx


def _facts_form(case: Case, stage: Any, data: Any = None) -> tuple[Any, dict[str, Any] | None]:
    from jiangxin.platform.applications.formgen import FactsForm
    from jiangxin.policy.registry import get_computation

    comp = get_computation(case.program, stage.computation)
    confirmed = case.details.get(stage.key, {}).get("confirmed_facts") if isinstance(case.details.get(stage.key),
                                                                                      dict) else None
    facts = confirmed or case.application.facts or {}
    form = FactsForm(comp.facts, data, initial_facts=facts)
    try:
        live = _run(case.round, stage.computation, facts, as_of=case.round.closes)
    except ReviewError as exc:
        live = {"status": "incomplete", "failures": [], "trace": [], "error": str(exc)}
    return form, live


def _done(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("review:case", pk=case.pk)


def _refused(request: HttpRequest, case: Case, exc: TransitionRefused) -> HttpResponse:
    messages.error(request, str(exc))
    return redirect("review:case", pk=case.pk)


def _acting_case(request: HttpRequest, pk: int) -> Case:
    case = _case(request, pk)
    assert request.user.is_authenticated, "login_required"
    if request.user.role not in STAFF:
        raise PermissionDenied
    return case


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = _acting_case(request, pk)
    user = request.user
    wf = load_workflow(case.program)
    # a stale form (the case moved on since the page was rendered) is refused, never applied to the new stage
    posted_stage = request.POST.get("stage")
    if posted_stage and posted_stage != case.stage:
        messages.error(request, _("该案卷已进入其他环节，请刷新页面后再办理。"))
        return redirect("review:case", pk=case.pk)
    expect = request.POST.get("expect") or None
    if action == "exclude":
        ef = f.ExcludeForm(request.POST)
        if not ef.is_valid():
            return _invalid(request, case, ef)
        try:
            services.exclude_from_round(case, actor=user, reason=ef.cleaned_data["reason"], expect=expect)
        except TransitionRefused as exc:
            return _refused(request, case, exc)
        return _done(request, case, _("已将该申报排除出本批次，理由已记录。"))
    if case.stage == wf.final_key:
        messages.error(request, "该案卷已办结。")
        return redirect("review:case", pk=case.pk)
    stage = wf.stage(case.stage)
    try:
        if action == "advance":
            form = f.NoteForm(request.POST)
            form.is_valid()
            services.advance(case, actor=user, note=form.cleaned_data.get("note", ""), expect=expect)
            return _done(request, case, "已进入下一环节。")
        if action == "return":
            rf = f.ReturnForm(request.POST)
            if not rf.is_valid():
                return _invalid(request, case, rf)
            services.return_for_revision(case, actor=user, reasons=rf.cleaned_data["reasons"],
                                         deadline=rf.cleaned_data["deadline"], expect=expect)
            return _done(request, case, "已退回申报人修改。")
        if action == "reject":
            jf = f.RejectForm(request.POST, failures=_failures(case), program=case.program)
            if not jf.is_valid():
                return _invalid(request, case, jf)
            services.reject(case, actor=user, reasons=jf.reasons(), expect=expect)
            return _done(request, case, "已作出不予通过决定。")
        if action == "eligibility":
            form, _live = _facts_form(case, stage, request.POST)
            if not form.is_valid():
                return _invalid(request, case, form)
            outcome = services.review_eligibility(case, actor=user, facts=form.facts(),
                                                  note=request.POST.get("note", ""), expect=expect)
            if outcome["failures"]:
                messages.warning(request, f"条件审查未通过：{len(outcome['failures'])} 项未满足，可退回修改或不予通过。")
            return _done(request, case, "已记录核实后的条件审查结果。")
        if action == "confirm":
            cf = f.ConfirmConditionsForm(request.POST, rows=services.confirmation_rows(case, stage))
            if not cf.is_valid():
                return _invalid(request, case, cf)
            services.confirm_conditions(case, actor=user, conditions=cf.cleaned_data["conditions"],
                                        note=cf.cleaned_data["note"], expect=expect)
            return _done(request, case, _("已记录评审确认。"))
        if action == "letter":
            lf = f.LetterForm(request.POST, request.FILES)
            if not lf.is_valid():
                return _invalid(request, case, lf)
            from jiangxin.platform.applications.uploads import UploadError

            try:
                services.attach_letter(case, actor=user, uploaded=lf.cleaned_data["file"])
            except UploadError as exc:
                messages.error(request, str(exc))
                return redirect("review:case", pk=case.pk)
            return _done(request, case, "推荐函已上传。")
        if action == "site-visit":
            visit = next((p for p in (stage, *stage.parts) if p.kind == "site_visit"), stage)
            vf = f.SiteVisitForm(request.POST, areas=visit.areas)
            if not vf.is_valid():
                return _invalid(request, case, vf)
            services.record_site_visit(case, actor=user, visited_on=vf.cleaned_data["visited_on"],
                                       findings=vf.findings(), passed=vf.cleaned_data["passed"],
                                       note=vf.cleaned_data["note"], expect=expect)
            return _done(request, case, "已记录实地考察情况。")
        if action == "panel":
            pf = f.PanelForm(request.POST)
            if not pf.is_valid():
                return _invalid(request, case, pf)
            services.record_panel(case, actor=user, score=pf.cleaned_data["score"], note=pf.cleaned_data["note"],
                                  expect=expect)
            return _done(request, case, "已记录评审结果。")
        if action == "vote":
            vf2 = f.VoteForm(request.POST)
            rows = f.vote_formset(request.POST)
            if not (vf2.is_valid() and rows.is_valid()):
                messages.error(request, "表决登记有误，请按提示修改。")
                return _case_page(request, case, vote_form=vf2, vote_formset=rows)
            votes = rows.votes()
            services.record_vote(case, actor=user, members_total=len(votes), votes=votes,
                                 note=vf2.cleaned_data["note"], expect=expect)
            return _done(request, case, "已记录投票表决。")
        if action == "name":
            nf = f.NameForm(request.POST)
            if not nf.is_valid():
                return _invalid(request, case, nf)
            _named, warning = services.name(case, actor=user, on=nf.cleaned_data["on"], note=nf.cleaned_data["note"],
                                       expect=expect)
            if warning:
                messages.warning(request, warning)
            return _done(request, case, f"已{wf.final_title}。")
    except TransitionRefused as exc:
        return _refused(request, case, exc)
    raise Http404


def _invalid(request: HttpRequest, case: Case, form: Any) -> HttpResponse:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
    return redirect("review:case", pk=case.pk)


# ---- round pages --------------------------------------------------------------------------------------

#: what each kind of round-level decision is called on the round page
DECISION_KINDS = {"ranking": "排序确认", "party_group": "党组会研究确定", "candidate_list": "候选名单",
                  "work_group": "项目工作小组审核认定", "city_approval": "市政府批准",
                  "province_confirmation": "省级确认"}


def _round(request: HttpRequest, pk: int) -> Round:
    from jiangxin.platform.rounds.services import visible_rounds

    rnd = visible_rounds(request.user).filter(pk=pk).first()
    if rnd is None:
        raise Http404
    return rnd


@role_required(*STAFF)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = _round(request, pk)
    wf = load_workflow(rnd.program.key)
    visible = services.visible_cases(request.user).filter(round=rnd)
    rows: list[dict[str, Any]] = []
    for s in wf.stages:
        if s.kind == "application":
            continue
        rows.append({"stage": s, "cases": [c for c in visible if c.stage == s.key and c.state == CaseState.ACTIVE]})
    closed = visible.exclude(state=CaseState.ACTIVE)
    decisions = list(rnd.review_decisions.all())
    for d in decisions:
        d.stage_title = wf.stage(d.stage).title if wf.has_stage(d.stage) else d.stage
        d.kind_label = DECISION_KINDS.get(d.kind, d.kind)
    assert request.user.is_authenticated, "role_required"
    ctx: dict[str, Any] = {"round": rnd, "wf": wf, "rows": rows, "closed": closed, "decisions": decisions}
    for row in rows:
        s, cases = row["stage"], row["cases"]
        if not cases or request.user.role not in s.roles:
            continue
        choices = [(c.key, f"{c.application.title}（{c.score if c.score is not None else '—'}）") for c in cases]
        if s.kind in ("decision", "approval"):
            row["form"] = f.DecisionForm(choices=choices)
        if s.kind == "publicity":
            waiting = services.unpublished_cases(rnd, request.user)
            row["unpublished"] = waiting
            if waiting:
                row["publicity_form"] = f.PublicityForm(initial={"start": timezone.localdate(),
                                                                 "title": f"{rnd.title}拟命名名单公示"})
            row["publicity_close"] = True
        if s.kind == "confirmation" and s.computation:
            row["confirm_form"] = f.NoteForm()
    return render(request, "review/round.html", ctx)


@role_required(Role.OFFICE, Role.PARK_OFFICE)
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = _round(request, pk)
    wf = load_workflow(rnd.program.key)
    stage = wf.first_of_kind("ranking")
    if stage is None:
        raise Http404
    assert request.user.is_authenticated, "role_required"
    if request.user.role not in stage.roles:
        raise PermissionDenied
    cases = services.round_cases(rnd, stage.key, request.user)
    outcome, error = None, ""
    if cases:
        try:
            outcome = services.compute_ranking(rnd, stage.key, request.user)
        except ReviewError as exc:
            error = str(exc)
    titles = {c.key: c for c in cases}
    ties = outcome["value"].get("tie_at_cut", []) if outcome else []
    form = f.DecisionForm(request.POST if request.method == "POST" else None, choices=[(k, titles[k].application.title) for k in ties if k in titles])
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_ranking(rnd, actor=request.user, tie_choice=form.cleaned_data["decided"],
                                     meeting_date=form.cleaned_data["meeting_date"],
                                     reference=form.cleaned_data["reference"], note=form.cleaned_data["note"])
        except TransitionRefused as exc:
            messages.error(request, str(exc))
            return redirect("review:ranking", pk=rnd.pk)
        messages.success(request, "排序已确认。")
        return redirect("review:round", pk=rnd.pk)
    confirmed = _ranking_confirmed(rnd, stage)
    if not error and cases:
        try:
            services.require_whole_round(rnd, stage)
        except TransitionRefused as exc:
            error = str(exc)
    return render(request, "review/ranking.html", {"round": rnd, "stage": stage, "cases": titles, "outcome": outcome,
                                                   "error": error, "form": form, "confirmed": confirmed,
                                                   "rerank_form": f.RerankForm() if confirmed else None,
                                                   "quota": _quota(outcome) if outcome else None})


@role_required(Role.OFFICE, Role.PARK_OFFICE)
@require_POST
def round_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    rnd = _round(request, pk)
    user = request.user
    try:
        if action in ("party-decision", "work-group", "city-approval"):
            wf = load_workflow(rnd.program.key)
            key = {"party-decision": "party_group_decision", "work-group": "work_group_approval",
                   "city-approval": "city_approval"}[action]
            if not wf.has_stage(key):
                raise Http404
            cases = services.round_cases(rnd, key, user)
            form = f.DecisionForm(request.POST, choices=[(c.key, c.key) for c in cases])
            if not form.is_valid() or not form.cleaned_data["meeting_date"]:
                messages.error(request, "请选择名单并填写会议/批准日期和文号。")
                return redirect("review:round", pk=rnd.pk)
            fn = {"party-decision": services.record_party_decision, "work-group": services.record_work_group,
                  "city-approval": services.record_city_approval}[action]
            fn(rnd, actor=user, **{("decided" if action == "party-decision" else "approved"):
                                   form.cleaned_data["decided"]},
               meeting_date=form.cleaned_data["meeting_date"], reference=form.cleaned_data["reference"],
               note=form.cleaned_data["note"])
        elif action == "candidate-list":
            services.confirm_candidate_list(rnd, actor=user, note=request.POST.get("note", ""))
        elif action == "province":
            services.confirm_province(rnd, actor=user, note=request.POST.get("note", ""))
        elif action == "publicity-open":
            pf = f.PublicityForm(request.POST)
            if not pf.is_valid():
                messages.error(request, "请填写公示发布日。")
                return redirect("review:round", pk=rnd.pk)
            services.open_publicity(rnd, actor=user, start=pf.cleaned_data["start"],
                                    title=pf.cleaned_data["title"], reference=pf.cleaned_data["reference"])
        elif action == "rerank":
            rf = f.RerankForm(request.POST)
            if not rf.is_valid():
                messages.error(request, _("重新排序须说明理由。"))
                return redirect("review:ranking", pk=rnd.pk)
            services.rerank(rnd, actor=user, reason=rf.cleaned_data["reason"])
            messages.success(request, _("已撤回本批次的排序确认，理由已记录；请对全批次重新排序。"))
            return redirect("review:ranking", pk=rnd.pk)
        elif action == "publicity-close":
            moved = services.close_publicity(rnd, actor=user)
            messages.info(request, f"{len(moved)} 项公示期满且无未决异议，已进入下一环节。")
        else:
            raise Http404
    except TransitionRefused as exc:
        messages.error(request, str(exc))
        return redirect("review:round", pk=rnd.pk)
    messages.success(request, "已办理。")
    return redirect("review:round", pk=rnd.pk)
