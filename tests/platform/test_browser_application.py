"""Real browser (Debian's Chromium via Playwright): an applicant logs in, fills in an application, sees the
live eligibility check change, uploads evidence and submits."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
from browser import MARKS, chromium
from fixtures_apps import PASSWORD, pdf_bytes

pytestmark = MARKS


@pytest.fixture
def trainee(settings: Any, tmp_path: Path) -> dict[str, Any]:
    from django.utils import timezone

    from jiangxin.platform.accounts.models import User
    from jiangxin.platform.accounts.roles import Role
    from jiangxin.platform.core.demo_fixtures import resident_id
    from jiangxin.platform.orgs.models import Jurisdiction, Organisation
    from jiangxin.platform.orgs.seed import seed_org_tree
    from jiangxin.platform.people.services import register_person
    from jiangxin.platform.rounds import services as round_services
    from jiangxin.platform.rounds.models import Program

    settings.MEDIA_ROOT = tmp_path / "media"
    round_services.sync_programs()
    seed_org_tree()
    js = Organisation.objects.get(name="江苏省人力资源和社会保障厅", jurisdiction=Jurisdiction.JIANGSU)
    nanjing = Organisation.objects.get(name="南京市人力资源和社会保障局", jurisdiction=Jurisdiction.JIANGSU)
    person = register_person(name="赵技师", id_number=resident_id(random.Random(3), "320102", dt.date(1978, 5, 12),
                                                                   "female"),
                             skill_level="senior_technician", original_retirement_age=55)
    office = User.objects.create(username="office_js", role=Role.OFFICE, organisation=js, must_change_password=False)
    user = User(username="trainee_b", role=Role.TRAINEE, organisation=nanjing, person=person,
                must_change_password=False, display_name="赵技师")
    user.set_password(PASSWORD)
    user.save()
    today = timezone.localdate()
    rnd = round_services.create_round(office, Program.objects.get(key="jiangsu_technician"), year=today.year,
                                      title="卓越技师培育计划（浏览器测试）", opens=today,
                                      closes=today + dt.timedelta(days=30))
    round_services.open_round(office, rnd)
    evidence = tmp_path / "技能等级证书.pdf"
    evidence.write_bytes(pdf_bytes())
    return {"round": rnd, "evidence": evidence, "today": today}


def test_applicant_fills_in_checks_uploads_and_submits(live_server: Any, trainee: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    from jiangxin.platform.applications.models import Application, Evidence

    with chromium() as browser:
        try:
            page = browser.new_page(locale="zh-CN")
            page.set_default_timeout(30000)
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=username]", "trainee_b")
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login" not in url)
            page.goto(f"{live_server.url}/rounds/{trainee['round'].pk}/")
            page.click("#start-application")
            expect(page.locator("h1")).to_contain_text("填写申报")
            # prefilled from the person registry
            expect(page.locator("input[name=birth_date]")).to_have_value("1978-05-12")
            # choose track A: the live check reacts (the leading-talent finding is still missing)
            page.select_option("select[name=track]", "A")
            expect(page.locator("#eligibility [data-eligibility]")).to_be_visible()
            expect(page.locator("#eligibility")).not_to_contain_text("符合申报条件。")
            page.fill("input[name=recommended_on]", trainee["today"].isoformat())
            page.check("input[name=leading_talent__present]")
            page.fill("input[name=leading_talent__criterion]", "省级技能大师工作室领办人")
            page.fill("input[name=leading_talent__confirmed_by]", "省人社厅 经办人")
            page.locator("input[name=leading_talent__confirmed_by]").dispatch_event("change")
            expect(page.locator("#eligibility [data-eligibility=eligible]")).to_be_visible()
            page.fill("input[name=d-employer]", "南京长江船舶重工有限公司")
            page.fill("input[name=d-occupation]", "焊工")
            page.click("button[name=_save]")
            expect(page.locator(".messages")).to_contain_text("草稿已保存")
            # evidence
            page.select_option("#evidence-form select[name=condition]", "skill")
            page.set_input_files("#evidence-form input[name=file]", str(trainee["evidence"]))
            page.click("#evidence-form button[type=submit]")
            expect(page.locator(".messages")).to_contain_text("材料已上传")
            # submit with confirmation
            page.click("button[name=_next]")
            expect(page.locator("h1")).to_contain_text("确认提交")
            page.check("#confirm")
            page.click("#confirm-submit")
            expect(page.locator(".messages")).to_contain_text("申报已提交")
            expect(page.locator("[data-status]").first).to_contain_text("已提交")
        finally:
            browser.close()
    app = Application.objects.get(applicant_user__username="trainee_b")
    assert app.status == "submitted" and app.eligibility_status == "eligible"
    assert app.facts["track"] == "A" and app.facts["birth_date"] == "1978-05-12"
    assert Evidence.objects.filter(application=app, file_type="pdf").count() == 1
