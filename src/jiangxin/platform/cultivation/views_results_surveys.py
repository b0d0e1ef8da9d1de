"""Views of the results part, surveys: the trainees' satisfaction survey (附件2), the employers' survey (附件3)
and their summaries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.cultivation import forms_results as forms
from jiangxin.platform.cultivation import surveys
from jiangxin.platform.cultivation.access import training_unit_of, visible_enrolments
from jiangxin.platform.cultivation.actions.surveys import submit_employer_survey, submit_satisfaction
from jiangxin.platform.cultivation.selectors.results import (
    answered_satisfaction,
    employer_answered,
    employer_years,
    my_enrolments,
    survey_open,
    survey_summary,
    visible_units,
)
from jiangxin.platform.cultivation.views_results import _is_staff, _year

# ------------------------------------------------------------------------------------------------ surveys


@role_required(Role.TRAINEE)
@require_http_methods(["GET", "POST"])
def survey_satisfaction(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(my_enrolments(request.user), pk=pk)
    form = forms.SurveyForm(request.POST or None, items=surveys.SATISFACTION_ITEMS)
    if request.method == "POST" and form.is_valid():
        try:
            submit_satisfaction(request.user, enrolment, form.cleaned_data)
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("感谢填写满意度问卷。"))
            return redirect("cultivation:results_mine")
    return render(request, "cultivation/results/survey_form.html", {
        "form": form, "title": _("培育对象满意度调查（附件2）"), "enrolment": enrolment,
        "answered": answered_satisfaction(enrolment), "open": survey_open(enrolment.year)},
        status=400 if form.errors else 200)


@role_required(Role.UNIT)
@require_http_methods(["GET", "POST"])
def survey_employer(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    if not employer_years(request.user).filter(pk=year.pk).exists():
        raise PermissionDenied
    form = forms.SurveyForm(request.POST or None, items=surveys.EMPLOYER_ITEMS)
    if request.method == "POST" and form.is_valid():
        try:
            submit_employer_survey(request.user, year, form.cleaned_data)
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("调查问卷已提交，感谢支持。"))
            return redirect(f"{request.path}?year={year.year}")
    staff = visible_enrolments(request.user, year).exclude(major__isnull=True)
    assert request.user.is_authenticated, "role_required"
    employer = request.user.organisation
    assert employer is not None, "employer_years() is empty for a unit without an organisation"
    return render(request, "cultivation/results/survey_form.html", {
        "form": form, "title": _("用人单位调查和评价（附件3）"), "year": year, "staff": staff,
        "answered": employer_answered(year, employer),
        "open": survey_open(year)}, status=400 if form.errors else 200)


@login_required
def survey_summaries(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    if training_unit_of(request.user) is None and not _is_staff(request.user, year):
        raise PermissionDenied
    summaries = [survey_summary(year, u) for u in visible_units(request.user, year)]
    return render(request, "cultivation/results/surveys.html", {
        "year": year, "summaries": summaries, "employer_items": surveys.EMPLOYER_ITEMS,
        "ratings": surveys.RATINGS})
