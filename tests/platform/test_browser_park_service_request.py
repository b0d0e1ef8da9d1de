"""Real browser (Debian's Chromium via Playwright): an enterprise, without logging in, opens the park's public
service catalogue, picks a studio's service, gets Chinese errors for a wrong credit code, corrects it and
submits; the request is stored once, as new, for the park office to route."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from browser import MARKS, chromium

pytestmark = MARKS


@pytest.fixture
def catalogue(make_user: Any) -> dict[str, Any]:
    from jiangxin.platform.accounts.roles import Role
    from jiangxin.platform.park import services
    from jiangxin.platform.park.demo import ensure_park_orgs
    from jiangxin.platform.park.models import ServiceKind

    org, studios = ensure_park_orgs()
    office = make_user(Role.PARK_OFFICE, org)
    residency = services.admit(office, studio_org=studios[0], name="金山焊接技能大师工作室", agreement_no="ZJ-B-1",
                               signed_on=dt.date(2024, 4, 1), admission_date=dt.date(2024, 5, 1))
    offering = services.publish_offering(office, residency, kind=ServiceKind.INCUBATION, title="特种焊接技能孵化",
                                         description="为企业孵化特种焊接技能人才")
    return {"office": office, "offering": offering}


def test_enterprise_submits_a_service_request_from_the_public_catalogue(live_server: Any,
                                                                      catalogue: dict[str, Any]) -> None:
    from playwright.sync_api import expect
    from stdnum.cn import uscc

    from jiangxin.platform.notifications.models import Notification
    from jiangxin.platform.park.models import RequestStatus, ServiceRequest

    code = "91321100MA1N2B3C4" + uscc.calc_check_digit("91321100MA1N2B3C4")
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with chromium() as browser:
        try:
            page = browser.new_page(locale="zh-CN")
            page.set_default_timeout(30000)
            page.goto(f"{live_server.url}/public/park/")
            expect(page.locator("h1")).to_contain_text("公共服务目录")
            expect(page.locator("main")).to_contain_text("特种焊接技能孵化")
            page.click("text=申请此服务")
            expect(page.locator("select[name=kind]")).to_have_value("incubation")
            page.fill("input[name=enterprise_name]", "镇江示例机械有限公司")
            page.fill("input[name=credit_code]", wrong)
            page.fill("input[name=contact_name]", "陈经理")
            page.fill("input[name=contact_phone]", "0511-80000000")
            page.fill("textarea[name=need]", "需要培养两名特种焊接工")
            page.click("#service-request-form button[type=submit]")
            expect(page.locator(".errorlist")).to_contain_text("统一社会信用代码不正确")
            assert ServiceRequest.objects.count() == 0
            # what was typed is kept; only the code is corrected
            expect(page.locator("input[name=enterprise_name]")).to_have_value("镇江示例机械有限公司")
            page.fill("input[name=credit_code]", code)
            page.click("#service-request-form button[type=submit]")
            expect(page.locator("#receipt")).to_contain_text("受理编号")
            receipt = page.locator("#receipt strong").inner_text()
        finally:
            browser.close()
    req = ServiceRequest.objects.get()
    assert req.status == RequestStatus.NEW
    assert req.credit_code == code
    assert req.offering_id == catalogue["offering"].pk
    assert req.receipt == receipt
    assert Notification.objects.filter(recipient=catalogue["office"]).count() == 1
