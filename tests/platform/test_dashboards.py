"""统计看板: every chart with its table, inside the user's data scope, equal to the list pages, a bounded number of
queries, XLSX exports with neutralised formulas, and the public statistics without personal data."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal
from typing import Any

import fixtures_apps
import pytest
from django.test import Client
from openpyxl import load_workbook
from pub_helpers import application

from jiangxin.platform.dashboards.exports import safe_cell
from jiangxin.platform.orgs.models import Category, Level, Organisation

media = fixtures_apps.media
world = fixtures_apps.world
pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world: Any) -> Any:
    """Studio applications in two districts (one rejected), two designations and their money."""
    from jiangxin.platform.designations import services as desig
    from jiangxin.platform.ledger import services as ledger
    from jiangxin.platform.ledger.models import EntryKind

    rng = random.Random(3)
    world.orgs["unit_a2"] = fixtures_apps._member("东湖二厂", world.orgs["donghu"], rng, "360102")
    world.orgs["unit_a3"] = fixtures_apps._member("东湖三厂", world.orgs["donghu"], rng, "360102")
    rnd = world.rounds["studio"]
    application(world, rnd, title="东湖甲工作室")
    application(world, rnd, title="东湖乙工作室", org="unit_a2", status="submitted")
    application(world, rnd, title="西湖工作室", org="unit_b", user="unit_b", status="rejected")
    application(world, rnd, title="东湖草稿", org="unit_a3", status="draft")
    office = world.users["office_nc"]
    d1 = desig.designate(program="nanchang_studio", name="东湖甲工作室", on=dt.date(rnd.year, 6, 1), actor=office,
                         holder_org=world.orgs["unit_a"], year=rnd.year)
    d2 = desig.designate(program="nanchang_studio", name="西湖工作室", on=dt.date(rnd.year, 6, 1), actor=office,
                         holder_org=world.orgs["unit_b"], year=rnd.year)
    ledger.set_budget("nanchang_studio", rnd.year, Decimal("500000.00"), actor=office)
    for d, amount in ((d1, "300000.00"), (d2, "300000.00")):
        ledger._entry(d, year=rnd.year, kind=EntryKind.TRANCHE, amount=Decimal(amount), citation="第十条",
                      reason="测试", outcome={}, actor=office).save()
    ledger._entry(d2, year=rnd.year, kind=EntryKind.CLAWBACK, amount=Decimal("-100000.00"), citation="第十二条",
                  reason="测试", outcome={}, actor=office).save()
    return world


def _chart(response: Any, key: str) -> Any:
    for _title, charts in response.context["sections"]:
        for chart in charts:
            if chart.key == key:
                return chart
    raise AssertionError(f"no chart {key}")


def test_office_sees_every_chart_with_its_table_and_the_chart_data(data: Any) -> None:
    page = data.client("office_nc").get("/dashboards/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="dashboard-data"' in text and "dashboards/echarts/echarts.min.js" in text
    assert "<script>" not in text.replace('<script id="dashboard-data" type="application/json">', "")
    funnel = _chart(page, "funnel")
    assert funnel.series[0].values == [3, 1, 0]  # the draft is not counted; no designation came from a case yet
    district = _chart(page, "district")
    assert dict(zip(district.categories, district.series[0].values, strict=True)) == {"东湖区总工会": 2, "西湖区总工会": 1}
    assert 'data-table="district"' in text


def test_dashboard_numbers_equal_the_list_pages(data: Any) -> None:
    from jiangxin.platform.ledger.services import entries_for

    office = data.client("office_nc")
    page = office.get("/dashboards/", {"program": "nanchang_studio"})
    status = _chart(page, "status")
    by_status = dict(zip(status.categories, status.series[0].values, strict=True))
    for value, label in (("submitted", "已提交"), ("recommended", "初审通过"), ("rejected", "未通过")):
        listed = office.get("/applications/", {"status": value}).context["applications"]
        assert by_status[label] == len(listed)
    assert sum(status.series[0].values) == len(office.get("/applications/").context["applications"])
    naming = _chart(page, "naming")
    directory = office.get("/designations/", {"program": "nanchang_studio"}).context["designations"]
    assert sum(naming.series[0].values) == len(directory) == 2
    assert naming.series[1].values == [10]  # the round's quota
    funding = _chart(page, "funding")
    budget, committed, paid, recovered = (s.values[0] for s in funding.series)
    assert budget == Decimal("500000.00") and committed == Decimal("600000.00") and paid == Decimal("0.00")
    assert recovered == Decimal("100000.00")
    assert committed - recovered == entries_for(data.users["office_nc"]).balance()


def test_a_district_sees_only_its_own_and_no_budget(data: Any) -> None:
    page = data.client("district_donghu").get("/dashboards/")
    assert page.status_code == 200
    district = _chart(page, "district")
    assert district.categories == ["东湖区总工会"] and district.series[0].values == [2]
    funding = _chart(page, "funding")
    assert funding.series[0].values == [Decimal("0.00")] and funding.series[1].values == [Decimal("300000.00")]


def test_filters_by_year_program_and_district_stay_inside_the_scope(data: Any) -> None:
    office = data.client("office_nc")
    xihu = data.orgs["xihu"]
    page = office.get("/dashboards/", {"district": xihu.pk, "year": data.rounds["studio"].year})
    assert sum(_chart(page, "status").series[0].values) == 1
    other = Organisation.objects.filter(level=Level.DISTRICT).exclude(path__startswith=data.orgs["nanchang"].path).first()
    refused = office.get("/dashboards/", {"district": other.pk})
    assert "district" in refused.context["form"].errors
    # the foreign district is refused; the page keeps to the user's own scope (never the other city's data)
    assert sum(_chart(refused, "status").series[0].values) == 3


@pytest.mark.parametrize("user", ["office_nc", "office_js", "district_donghu", "park"])
def test_each_staff_role_has_a_dashboard_in_its_navigation_with_bounded_queries(data: Any, user: str,
                                                                                 django_assert_max_num_queries: Any
                                                                                 ) -> None:
    client = data.client(user)
    assert 'href="/dashboards/"' in client.get("/").content.decode() or \
        'href="/dashboards/"' in client.get("/", follow=True).content.decode()
    with django_assert_max_num_queries(40):
        assert client.get("/dashboards/").status_code == 200


@pytest.mark.parametrize("user", ["unit_a", "indiv_1", "expert", "sysadmin"])
def test_other_roles_have_no_dashboard(data: Any, user: str) -> None:
    assert data.client(user).get("/dashboards/").status_code == 403


def test_xlsx_export_has_the_table_and_neutralises_formulas(data: Any) -> None:
    evil = Organisation(name="=HYPERLINK(\"x\")区总工会", level=Level.DISTRICT, category=Category.UNION,
                        jurisdiction=data.orgs["nanchang"].jurisdiction, parent=data.orgs["nanchang"])
    evil.save()
    unit = Organisation(name="某公司", level=Level.MEMBER, category=Category.ENTERPRISE,
                        jurisdiction=evil.jurisdiction, parent=evil)
    unit.save()
    data.orgs["evil_unit"] = unit
    application(data, data.rounds["studio"], title="恶意", org="evil_unit")
    response = data.client("office_nc").get("/dashboards/export/district.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [row[0] for row in ws.iter_rows(values_only=True)]
    assert "'=HYPERLINK(\"x\")区总工会" in values and "合计" in values
    assert next(row for row in ws.iter_rows(values_only=True) if row[0] == "合计")[1] == 4
    assert data.client("office_nc").get("/dashboards/export/nope.xlsx").status_code == 404
    assert [safe_cell(v) for v in ("+1", "-1", "@a", "a=b", 5)] == ["'+1", "'-1", "'@a", "a=b", 5]


def test_public_statistics_show_counts_without_names(data: Any) -> None:
    page = Client().get("/public/statistics/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "东湖甲工作室" not in text and "西湖工作室" not in text
    named = page.context["charts"][0]
    assert sum(named.series[0].values) == 2
    assert Client().get("/public/statistics/export/public-named.xlsx").status_code == 200


def test_dashboard_and_calendar_pages_in_english(data: Any) -> None:
    from django.conf import settings

    client = data.client("office_nc")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/dashboards/").content.decode()
    assert "<h1>Dashboard</h1>" in html and "Applications by district" in html and "Unit: applications" in html
    assert "Export to Excel" in html and "单位" not in html
    admin = data.client("sysadmin")
    admin.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = admin.get("/calendar/").content.decode()
    assert "<h1>Working-day calendar</h1>" in html and "Enter a new year" in html


def test_a_rate_over_nobody_is_shown_as_a_dash_not_zero() -> None:
    from jiangxin.platform.dashboards.charts import Chart, Series, percent
    from jiangxin.platform.dashboards.templatetags.dashboards import num

    assert percent(0, 0) is None and percent(9, 11) == Decimal("81.82")
    chart = Chart("r", "r", "bar", ["a", "b"], [Series("rate", [percent(1, 2), percent(0, 0)])])
    assert chart.spec()["series"][0]["values"] == [50.0, None]
    assert [num(v) for v in chart.series[0].values] == ["50.00", "—"]
    assert num(1234567) == "1,234,567" and num(Decimal("1234.5")) == "1,234.50"


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_statistics_are_kept_a_few_minutes_per_scope_and_say_when_they_were_computed(data: Any, settings: Any) -> None:
    from django.core.cache import cache

    settings.JIANGXIN_STATS_CACHE_SECONDS = 300
    cache.clear()
    office, district = data.client("office_nc"), data.client("district_donghu")
    office.get("/healthz")  # warm: session, content types, translations
    first = _queries(office, "/dashboards/")
    again = _queries(office, "/dashboards/")
    assert again < first - 5  # the aggregates come from the snapshot
    page = office.get("/dashboards/").content.decode()
    assert "数据统计于" in page and "每 5 分钟更新" in page
    # another scope, another filter: computed for them, never the office's numbers
    funnel = _chart(district.get("/dashboards/"), "funnel")
    assert funnel.series[0].values[0] == 2  # 东湖's two applications, not the office's three
    last_year = dt.date.today().year - 1
    assert _queries(office, f"/dashboards/?year={last_year}") > again
    public_first = _queries(Client(), "/public/statistics/")
    assert _queries(Client(), "/public/statistics/") < public_first
    assert "数据统计于" in Client().get("/public/statistics/").content.decode()


def test_statistics_are_computed_on_every_request_when_the_snapshot_time_is_zero(data: Any, settings: Any) -> None:
    settings.JIANGXIN_STATS_CACHE_SECONDS = 0
    office = data.client("office_nc")
    office.get("/dashboards/")  # warm: session, content types, translations
    assert _queries(office, "/dashboards/") == _queries(office, "/dashboards/")
    assert "每 " not in office.get("/dashboards/").content.decode().split("数据统计于")[1][:40]


def test_public_statistics_take_only_the_years_they_offer_and_exports_reuse_the_snapshot(
        data: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Anyone may ask: a year the page does not offer (or a huge number) is read as all years, so random values
    cannot force a fresh computation and a new snapshot each; an export is served from the page's snapshot."""
    from django.core.cache import cache

    from jiangxin.platform.dashboards import public

    settings.JIANGXIN_STATS_CACHE_SECONDS = 300
    cache.clear()
    computed: list[int | None] = []
    charts = public.charts
    monkeypatch.setattr(public, "charts", lambda year: computed.append(year) or charts(year))
    for year in ("", "1999", "2087", "99999999999999999999", "-1", "abc"):
        assert Client().get("/public/statistics/", {"year": year}).status_code == 200
    assert computed == [None]
    this_year = dt.date.today().year
    assert Client().get("/public/statistics/", {"year": this_year}).status_code == 200
    assert Client().get("/public/statistics/export/public-named.xlsx", {"year": this_year}).status_code == 200
    assert Client().get("/public/statistics/export/public-named.xlsx", {"year": "2087"}).status_code == 200
    assert computed == [None, this_year]
