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
#: "my tasks" asks every app for its open items: this many queries when the user's tasks are not in the cache
#: (the first page after a state change or after the short cache time); BUDGET once they are
TASKS_COLD_BUDGET = 20


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
    assert many == few, f"{label}: {few} queries with 5 rows, {many} with 60"
    if label.startswith("my tasks"):
        assert many <= TASKS_COLD_BUDGET, f"{label}: {many} queries"
        with CaptureQueriesContext(connection) as ctx:  # the same user again: tasks and navigation cached
            assert get(url).status_code == 200
        many = len(ctx.captured_queries)
    assert many <= BUDGET, f"{label}: {many} queries"


def test_navigation_and_tasks_are_computed_once_and_recomputed_after_a_transition(
        world: World, django_capture_on_commit_callbacks: Any) -> None:
    rows = Rows(world)
    rows.grow_to(5)
    client = world.client("office_nc")
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    unread = [q for q in first.captured_queries if "notifications_notification" in q["sql"] and "COUNT" in q["sql"]]
    assert len(unread) == 1  # the navigation is built once although the page shows it twice
    with CaptureQueriesContext(connection) as cached:
        client.get("/")
    assert len(cached.captured_queries) < len(first.captured_queries)
    from jiangxin.platform.notifications.services import notify

    with django_capture_on_commit_callbacks(execute=True):
        notify([world.users["office_nc"]], title="预算测试消息")
    page = client.get("/").content.decode()
    assert "1 条未读" in page  # a new notification starts a new cache generation


def test_a_plain_get_does_not_write_the_session(world: World) -> None:
    client = world.client("office_nc")
    client.get("/")  # the first page after signing in renews the session once
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/people/").status_code == 200
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))]
    assert writes == []


def test_session_is_renewed_once_the_renewal_interval_has_passed(world: World, settings: Any) -> None:
    settings.JIANGXIN_SESSION_RENEW_SECONDS = 0
    client = world.client("office_nc")
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/people/")
    assert any(q["sql"].startswith("UPDATE \"django_session\"") for q in ctx.captured_queries)


@pytest.mark.parametrize(("user", "url", "needle"), [
    ("office_nc", "/applications/?status=submitted", "预算申报"),
    ("office_nc", "/designations/?program=nanchang_studio", "预算工作室"),
    ("office_nc", "/academy/trainees/?q=QB-2026", "学员"),
    ("office_nc", "/people/?q=预算", "预算"),
])
def test_sixty_rows_are_paginated_and_the_next_page_link_works(world: World, user: str, url: str,
                                                                needle: str) -> None:
    Rows(world).grow_to(60)
    client = world.client(user)
    first = client.get(url).content.decode()
    shown = len(re.findall(needle + r"\d{3}", first))
    assert 0 < shown <= PAGE_MAX
    link = re.search(r'href="(\?[^"]*page=2[^"]*)"', first)
    assert link, "no link to the next page"
    second = client.get(url.split("?")[0] + link.group(1).replace("&amp;", "&")).content.decode()
    rest = len(re.findall(needle + r"\d{3}", second))
    assert rest > 0 and shown + rest <= 60 + 0
    assert set(re.findall(needle + r"\d{3}", first)).isdisjoint(re.findall(needle + r"\d{3}", second))


def test_api_list_is_paged_at_fifty(world: World) -> None:
    Rows(world).grow_to(60)
    get = _api_client(world, "office_nc")
    first = get("/api/v1/applications?status=submitted").json()
    second = get("/api/v1/applications?status=submitted&offset=50").json()
    assert len(first) == PAGE_MAX and len(second) == 10
    assert {a["id"] for a in first}.isdisjoint(a["id"] for a in second)
    assert get("/api/v1/applications?limit=51").status_code == 422


def test_a_count_beyond_the_exact_limit_is_labelled_approximate(world: World, monkeypatch: Any) -> None:
    from jiangxin.platform.core import paginate

    Rows(world).grow_to(30)
    monkeypatch.setattr(paginate, "EXACT_UP_TO", 20)
    cache.clear()
    page = world.client("office_nc").get("/academy/trainees/").content.decode()
    if connection.vendor == "postgresql":  # the planner's estimate, labelled as one
        assert re.search(r"约 [\d,]+ 条", page)
    else:  # SQLite: the exact count, kept in the cache and labelled as such
        assert "约 30 条" in page
    monkeypatch.setattr(paginate, "EXACT_UP_TO", 100)
    page = world.client("office_nc").get("/academy/trainees/").content.decode()
    assert "共 30 条" in page and "约" not in page.split("pagination")[-1]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")
def test_a_large_planner_estimate_is_shown_without_counting(world: World, monkeypatch: Any) -> None:
    from jiangxin.platform.core import paginate

    Rows(world).grow_to(30)
    monkeypatch.setattr(paginate, "ESTIMATE_TRUSTED_FROM", 1)  # any estimate is "large"
    client = world.client("office_nc")
    client.get("/academy/trainees/")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/academy/trainees/").content.decode()
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert re.search(r"约 [\d,]+ 条", page)
    monkeypatch.setattr(paginate, "ESTIMATE_TRUSTED_FROM", 10**9)  # a small estimate: counted exactly
    assert "共 30 条" in client.get("/academy/trainees/").content.decode()


@pytest.mark.parametrize("url", ["/academy/trainees/", "/people/"])
def test_pages_beyond_the_browsable_ones_lead_to_the_last_browsable_page(world: World, monkeypatch: Any,
                                                                          url: str) -> None:
    from jiangxin.platform.core import paginate

    Rows(world).grow_to(60)
    monkeypatch.setattr(paginate, "BROWSABLE_PAGES", 1)
    page = world.client("office_nc").get(f"{url}?page=2")
    text = page.content.decode()
    assert page.context["page"].number == 1 and not page.context["page"].has_next()
    assert "可翻阅前 1 页，请用筛选条件缩小范围" in text
    monkeypatch.setattr(paginate, "BROWSABLE_PAGES", 200)
    assert "可翻阅前" not in world.client("office_nc").get(url).content.decode()


def test_a_list_that_can_match_nothing_has_an_empty_first_page(world: World) -> None:
    from jiangxin.platform.core.paginate import CountedPaginator

    for rows in (Person.objects.none(), Person.objects.filter(pk__in=[])):
        page = CountedPaginator(rows.order_by("pk"), 50).get_page(1)
        assert page.paginator.count == 0 and list(page) == [] and not page.paginator.approximate
