"""Real browser (Debian's Chromium via Playwright) at a phone's 375-px viewport: the portal, the notice list, the
public objection form and the trainee's choice of training unit and major fit the screen (no horizontal
scrolling), their controls are tap-sized (at least 44 px high) and both forms submit."""

from __future__ import annotations

from typing import Any

from browser import MARKS, chromium
from test_browser_cultivation_choice import choosing  # noqa: F401 - fixture
from test_browser_publicity_objection import notice  # noqa: F401 - fixture

pytestmark = MARKS
PHONE = {"width": 375, "height": 740}
FITS = "document.scrollingElement.scrollWidth <= 375"
#: controls a thumb must hit: buttons, selects, text fields, radio/checkbox labels
TAP_TARGETS = """(sel) => Array.from(document.querySelectorAll(sel)).filter(e => e.offsetParent !== null)
  .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect().height]).filter(([, h]) => h < 44)"""


def _phone(browser: Any) -> Any:
    page = browser.new_page(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page.set_default_timeout(30000)
    return page


def test_objection_form_works_on_a_375px_phone(live_server: Any, notice: dict[str, Any]) -> None:  # noqa: F811
    from playwright.sync_api import expect

    from jiangxin.platform.publicity.models import Objection

    n = notice["notice"]
    with chromium() as browser:
        page = _phone(browser)
        for public in ("/public/", "/public/notices/"):  # the portal's pages a worker reaches first
            page.goto(f"{live_server.url}{public}")
            page.wait_for_function(FITS)
        page.goto(f"{live_server.url}/public/notices/{n.pk}/")
        expect(page.locator("#objection")).to_be_visible()
        page.wait_for_function(FITS)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
        small = page.evaluate(TAP_TARGETS, "#objection button, #objection select, #objection input[type=text], "
                                            "#objection textarea, #objection label:has(input[type=radio])")
        assert small == [], small
        page.select_option("select[name=entry]", str(n.entries.get().pk))
        page.check("input[name=anonymous][value='1']")
        page.fill("input[name=contact]", "13900000000")
        page.fill("textarea[name=content]", "据了解该学员的技能等级证书信息有误，请予核实。")
        page.click("#objection button[type=submit]")
        expect(page.locator(".messages")).to_contain_text("您的异议已受理")
        page.wait_for_function(FITS)
    assert Objection.objects.count() == 1


def test_trainee_major_choice_works_on_a_375px_phone(live_server: Any, choosing: dict[str, Any]) -> None:  # noqa: F811
    from playwright.sync_api import expect

    y = choosing["y"]
    with chromium() as browser:
        page = _phone(browser)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "trainee_choice")
        page.fill("input[name=password]", choosing["password"])
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login" not in url)
        page.goto(f"{live_server.url}/cultivation/")
        page.wait_for_function(FITS)
        page.click("#choose-link")
        expect(page.locator("#choose-form")).to_be_visible()
        page.wait_for_function(FITS)
        page.click("text=显示全部（含外市）")
        expect(page.locator("#choose-form")).to_contain_text("数控加工")
        page.wait_for_function(FITS)
        small = page.evaluate(TAP_TARGETS, "#choose-form button, #choose-form label:has(input[type=radio])")
        assert small == [], small
        page.check(f"#major-{y.other_major.pk}")
        page.click("#choose-form button[type=submit]")
        expect(page.locator(".messages")).to_contain_text("已选定")
        page.wait_for_function(FITS)
    enrolment = choosing["enrolment"]
    enrolment.refresh_from_db()
    assert enrolment.major == y.other_major
