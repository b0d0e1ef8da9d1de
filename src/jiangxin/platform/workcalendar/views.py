"""工作日日历: every staff member sees which years are known; the system administrator enters new years."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.workcalendar import services
from jiangxin.platform.workcalendar.forms import CalendarYearForm
from jiangxin.platform.workcalendar.models import CalendarYear
from jiangxin.policy.workdays import known_years


@login_required
def year_list(request: HttpRequest) -> HttpResponse:
    package = known_years()
    return render(request, "workcalendar/year_list.html", {
        "entered": CalendarYear.objects.select_related("entered_by"),
        "package_first": package[0], "package_last": package[-1],
        "missing_year": request.GET.get("year", "")[:4] if request.GET.get("year", "").isdecimal() else "",
        "can_edit": getattr(request.user, "role", "") == Role.SYSTEM_ADMIN,
    })


def _form_page(request: HttpRequest, row: CalendarYear | None) -> HttpResponse:
    initial = {}
    if row is not None:
        initial = {"year": row.year, "notice_reference": row.notice_reference,
                   "holidays": "\n".join(row.holidays), "makeup_workdays": "\n".join(row.makeup_workdays)}
    elif request.GET.get("year", "").isdecimal():
        initial = {"year": int(request.GET["year"])}
    form = CalendarYearForm(request.POST or None, initial=initial,
                            editing_year=row.year if row is not None else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = services.save_year(actor=request.user, year=data["year"], notice_reference=data["notice_reference"],
                                   holidays=data["holidays"], makeup_workdays=data["makeup_workdays"])
        messages.success(request, _("%(y)s年的工作日日历已保存，按工作日计算的期限即刻按此日历计算。") % {"y": saved.year})
        return redirect("workcalendar:year_list")
    return render(request, "workcalendar/year_form.html", {"form": form, "row": row})


@role_required(Role.SYSTEM_ADMIN)
def year_create(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@role_required(Role.SYSTEM_ADMIN)
def year_edit(request: HttpRequest, year: int) -> HttpResponse:
    row = CalendarYear.objects.filter(year=year).first()
    if row is None:
        raise Http404
    return _form_page(request, row)
