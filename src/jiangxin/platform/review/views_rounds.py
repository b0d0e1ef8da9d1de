"""Review pages, the round: the stages' counts, the ranking, and the round-level decisions (party group, work
group, city approval, candidate list, province confirmation, re-ranking, publicity open and close)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.review import forms as f
from jiangxin.platform.review import services
from jiangxin.platform.review.models import CaseState
from jiangxin.platform.review.selectors import _quota, _ranking_confirmed
from jiangxin.platform.review.services import ReviewError
from jiangxin.platform.review.views import STAFF
from jiangxin.platform.rounds.models import Round
from jiangxin.policy.workflow import load_workflow

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
