"""统计看板 for the office, province, district and park roles, and the public statistics page of the portal."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.params import id_param
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.dashboards import public, snapshots
from jiangxin.platform.dashboards.charts import Chart
from jiangxin.platform.dashboards.exports import chart_xlsx
from jiangxin.platform.dashboards.forms import DashboardFilterForm
from jiangxin.platform.dashboards.queries import (
    Filters,
    academy_charts,
    application_charts,
    funding_chart,
    grade_chart,
    jiangsu_charts,
    naming_chart,
    park_chart,
)
from jiangxin.platform.rounds.catalog import declaration

DASHBOARD_ROLES = (Role.OFFICE, Role.DISTRICT, Role.PARK_OFFICE)


def _programs(user: Any) -> list[Any]:
    from jiangxin.platform.rounds.models import Program

    org = getattr(user, "organisation", None)
    qs = Program.objects.order_by("pk")
    return list(qs.filter(jurisdiction=org.jurisdiction)) if org is not None else []


def _sections(user: Any, f: Filters, programs: list[Any]) -> list[tuple[str, list[Chart]]]:
    titles = {p.key: p.title for p in programs}
    objs = {p.key: p for p in programs}
    sections: list[tuple[str, list[Chart]]] = [
        (_("申报与评审"), [*application_charts(user, f, titles), naming_chart(user, f, titles, objs)]),
        (_("资金"), [funding_chart(user, f, list(titles))]),
        (_("年度考核"), [grade_chart(user, f)]),
    ]
    # the sections of the features the shown programs use (``features`` in their platform.yaml)
    features = {feature for p in programs if f.program in ("", p.key) for feature in declaration(p.key).features}
    if "online_academy" in features:
        sections.append((_("工匠学院"), academy_charts(user, f)))
    if "cultivation_year" in features:
        sections.append((_("江苏卓越技师培育"), jiangsu_charts(user, f)))
    if "residency" in features:
        sections.append((_("技能大师产业创新园"), [park_chart(user)]))
    return sections


def _extra_scope(user: Any) -> list[int]:
    """What the reader's data scope holds beyond role and organisation: the city bureaus a city lead
    (市级负责人) leads (``cultivation.access.visible_enrolments`` adds their training units' trainees)."""
    from jiangxin.platform.cultivation.models import CityLead

    return sorted(set(CityLead.objects.filter(user=user).values_list("city_bureau_id", flat=True)))


def _years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this + 1, this - 6, -1))


def _caption(f: Filters, titles: dict[str, str], html: bool = False) -> str:
    """The filters in words; ``html``: the program's and district's names marked as data (registry names)."""
    def data(name: str) -> str:
        return format_html('<span class="data">{}</span>', name) if html else name

    parts = [_("%(y)s年") % {"y": f.year} if f.year else _("全部年度"),
             data(titles[f.program]) if f.program in titles else _("全部项目"),
             data(f.district.name) if f.district is not None else _("全部县区")]
    if html:
        return format_html_join(" · ", "{}", ((p,) for p in parts))
    return " · ".join(parts)


@role_required(*DASHBOARD_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    programs = _programs(request.user)
    titles = {p.key: p.title for p in programs}
    form = DashboardFilterForm(request.GET or None, user=request.user, years=_years(), programs=titles)
    f = form.filters()
    user = request.user
    sections, computed = snapshots.kept(
        {"page": "dashboard", "role": getattr(user, "role", ""), "org": getattr(user, "organisation_id", None),
         "leads": _extra_scope(user), "year": f.year, "program": f.program,
         "district": f.district.pk if f.district is not None else None},
        lambda: _sections(user, f, programs))
    return render(request, "dashboards/dashboard.html", {
        "form": form, "sections": sections, "caption": _caption(f, titles, html=True), "query": request.GET.urlencode(),
        "computed": computed, "refresh_minutes": snapshots.seconds() // 60, "specs": [c.spec() for _t, charts in sections for c in charts if not c.empty]})


@role_required(*DASHBOARD_ROLES)
def export(request: HttpRequest, key: str) -> HttpResponse:
    programs = _programs(request.user)
    titles = {p.key: p.title for p in programs}
    form = DashboardFilterForm(request.GET or None, user=request.user, years=_years(), programs=titles)
    f = form.filters()
    for _t, charts in _sections(request.user, f, programs):
        for chart in charts:
            if chart.key == key:
                return _xlsx(chart, _caption(f, titles))
    raise Http404


def _xlsx(chart: Chart, caption: str) -> HttpResponse:
    response = HttpResponse(chart_xlsx(chart, caption),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="statistics-{chart.key}.xlsx"'
    return response


def _public_year(request: HttpRequest) -> int | None:
    """The public page's year: one the page offers (``_years``), else None (all years). Anyone may ask, so an
    arbitrary year would mean a fresh computation and a new snapshot per value."""
    chosen = id_param(request.GET.get("year"))
    return chosen if chosen in _years() else None


def _public_charts(year: int | None) -> tuple[list[Chart], Any]:
    return snapshots.kept({"page": "public", "year": year}, lambda: public.charts(year))


def public_statistics(request: HttpRequest) -> HttpResponse:
    chosen = _public_year(request)
    charts, computed = _public_charts(chosen)
    return render(request, "dashboards/public.html", {
        "charts": charts, "years": _years(), "year": "" if chosen is None else str(chosen),
        "query": request.GET.urlencode(), "computed": computed, "refresh_minutes": snapshots.seconds() // 60,
        "specs": [c.spec() for c in charts if not c.empty]})


def public_export(request: HttpRequest, key: str) -> HttpResponse:
    chosen = _public_year(request)
    charts, _computed = _public_charts(chosen)  # the page's snapshot: an export computes nothing again
    for chart in charts:
        if chart.key == key:
            return _xlsx(chart, _("%(y)s年") % {"y": chosen} if chosen is not None else _("全部年度"))
    raise Http404
