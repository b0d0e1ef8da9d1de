"""Review pages, the case page: the case with its full history ("why"), the stage's live outcome and one form
per action the user may take."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jiangxin.platform.accounts.roles import STAFF_ROLES, Role
from jiangxin.platform.review import forms as f
from jiangxin.platform.review import services
from jiangxin.platform.review.base import _run
from jiangxin.platform.review.models import Case, CaseState
from jiangxin.platform.review.services import ReviewError
from jiangxin.platform.review.views import _case
from jiangxin.policy.workflow import load_workflow


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
    ctx: dict[str, Any] = {"stage": stage, "missing": services.readiness(case, html=True)}
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
