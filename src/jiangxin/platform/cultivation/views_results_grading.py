"""Views of the results part, grading and sanctions: the unit's grading with caps, incidents (sanctions and bans)
and deferral requests and decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.params import id_param
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.cultivation import forms_results as forms
from jiangxin.platform.cultivation.access import (
    is_province_office,
    lead_bureaus,
    training_unit_of,
    visible_enrolments,
)
from jiangxin.platform.cultivation.actions.deferral import decide_deferral, request_deferral
from jiangxin.platform.cultivation.actions.grading import grade_unit
from jiangxin.platform.cultivation.actions.incidents import record_incident
from jiangxin.platform.cultivation.common_results import DEFAULT_GRADE_BANDS, is_locked
from jiangxin.platform.cultivation.models import Enrolment, EnrolmentStatus, Incident, UnitGrading
from jiangxin.platform.cultivation.selectors.results import (
    approved_plan,
    decided_deferrals,
    grading_rows,
    incident_bans,
    my_enrolments,
    pending_deferrals,
    visible_incidents,
)
from jiangxin.platform.cultivation.views_results import _is_staff, _unit, _year
from jiangxin.platform.orgs.models import Organisation

# ------------------------------------------------------------------------------------------------ grading


@login_required
@require_http_methods(["GET", "POST"])
def grading(request: HttpRequest, unit: int) -> HttpResponse:
    year = _year(request)
    org = _unit(request, year, unit)
    may_grade = is_province_office(request.user) or (
        (own := training_unit_of(request.user)) is not None and own.pk == org.pk)
    locked = is_locked(year, org)
    rows = grading_rows(year, org)
    form = forms.GradingForm(request.POST or None, rows=rows)
    if request.method == "POST":
        if not may_grade:
            raise PermissionDenied
        if form.is_valid():
            try:
                grade_unit(request.user, year, org, form.scores())
            except TransitionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("评定完成，结果已保存。"))
                return redirect(f"{request.path}?year={year.year}")
    record = UnitGrading.objects.filter(year=year, training_unit=org).first()
    graded = {e.pk: e for e in Enrolment.objects.filter(year=year, major__training_unit=org,
                                                          status=EnrolmentStatus.GRADED)}
    deferred = Enrolment.objects.filter(year=year, major__training_unit=org, status=EnrolmentStatus.DEFERRED)
    return render(request, "cultivation/results/grading.html", {
        "year": year, "unit": org, "rows": rows, "form": form, "grading": record, "may_grade": may_grade,
        "locked": locked, "plan": approved_plan(year, org), "graded": graded, "deferred": deferred,
        "bands": DEFAULT_GRADE_BANDS["bands"]}, status=400 if form.errors else 200)


# ------------------------------------------------------------------------------------------------ incidents


@login_required
@require_http_methods(["GET", "POST"])
def incidents(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    own = training_unit_of(request.user)
    may_record = is_province_office(request.user) or own is not None or lead_bureaus(request.user, year).exists()
    if not may_record and request.user.role != Role.UNIT:  # type: ignore[union-attr]
        raise PermissionDenied
    enrolments = visible_enrolments(request.user, year).exclude(major__isnull=True)
    employers = Organisation.objects.filter(pk__in=enrolments.values("employer"))
    form = forms.IncidentForm(request.POST or None, enrolments=enrolments, employers=employers, year=year)
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                incident = record_incident(
                    request.user, year, kind=d["kind"], description=d["description"], decided_on=d["decided_on"],
                    enrolment=d["enrolment"], employer=d["employer"], notify_employer=d["notify_employer"],
                    without_good_reason=d["without_good_reason"], award_ban_exception=d["award_ban_exception"])
            except TransitionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已登记，处理措施已执行。"))
                return redirect("cultivation:results_incident", pk=incident.pk)
    return render(request, "cultivation/results/incidents.html", {
        "year": year, "incidents": visible_incidents(request.user, year), "form": form,
        "may_record": may_record}, status=400 if form.errors else 200)


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(Incident.objects.select_related("year"), pk=pk)
    if not visible_incidents(request.user, incident.year).filter(pk=pk).exists():
        raise Http404
    return render(request, "cultivation/results/incident.html", {
        "incident": incident, "bans": incident_bans(incident), "outcome": incident.outcome})


# ------------------------------------------------------------------------------------------------ deferral


@login_required
@require_http_methods(["GET", "POST"])
def deferrals(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    pending = pending_deferrals(request.user)
    if not (_is_staff(request.user, year) or pending):
        raise PermissionDenied
    if request.method == "POST":
        enrolment = get_object_or_404(Enrolment, pk=id_param(request.POST.get("enrolment")) or 0)
        form = forms.DeferralDecisionForm(request.POST)
        if form.is_valid():
            try:
                decide_deferral(request.user, enrolment, approve=form.cleaned_data["decision"] == "approve",
                                         note=form.cleaned_data["note"])
            except TransitionRefused as exc:
                messages.error(request, str(exc))
            else:
                state = (enrolment.deferral_outcome or {}).get("state")
                if state == "granted":
                    messages.success(request, _("已准予延期。"))
                else:
                    messages.warning(request, _("不予延期。"))
                return redirect(f"{request.path}?year={year.year}")
        else:
            for errors in form.errors.values():
                for e in errors:
                    messages.error(request, str(e))  # ErrorList yields str; the stubs say ValidationError | str
    return render(request, "cultivation/results/deferrals.html", {
        "year": year, "pending": pending,
        "decided": decided_deferrals(request.user, year), "form": forms.DeferralDecisionForm()})


@role_required(Role.TRAINEE)
@require_http_methods(["GET", "POST"])
def deferral_request(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(my_enrolments(request.user), pk=pk)
    form = forms.DeferralRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_deferral(request.user, enrolment, reason=form.cleaned_data["reason"],
                                      detail=form.cleaned_data["detail"])
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("延期申请已提交，等待审批。"))
            return redirect("cultivation:results_mine")
    return render(request, "cultivation/results/deferral_request.html", {"enrolment": enrolment, "form": form},
                  status=400 if form.errors else 200)
