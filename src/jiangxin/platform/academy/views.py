"""网上工匠学院 pages for academies (unit role) and the office.

This module holds the overview pages and the helpers the academy pages share; the teacher pool is in
``views_teachers``, the trainee database and its imports in ``views_trainees``, courses, their materials and the
training offerings in ``views_courses``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from jiangxin.platform.academy import facts, services
from jiangxin.platform.academy.models import Course, Teacher, TeacherStatus
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.params import year_param
from jiangxin.platform.orgs.models import Jurisdiction, Level
from jiangxin.platform.orgs.scope import visible_organisations


def _guard(request: HttpRequest) -> None:
    if not services.can_use(request.user):
        raise PermissionDenied("网上工匠学院仅对南昌市工匠学院和工匠学院办公室开放")


def academies_for(user: Any) -> Any:
    """Member organisations (with unit accounts) in the user's view: the academies."""
    return (visible_organisations(user).filter(level=Level.MEMBER, jurisdiction=Jurisdiction.NANCHANG,
                                               users__role=Role.UNIT).distinct().order_by("name"))


# --- overview ----------------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _guard(request)
    if services.is_academy(request.user):
        return redirect("academy:academy", pk=request.user.organisation_id)  # type: ignore[union-attr]
    year = _year(request)
    rows = []
    for org in academies_for(request.user):
        rows.append({"org": org, "new_courses": facts.new_course_count(org.pk, year),
                     "teachers": Teacher.objects.filter(organisation=org, status=TeacherStatus.APPROVED).count(),
                     "trainees": facts.training_counts(org.pk, year)["trainees"]})
    return render(request, "academy/home.html", {"rows": rows, "year": year,
                                                 "required": facts.NEW_COURSES_PER_YEAR})


def _year(request: HttpRequest) -> int:
    return year_param(request.GET.get("year"), timezone.localdate().year)


@login_required
def academy(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    org = get_object_or_404(academies_for(request.user), pk=pk)
    year = _year(request)
    entries = facts.annual_rubric_entries(org.pk, year)
    new_courses = entries["courses"]["new_courses"]["courses"]
    return render(request, "academy/academy.html", {
        "org": org, "year": year, "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "entries": entries, "new_courses": new_courses, "required": facts.NEW_COURSES_PER_YEAR,
        "meets": new_courses >= facts.NEW_COURSES_PER_YEAR,
        "upgrade_facts": facts.upgrade_subsidy_facts(org.pk, year),
        "courses": Course.objects.filter(academy=org).order_by("-created_at")[:10],
        "teachers": Teacher.objects.filter(organisation=org, status=TeacherStatus.APPROVED).count(),
    })

