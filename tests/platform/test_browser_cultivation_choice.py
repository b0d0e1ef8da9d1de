"""Real browser (Debian's Chromium via Playwright): a trainee logs in, opens the cultivation page, sees the
training units of their own city first, shows all, chooses a unit and major in another city and sees the
confirmation with the remote (theory online) note; the choice is stored once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from browser import MARKS, chromium

pytestmark = MARKS


@pytest.fixture
def choosing() -> dict[str, Any]:
    from cultivation_helpers import PASSWORD, make_person, make_year
    from django.utils import timezone

    from jiangxin.platform.accounts.models import User
    from jiangxin.platform.accounts.roles import Role
    from jiangxin.platform.cultivation.models import Enrolment, YearStatus

    y = make_year(n_a=2, n_b=1)
    y.year.status = YearStatus.CHOOSING
    y.year.choice_closes_on = timezone.localdate() + dt.timedelta(days=14)
    y.year.save()
    person = make_person(5501, y.employer)
    enrolment = Enrolment.objects.create(year=y.year, person=person, track="A", employer=y.employer,
                                         home_city=y.city)
    user = User(username="trainee_choice", role=Role.TRAINEE, organisation=y.city, person=person,
                must_change_password=False, display_name=person.name)
    user.set_password(PASSWORD)
    user.save()
    return {"y": y, "enrolment": enrolment, "password": PASSWORD}


def test_trainee_chooses_a_training_unit_and_major(live_server: Any, choosing: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    from jiangxin.platform.audit.models import AuditEvent

    y = choosing["y"]
    with chromium() as browser:
        try:
            page = browser.new_page(locale="zh-CN")
            page.set_default_timeout(30000)
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=username]", "trainee_choice")
            page.fill("input[name=password]", choosing["password"])
            page.click("main button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login" not in url)
            page.goto(f"{live_server.url}/cultivation/")
            expect(page.locator("h1")).to_contain_text("卓越技师培育")
            page.click("#choose-link")
            # local units only at first; the other city's major appears when showing all
            expect(page.locator("#choose-form")).to_contain_text("焊接技术")
            expect(page.locator("#choose-form")).not_to_contain_text("数控加工")
            expect(page.locator("main")).to_contain_text("理论学习可线上参加")
            page.click("text=显示全部（含外市）")
            expect(page.locator("#choose-form")).to_contain_text("数控加工")
            page.check(f"#major-{y.other_major.pk}")
            page.click("#choose-form button[type=submit]")
            expect(page.locator(".messages")).to_contain_text("已选定")
            expect(page.locator("#my-choice")).to_contain_text(y.other_unit.name)
            expect(page.locator("#my-choice")).to_contain_text("异地参训")
        finally:
            browser.close()
    enrolment = choosing["enrolment"]
    enrolment.refresh_from_db()
    assert enrolment.major == y.other_major and enrolment.remote
    assert AuditEvent.objects.filter(action="cultivation.choose").count() == 1
