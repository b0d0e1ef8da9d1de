"""Query budget of the key list pages (issue 14): no page runs more than ``BUDGET`` queries, and the number of
queries does not grow with the number of rows (each page is measured with 5 rows and with 60 rows and must run
the same number of queries). Every list is paginated (at most ``PAGE_MAX`` rows a page) and its next-page link
works.

No timings here (they belong in bench/): the number of queries is what a unit test can hold steady.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import fixtures_apps
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from fixtures_apps import World

from jiangxin.platform.academy.models import Trainee
from jiangxin.platform.api.services import create_token
from jiangxin.platform.applications.models import Application, Status
from jiangxin.platform.designations.models import Designation, DesignationStatus, Kind
from jiangxin.platform.orgs.models import Category, Level, Organisation
from jiangxin.platform.people.models import Person
from jiangxin.platform.portal.models import ListingKind, PublicListing

pytestmark = pytest.mark.django_db
media = fixtures_apps.media
world = fixtures_apps.world

#: no key page runs more queries than this
BUDGET = 15
#: no list shows more rows than this on one page
PAGE_MAX = 50


def _members(w: World, parent: str, n: int, start: int) -> list[Organisation]:
    out = []
    for i in range(start, start + n):
        org = Organisation(name=f"预算测试单位{i:03d}", level=Level.MEMBER, category=Category.ENTERPRISE,
                           jurisdiction=w.orgs[parent].jurisdiction, parent=w.orgs[parent])
        org.save()
        out.append(org)
    return out


class Rows:
    """Adds ``n`` more rows of every listed kind (the rows are shown on the pages measured below)."""

    def __init__(self, w: World) -> None:
        self.w = w
        self.done = 0

    def grow_to(self, n: int) -> None:
        more = n - self.done
        w = self.w
        orgs = _members(w, "donghu", more, self.done)
        today = timezone.localdate()
        academy = w.orgs["donghu"]
        Person.objects.bulk_create(
            Person(name=f"预算{i:03d}", sex="male", birth_date=dt.date(1980, 1, 1), id_cipher="x",
                   id_hash=f"budget-{i}", id_mask="3601**********0011", employer=orgs[i - self.done])
            for i in range(self.done, n))
        Trainee.objects.bulk_create(
            Trainee(academy=academy, name=f"学员{i:03d}", id_hash=f"t-{i}", id_mask="3601**********0011",
                    birth_date=dt.date(1990, 1, 1), sex="male", major="数控车工", session_code=f"QB-2026-{i:03d}",
                    start_date=today - dt.timedelta(days=30), end_date=today - dt.timedelta(days=i % 20))
            for i in range(self.done, n))
        Application.objects.bulk_create(
            Application(round=w.rounds["studio"], kind="unit", title=f"预算申报{i:03d}",
                        applicant_org=orgs[i - self.done], applicant_user=w.users["unit_a"], status=Status.SUBMITTED,
                        submitted_at=timezone.now(), facts={"big": "x" * 2000}, details={"big": "y" * 2000},
                        eligibility={"status": "eligible", "failures": []}, eligibility_status="eligible")
            for i in range(self.done, n))
        Designation.objects.bulk_create(
            Designation(program="nanchang_studio", kind=Kind.NAMED, name=f"预算工作室{i:03d}",
                        holder_org=orgs[i - self.done], scope_org=orgs[i - self.done], year=today.year,
                        designated_on=today, certificate_no=f"QB{i:05d}", status=DesignationStatus.ACTIVE)
            for i in range(self.done, n))
        PublicListing.objects.bulk_create(
            PublicListing(kind=ListingKind.STUDIO,
                          source_key=f"budget-{i}", name=f"预算名录{i:03d}", organisation=orgs[i - self.done],
                          status="有效", since=today)
            for i in range(self.done, n))
        self.done = n


def _api_client(w: World, user: str) -> Callable[[str], Any]:
    plain = create_token(w.users[user], "budget")[1]
    return lambda url: Client().get(url, HTTP_AUTHORIZATION=f"Bearer {plain}")


def _page_client(w: World, user: str) -> Callable[[str], Any]:
    client = w.client(user)
    return client.get


PAGES: list[tuple[str, str, str, Callable[[World, str], Callable[[str], Any]]]] = [
    ("people list", "office_nc", "/people/", _page_client),
    ("people search", "office_nc", "/people/?q=预算", _page_client),
    ("trainee list", "office_nc", "/academy/trainees/", _page_client),
    ("trainee search", "office_nc", "/academy/trainees/?q=QB-2026", _page_client),
    ("applications submitted", "office_nc", "/applications/?status=submitted", _page_client),
    ("designations by program", "office_nc", "/designations/?program=nanchang_studio", _page_client),
    ("my tasks office", "office_nc", "/", _page_client),
    ("my tasks district", "district_donghu", "/", _page_client),
    ("api applications", "office_nc", "/api/v1/applications?status=submitted", _api_client),
    ("ledger", "office_nc", "/ledger/", _page_client),
    ("portal directory", "office_nc", "/public/directory/", _page_client),
]


@pytest.fixture(autouse=True)
def _nav_cache(settings: Any) -> None:
    settings.JIANGXIN_NAV_CACHE_SECONDS = 30  # as in production


def _count(get: Callable[[str], Any], url: str) -> int:
    cache.clear()  # every measurement from a cold cache: the budget holds for the first request too
    with CaptureQueriesContext(connection) as ctx:
        response = get(url)
    assert response.status_code == 200, (url, response.status_code)
    if __import__("os").environ.get("QDUMP"):
        for q in ctx.captured_queries:
            print("   ", q["sql"][:230])
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("label", "user", "url", "make"), PAGES, ids=[p[0] for p in PAGES])
def test_page_stays_within_budget_whatever_the_number_of_rows(world: World, label: str, user: str, url: str,
                                                               make: Any) -> None:
    rows = Rows(world)
    get = make(world, user)
    rows.grow_to(5)
    get(url)  # warm: sessions, content types, translations
    few = _count(get, url)
    rows.grow_to(60)
    many = _count(get, url)
    print(label, few, many)
    assert many == few, f"{label}: {few} queries with 5 rows, {many} with 60"
    assert many <= BUDGET, f"{label}: {many} queries"
