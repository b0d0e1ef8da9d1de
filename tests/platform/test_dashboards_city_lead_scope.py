"""The statistics snapshot is shared only by readers who see the same data: a city lead (市级负责人) also sees the
trainees of the training units located in the city, so a colleague of the same bureau who is not the lead must
never be served the lead's snapshot (nor the lead the colleague's)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from cultivation_helpers import make_person, make_year
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from jiangxin.platform.cultivation.access import visible_enrolments
from jiangxin.platform.cultivation.models import Enrolment, EnrolmentStatus

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _total(response: Any, key: str) -> int:
    for _title, charts in response.context["sections"]:
        for chart in charts:
            if chart.key == key:
                return sum(chart.series[0].values)
    raise AssertionError(f"no chart {key}")


def test_city_staff_are_not_served_the_city_leads_statistics_snapshot(settings: Any) -> None:
    call_command("load_programs", stdout=io.StringIO())
    y = make_year(n_a=2, n_b=1)
    # a 苏州 trainee at the 南京 training unit: the 南京 lead sees the enrolment, other 南京 staff do not
    person = make_person(9001, y.employer)
    Enrolment.objects.create(year=y.year, designation=y.enrolments_a[0].designation, person=person, track="A",
                             employer=y.employer, home_city=y.other_city, major=y.majors[0], remote=False,
                             chosen_at=dt.datetime(y.year.year, 2, 1, 9, 0, tzinfo=dt.UTC), mentor=y.mentor,
                             status=EnrolmentStatus.ENROLLED)
    lead_sees = visible_enrolments(y.lead, y.year).count()
    staff_sees = visible_enrolments(y.city_staff, y.year).count()
    assert lead_sees == staff_sees + 1

    settings.JIANGXIN_STATS_CACHE_SECONDS = 300
    cache.clear()
    assert _total(_client(y.lead).get("/dashboards/"), "js-city") == lead_sees
    assert _total(_client(y.city_staff).get("/dashboards/"), "js-city") == staff_sees
    cache.clear()
    assert _total(_client(y.city_staff).get("/dashboards/"), "js-city") == staff_sees
    assert _total(_client(y.lead).get("/dashboards/"), "js-city") == lead_sees
