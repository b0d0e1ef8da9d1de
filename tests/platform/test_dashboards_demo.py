"""The dashboards on the demo data: the academy and Jiangsu charts equal the numbers of their own list pages and
services (trainees, new courses per academy against 第十条's five, enrolments, per-head funding posted), and every
staff role's dashboard answers within the query bound."""

from __future__ import annotations

import io
from typing import Any

import fixtures_apps
import pytest
from django.core.management import call_command
from django.test import Client

from jiangxin.platform.accounts.models import User

pytestmark = pytest.mark.django_db
media = fixtures_apps.media


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _charts(response: Any) -> dict[str, Any]:
    return {c.key: c for _title, charts in response.context["sections"] for c in charts}


def test_academy_and_jiangsu_charts_equal_their_sources_on_the_demo(media: Any,
                                                                    django_assert_max_num_queries: Any) -> None:
    from jiangxin.platform.academy.facts import NEW_COURSES_PER_YEAR, new_course_count
    from jiangxin.platform.academy.services import visible_trainees
    from jiangxin.platform.cultivation.access import visible_enrolments
    from jiangxin.platform.cultivation.models import CultivationYear, Enrolment
    from jiangxin.platform.cultivation.services_results import posted_entries
    from jiangxin.platform.orgs.models import Organisation

    call_command("load_programs", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())

    nc = _charts(_client("demo_office_nc").get("/dashboards/"))
    trainees = nc["academy-people"]
    assert sum(trainees.series[0].values) == visible_trainees(User.objects.get(username="demo_office_nc")).count()
    courses = nc["academy-courses"]
    assert courses.categories and set(courses.series[1].values) == {NEW_COURSES_PER_YEAR}
    for label, count in zip(courses.categories, courses.series[0].values, strict=True):
        name, year = label.rsplit(" ", 1)
        assert count == new_course_count(Organisation.objects.get(name=name).pk, int(year))

    js_user = User.objects.get(username="demo_office_js")
    js = _charts(_client("demo_office_js").get("/dashboards/"))
    year = CultivationYear.objects.order_by("-year").first()
    assert sum(js["js-unit"].series[0].values) == visible_enrolments(js_user, year).count()
    assert sum(js["js-city"].series[0].values) == visible_enrolments(js_user, year).count()
    funding = js["js-funding"]
    for unit_name, passing, money in zip(funding.categories, *(s.values for s in funding.series), strict=True):
        unit = Organisation.objects.get(name=unit_name)
        assert money == posted_entries(year, unit).balance()
        assert passing == Enrolment.objects.filter(year=year, major__training_unit=unit, passed=True).count()

    for username in ("demo_office_nc", "demo_office_zj", "demo_park_zj", "demo_office_gz", "demo_office_js",
                     "demo_lead_js", "demo_district_nc", "demo_district_gz"):
        client = _client(username)
        with django_assert_max_num_queries(40):
            assert client.get("/dashboards/").status_code == 200
