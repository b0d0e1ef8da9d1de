"""Views of the results part: thin — role and scope check, form, one service call, message, redirect.

This module holds the overview, the trainee's own page and the helpers the results pages share; grading,
incidents and deferrals are in ``views_results_grading``, acceptance, certificates and expenses in
``views_results_acceptance``, the surveys in ``views_results_surveys``."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.cultivation.access import (
    current_year,
    is_province_office,
    lead_bureaus,
    training_unit_of,
)
from jiangxin.platform.cultivation.models import CultivationYear
from jiangxin.platform.cultivation.selectors.results import (
    answered_satisfaction,
    can_see_unit,
    my_enrolments,
    overview,
    survey_open,
)
from jiangxin.platform.orgs.models import Organisation

MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
STAFF = (Role.OFFICE, Role.DISTRICT)


def _file(content: bytes, filename: str) -> HttpResponse:
    ext = filename.rsplit(".", 1)[-1]
    response = HttpResponse(content, content_type=MIME[ext])
    response["Content-Disposition"] = f"attachment; filename=\"document.{ext}\"; filename*=UTF-8''{quote(filename)}"
    return response


def _year(request: HttpRequest) -> CultivationYear:
    wanted = request.GET.get("year", "")
    year = CultivationYear.objects.filter(year=int(wanted)).first() if wanted.isdecimal() else current_year()
    if year is None:
        raise Http404(_("尚未开启培育学年。"))
    return year


def _unit(request: HttpRequest, year: CultivationYear, pk: int) -> Organisation:
    unit = get_object_or_404(Organisation, pk=pk)
    if not can_see_unit(request.user, year, unit):
        raise Http404
    return unit


def _is_staff(user: Any, year: CultivationYear) -> bool:
    return is_province_office(user) or lead_bureaus(user, year).exists()


# ------------------------------------------------------------------------------------------------ overview


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """验收与经费: every visible unit's grading, acceptance, passing counts and money posted."""
    year = _year(request)
    own = training_unit_of(request.user)
    if own is not None:
        return redirect("cultivation:results_grading", unit=own.pk)
    if not _is_staff(request.user, year):
        raise PermissionDenied
    return render(request, "cultivation/results/home.html", {
        "year": year, "rows": overview(request.user, year), "office": is_province_office(request.user),
        "years": CultivationYear.objects.order_by("-year")})


# ------------------------------------------------------------------------------------------------ trainee


@role_required(Role.TRAINEE)
def mine(request: HttpRequest) -> HttpResponse:
    rows = [{"enrolment": e, "answered": answered_satisfaction(e), "open": survey_open(e.year)}
            for e in my_enrolments(request.user)]
    return render(request, "cultivation/results/mine.html", {"rows": rows})
