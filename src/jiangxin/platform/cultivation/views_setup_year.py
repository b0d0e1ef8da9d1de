"""Views of the cultivation year's setup part, the year itself (province office): opening a year and managing it
(dates, city leads, phases, enrolment)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.cultivation import forms_setup as F
from jiangxin.platform.cultivation.access import is_province_office
from jiangxin.platform.cultivation.actions.enrolment import enrol, enrol_cohort
from jiangxin.platform.cultivation.actions.year import (
    advance_phase,
    assign_city_lead,
    open_year,
    set_year_dates,
)
from jiangxin.platform.cultivation.common_setup import PROGRAM
from jiangxin.platform.cultivation.models import CityLead, CultivationYear, Enrolment
from jiangxin.platform.cultivation.selectors.setup import city_bureaus, next_phase, phase_blockers
from jiangxin.platform.cultivation.views_setup import STAFF, _data, _expect

# ------------------------------------------------------------------------------------------------ the year (office)


@role_required(Role.OFFICE)
@require_http_methods(["GET", "POST"])
def year_open(request: HttpRequest) -> HttpResponse:
    if not is_province_office(request.user):
        raise PermissionDenied
    form = F.YearForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            year = open_year(request.user, **form.cleaned_data)
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(y)s学年已开设。") % {"y": year.year})
            return redirect("cultivation:year", pk=year.pk)
    return render(request, "cultivation/setup/year_open.html", {"form": form}, status=400 if form.errors else 200)


def _lead_users() -> Any:
    return (User.objects.filter(role__in=STAFF, is_active=True, organisation__in=city_bureaus())
            .select_related("organisation").order_by("organisation__path", "username"))


@role_required(Role.OFFICE)
@require_http_methods(["GET", "POST"])
def year_manage(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_province_office(request.user):
        raise PermissionDenied
    year = get_object_or_404(CultivationYear, pk=pk)
    designations = _designations_for(year)
    dates = F.YearDatesForm(initial={"choice_closes_on": year.choice_closes_on, "report_due_on": year.report_due_on})
    lead_form = F.CityLeadForm(bureaus=city_bureaus(), users=_lead_users())
    enrol_form = F.EnrolForm(designations=designations)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "dates":
                dates = F.YearDatesForm(request.POST)
                if dates.is_valid():
                    set_year_dates(request.user, year, **dates.cleaned_data)
                    messages.success(request, _("时间安排已保存。"))
                    return redirect("cultivation:year", pk=year.pk)
            elif action == "lead":
                lead_form = F.CityLeadForm(request.POST, bureaus=city_bureaus(), users=_lead_users())
                if lead_form.is_valid():
                    lead = assign_city_lead(request.user, year, **lead_form.cleaned_data)
                    messages.success(request, _("已指定 %(c)s 的市级负责人。") % {"c": lead.city_bureau.name})
                    return redirect("cultivation:year", pk=year.pk)
            elif action == "phase":
                advance_phase(request.user, year, expect=_expect(request))
                messages.success(request, _("已进入“%(s)s”阶段。") % {"s": year.get_status_display()})
                return redirect("cultivation:year", pk=year.pk)
            elif action == "cohort":
                result = enrol_cohort(request.user, year)
                messages.success(request, _("已纳入 %(n)s 人。") % {"n": len(result.created)})
                for line in [*result.refused, *result.skipped]:
                    messages.warning(request, line)
                return redirect("cultivation:year", pk=year.pk)
            elif action == "enrol":
                enrol_form = F.EnrolForm(request.POST, designations=designations)
                if enrol_form.is_valid():
                    d = enrol_form.cleaned_data
                    designation = d["designation"]
                    e = enrol(request.user, year, person=designation.holder_person, track=d["track"],
                                designation=designation,
                                received_former_chief_subsidy=d["received_former_chief_subsidy"],
                                former_subsidy_exception=d["former_subsidy_exception"])
                    messages.success(request, _("已纳入：%(e)s") % {"e": e})
                    return redirect("cultivation:year", pk=year.pk)
            else:
                raise PermissionDenied
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        status = 400
    enrolments = Enrolment.objects.filter(year=year).select_related("person", "home_city", "major",
                                                                     "major__training_unit", "designation")
    return render(request, "cultivation/setup/year.html", {
        "year": year, "dates": dates, "lead_form": lead_form, "enrol_form": enrol_form,
        "leads": CityLead.objects.filter(year=year).select_related("city_bureau", "user"),
        "blockers": phase_blockers(year), "next_phase": next_phase(year),
        "enrolments": enrolments, "bureaus": city_bureaus()}, status=status)


def _designations_for(year: CultivationYear) -> Any:
    from jiangxin.platform.designations.models import LIVE, Designation

    taken = Enrolment.objects.filter(year=year).values("person")
    return (Designation.objects.filter(program=PROGRAM, status__in=LIVE, holder_person__isnull=False,
                                       year__in=[year.year, year.year - 1])
            .exclude(holder_person__in=taken).select_related("holder_person"))
