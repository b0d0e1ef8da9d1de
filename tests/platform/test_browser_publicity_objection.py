"""Real browser (Debian's Chromium via Playwright): a member of the public, not logged in, opens the
publicity page, sees names with masked ID numbers and the window dates, tries an incomplete objection
(Chinese error, nothing stored) and then submits an anonymous one and gets a receipt number."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from browser import MARKS, chromium

pytestmark = MARKS


@pytest.fixture
def notice(settings: Any) -> Any:
    from django.utils import timezone

    from jiangxin.platform.accounts.models import User
    from jiangxin.platform.accounts.roles import Role
    from jiangxin.platform.applications.models import Application
    from jiangxin.platform.core.demo_fixtures import resident_id
    from jiangxin.platform.orgs.models import Jurisdiction, Organisation
    from jiangxin.platform.orgs.seed import seed_org_tree
    from jiangxin.platform.people.services import register_person
    from jiangxin.platform.publicity.services import open_notice
    from jiangxin.platform.review.models import Case
    from jiangxin.platform.rounds import services as round_services
    from jiangxin.platform.rounds.models import Program, Round, RoundStatus

    round_services.sync_programs()
    seed_org_tree()
    nc = Organisation.objects.get(name="南昌市总工会", jurisdiction=Jurisdiction.NANCHANG)
    office = User.objects.create(username="office_nc", role=Role.OFFICE, organisation=nc, must_change_password=False)
    person = register_person(name="周师傅", id_number=resident_id(random.Random(5), "360102", dt.date(1979, 4, 2),
                                                                   "male"), original_retirement_age=60)
    applicant = User.objects.create(username="zhou", role=Role.INDIVIDUAL, organisation=nc, person=person,
                                    must_change_password=False)
    today = timezone.localdate()
    rnd = Round.objects.create(program=Program.objects.get(key="nanchang_academy"), year=today.year,
                               title="工匠学院评定（浏览器测试）", organiser=nc, opens=today - dt.timedelta(days=60),
                               closes=today - dt.timedelta(days=30), status=RoundStatus.CLOSED)
    app = Application.objects.create(round=rnd, kind="individual", title="周师傅工匠学院", applicant_org=nc,
                                     applicant_person=person, applicant_user=applicant, status="recommended")
    # its review case waits at the publicity stage: only such cases go on a notice (I-PUB-08)
    Case.objects.create(application=app, round=rnd, program="nanchang_academy", stage="publicity")
    n = open_notice(rnd, [app], start=today, actor=office, title="工匠学院拟命名名单公示（浏览器测试）")
    return {"notice": n, "person": person}


def test_public_visitor_reads_the_notice_and_objects(live_server: Any, notice: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    from jiangxin.platform.core.formats import chinese_date
    from jiangxin.platform.publicity.models import Objection

    n, person = notice["notice"], notice["person"]
    with chromium() as browser:
        try:
            page = browser.new_page(locale="zh-CN")
            page.set_default_timeout(30000)
            page.goto(f"{live_server.url}/public/notices/")
            page.click(f"text={n.title}")
            page.wait_for_url(f"**/public/notices/{n.pk}/")
            table = page.locator("#notice-entries")
            expect(table).to_contain_text("周师傅")
            expect(table).to_contain_text(person.id_mask)
            assert person.reveal_id_number() not in page.content()
            expect(page.locator(".window")).to_contain_text(chinese_date(n.window_end))
            # incomplete: no contact, too short → Chinese errors, nothing stored
            page.select_option("select[name=entry]", str(n.entries.get().pk))
            page.check("input[name=anonymous][value='1']")
            page.fill("textarea[name=content]", "太短")
            page.click("#objection button[type=submit]")
            expect(page.locator(".errorlist").first).to_be_visible()
            expect(page.locator("main")).to_contain_text("此项为必填项")
            expect(page.locator("main")).to_contain_text("异议内容不少于 10 个字")
            assert Objection.objects.count() == 0
            page.select_option("select[name=entry]", str(n.entries.get().pk))
            page.check("input[name=anonymous][value='1']")
            page.fill("input[name=contact]", "13900000000")
            page.fill("textarea[name=content]", "据了解该学员的技能等级证书信息有误，请予核实。")
            page.click("#objection button[type=submit]")
            expect(page.locator(".messages")).to_contain_text("您的异议已受理")
            receipt_text = page.locator(".messages").inner_text()
        finally:
            browser.close()
    objection = Objection.objects.get()
    assert objection.anonymous and objection.name == "" and objection.contact == "13900000000"
    assert objection.receipt in receipt_text
