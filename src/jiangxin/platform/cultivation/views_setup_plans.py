"""Views of the cultivation year's setup part, mentors and training plans: the training unit's mentors, its plan
and sessions, and the city lead's decision on the plan."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.params import id_param
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.cultivation import forms_setup as F
from jiangxin.platform.cultivation.access import city_of, is_city_lead, training_unit_of
from jiangxin.platform.cultivation.actions.mentors import register_mentor
from jiangxin.platform.cultivation.actions.plans import (
    SESSION_FIELDS,
    decide_plan,
    delete_session,
    save_plan,
    save_session,
    submit_plan,
)
from jiangxin.platform.cultivation.common_setup import failed_steps
from jiangxin.platform.cultivation.models import (
    Major,
    Mentor,
    PlanSession,
    PlanStatus,
    TrainingPlan,
    YearStatus,
)
from jiangxin.platform.cultivation.selectors.setup import (
    mentor_qualification,
    plan_totals,
    plan_warnings,
    plans_awaiting,
    unit_enrolments,
    visible_plans,
)
from jiangxin.platform.cultivation.views_setup import STAFF, _data, _expect, _may_see_lists, _year

# ------------------------------------------------------------------------------------------------ mentors


@role_required(Role.TRAINING_UNIT)
@require_http_methods(["GET", "POST"])
def mentors(request: HttpRequest) -> HttpResponse:
    unit = training_unit_of(request.user)
    year = _year(request, required=False)
    form = F.MentorForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            mentor = register_mentor(request.user, **form.cleaned_data)
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记指导教师 %(n)s。") % {"n": mentor.name})
            return redirect("cultivation:mentors")
    rows = list(Mentor.objects.filter(training_unit=unit).annotate(
        trainees=Count("enrolments", filter=Q(enrolments__year=year)) if year else Count("enrolments")))
    for m in rows:
        m.outcome = mentor_qualification(m)  # type: ignore[attr-defined]
    return render(request, "cultivation/setup/mentors.html", {"form": form, "mentors": rows, "year": year},
                  status=400 if form.errors else 200)


# ------------------------------------------------------------------------------------------------ plans


@role_required(Role.TRAINING_UNIT, *STAFF)
@require_http_methods(["GET", "POST"])
def plans(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    assert year is not None
    unit = training_unit_of(request.user)
    if unit is not None:
        plan = TrainingPlan.objects.filter(year=year, training_unit=unit).first()
        form = F.PlanForm(_data(request))
        if request.method == "POST" and form.is_valid():
            try:
                plan = save_plan(request.user, year, **form.cleaned_data)
            except TransitionRefused as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("cultivation:plan", pk=plan.pk)
        if plan is not None and request.method == "GET":
            return redirect("cultivation:plan", pk=plan.pk)
        return render(request, "cultivation/setup/plan_new.html", {"form": form, "year": year},
                      status=400 if form.errors else 200)
    if not _may_see_lists(request.user):
        raise PermissionDenied
    if request.method == "POST":
        raise PermissionDenied
    return render(request, "cultivation/setup/plans.html", {
        "year": year, "plans": visible_plans(request.user, year), "awaiting": plans_awaiting(request.user, year)})


def _visible_plan(request: HttpRequest, pk: int) -> TrainingPlan:
    plan = get_object_or_404(TrainingPlan.objects.select_related("year", "training_unit"), pk=pk)
    if not visible_plans(request.user, plan.year).filter(pk=plan.pk).exists():
        raise Http404
    return plan


@role_required(Role.TRAINING_UNIT, *STAFF)
@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    unit = training_unit_of(request.user)
    own = unit is not None and unit.pk == plan.training_unit_id
    city = city_of(plan.training_unit)
    lead = city is not None and is_city_lead(request.user, plan.year, city)
    majors = Major.objects.filter(year=plan.year, training_unit=plan.training_unit)
    session_form = F.SessionForm(majors=majors)
    plan_form = F.PlanForm(initial={"hours_required": plan.hours_required, "credits_required": plan.credits_required})
    decision_form = F.DecisionForm()
    editing: PlanSession | None = None
    if id_param(request.GET.get("edit")) and own:
        editing = get_object_or_404(PlanSession, plan=plan, pk=id_param(request.GET.get("edit")))
        session_form = F.SessionForm(instance=editing, majors=majors)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("session", "plan", "submit", "delete") and not own:
            raise PermissionDenied
        if action == "decide" and not lead:
            raise PermissionDenied
        try:
            if action == "session":
                if id_param(request.POST.get("session_id")):
                    editing = get_object_or_404(PlanSession, plan=plan, pk=id_param(request.POST.get("session_id")))
                session_form = F.SessionForm(request.POST, instance=editing, majors=majors)
                if session_form.is_valid():
                    values = {k: session_form.cleaned_data[k] for k in SESSION_FIELDS}
                    if editing is not None:
                        editing = PlanSession.objects.get(pk=editing.pk)
                    save_session(request.user, plan, values, editing)
                    messages.success(request, _("课程已保存，计划已重新核查。"))
                    return redirect("cultivation:plan", pk=plan.pk)
            elif action == "delete":
                session = get_object_or_404(PlanSession, plan=plan, pk=id_param(request.POST.get("session_id")) or 0)
                delete_session(request.user, session)
                messages.success(request, _("课程已删除。"))
                return redirect("cultivation:plan", pk=plan.pk)
            elif action == "plan":
                plan_form = F.PlanForm(request.POST)
                if plan_form.is_valid():
                    save_plan(request.user, plan.year, **plan_form.cleaned_data)
                    messages.success(request, _("要求学时、学分已保存。"))
                    return redirect("cultivation:plan", pk=plan.pk)
            elif action == "submit":
                submit_plan(request.user, plan, expect=_expect(request))
                messages.success(request, _("培训计划已提交市级负责人审核。"))
                return redirect("cultivation:plan", pk=plan.pk)
            elif action == "decide":
                decision_form = F.DecisionForm(request.POST)
                if decision_form.is_valid():
                    approve = decision_form.cleaned_data["decision"] == "approve"
                    decide_plan(request.user, plan, approve=approve, note=decision_form.cleaned_data["note"],
                                  expect=_expect(request))
                    messages.success(request, _("已审核通过，计划已锁定。") if approve else _("已退回承训单位修改。"))
                    return redirect("cultivation:plan", pk=plan.pk)
            else:
                raise PermissionDenied
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        status = 400
        plan.refresh_from_db()
    editable = own and plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED) and plan.year.status != YearStatus.CLOSED
    return render(request, "cultivation/setup/plan.html", {
        "plan": plan, "sessions": plan.sessions.select_related("major"), "outcome": plan.check_outcome,
        "failures": failed_steps(plan.check_outcome), "warnings": plan_warnings(plan),
        "totals": plan_totals(plan), "own": own, "lead": lead, "editable": editable,
        "session_form": session_form, "plan_form": plan_form, "decision_form": decision_form, "editing": editing,
        "city": city, "trainees": unit_enrolments(plan.year, plan.training_unit).count()}, status=status)
