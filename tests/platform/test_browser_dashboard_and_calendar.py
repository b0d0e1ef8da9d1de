"""Real browser (Debian's Chromium via Playwright), no network: the office's dashboard draws its charts from the
vendored ECharts with the right table totals; the system administrator enters the 2027 calendar and the office
then publishes a notice on 2026-12-28 that ends on the right working day."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import fixtures_apps
from browser import MARKS, chromium
from pub_helpers import application

media = fixtures_apps.media
world = fixtures_apps.world
pytestmark = MARKS


def _login(page: Any, base: str, username: str) -> None:
    from jiangxin.platform.accounts import otp
    from jiangxin.platform.accounts.models import User

    if otp.requires_second_factor(User.objects.get(username=username)):
        _current_code(username)  # the administrator's authenticator exists before signing in
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", fixtures_apps.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    if "/otp/" in page.url or "second-factor" in page.url:  # an administrator: the authenticator's current code
        page.fill("input[name=code]", _current_code(username))
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/otp/" not in url and "second-factor" not in url)


def _current_code(username: str) -> str:
    """The code an administrator's authenticator shows now (a confirmed device is made for the test user)."""
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jiangxin.platform.accounts.models import User

    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def _offline(page: Any, base: str) -> None:
    """Every request outside the test server fails: the charts must come from the platform itself."""
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())


def test_dashboard_draws_its_charts_offline_with_the_table_totals(live_server: Any, world: Any) -> None:
    from playwright.sync_api import expect

    rng = random.Random(3)
    world.orgs["unit_a2"] = fixtures_apps._member("东湖二厂", world.orgs["donghu"], rng, "360102")
    rnd = world.rounds["studio"]
    application(world, rnd, title="东湖甲工作室")
    application(world, rnd, title="东湖乙工作室", org="unit_a2", status="submitted")
    application(world, rnd, title="西湖工作室", org="unit_b", user="unit_b", status="rejected")
    with chromium() as browser:
        page = browser.new_page(locale="zh-CN")
        page.set_default_timeout(30000)
        _offline(page, live_server.url)
        _login(page, live_server.url, "office_nc")
        page.click("nav.side-nav >> text=统计看板")
        page.wait_for_url("**/dashboards/")
        for key in ("funnel", "status", "district"):
            expect(page.locator(f'[data-chart="{key}"][data-drawn="1"] svg').first).to_be_visible()
        expect(page.locator('[data-table="district"] tfoot td').first).to_have_text("3")
        expect(page.locator('[data-table="status"] tfoot td').first).to_have_text("3")
        expect(page.locator('[data-chart="district"] svg')).to_contain_text("东湖区总工会")


TEST_2027_HOLIDAYS = "2027-01-01~2027-01-03\n2027-02-06~2027-02-12"  # a documented TEST SET, not the 2027 notice


def test_entering_2027_lets_a_notice_of_28_december_2026_end_on_the_right_day(live_server: Any, world: Any) -> None:
    from playwright.sync_api import expect

    from jiangxin.platform.publicity.models import Notice

    rnd = world.rounds["studio"]
    application(world, rnd, title="测试创新工作室")
    with chromium() as browser:
        page = browser.new_page(locale="zh-CN")
        page.set_default_timeout(30000)
        _offline(page, live_server.url)
        _login(page, live_server.url, "office_nc")
        page.goto(f"{live_server.url}/publicity/rounds/{rnd.pk}/new/")
        page.fill("input[name=start]", "2026-12-28")
        page.check("input[name=applications]")
        page.click("main button[type=submit]")
        note = page.locator(".calendar-missing")
        expect(note).to_contain_text("2027年的工作日日历")
        assert not Notice.objects.exists()
        page.context.clear_cookies()
        _login(page, live_server.url, "sysadmin")
        page.click("nav.side-nav >> text=工作日日历")
        page.click("text=录入新年度")
        page.fill("input[name=year]", "2027")
        page.fill("input[name=notice_reference]", "测试用通知（非正式）")
        page.fill("textarea[name=holidays]", TEST_2027_HOLIDAYS)
        page.fill("textarea[name=makeup_workdays]", "2027-02-13")
        page.click("main button[type=submit]")
        expect(page.locator("main table")).to_contain_text("测试用通知（非正式）")
        page.context.clear_cookies()
        _login(page, live_server.url, "office_nc")
        page.goto(f"{live_server.url}/publicity/rounds/{rnd.pk}/new/")
        page.fill("input[name=start]", "2026-12-28")
        page.check("input[name=applications]")
        page.click("main button[type=submit]")
        page.wait_for_url("**/publicity/*/")
        notice = Notice.objects.get()
        # 29, 30, 31 December, then 1–3 January off: the fifth working day is 5 January 2027
        assert (notice.window_start, notice.window_end) == (dt.date(2026, 12, 29), dt.date(2027, 1, 5))
        expect(page.locator("main")).to_contain_text("2027")
