"""Public statistics (公开统计): counts only, no names — what the published naming lists already show in total."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from jiangxin.platform.dashboards.charts import Chart, Series


def charts(year: int | None) -> list[Chart]:
    from jiangxin.platform.applications.models import Application, Status
    from jiangxin.platform.designations.models import Designation
    from jiangxin.platform.rounds.models import Program

    titles = dict(Program.objects.values_list("key", "title"))
    named = Designation.objects.all()
    apps = Application.objects.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
    if year:
        named = named.filter(year=year)
        apps = apps.filter(round__year=year)
    n_rows = list(named.order_by().values_list("program", "year").annotate(n=Count("id")).order_by("program", "year"))
    a_rows = list(apps.order_by().values_list("round__program__key", "round__year").annotate(n=Count("id"))
                  .order_by("round__program__key", "round__year"))
    return [
        Chart("public-named", _("各项目历年命名/入选数"), "bar",
              [f"{titles.get(k, k)} {y}" for k, y, _n in n_rows], [Series(_("命名/入选数"), [n for _k, _y, n in n_rows])],
              unit=_("单位：个"), data_categories=True),
        Chart("public-applications", _("各项目历年受理申报数"), "bar",
              [f"{titles.get(k, k)} {y}" for k, y, _n in a_rows], [Series(_("申报数"), [n for _k, _y, n in a_rows])],
              note=_("不含草稿和撤回的申报。"), unit=_("单位：件"), data_categories=True),
    ]
