"""Real browser (Debian's Chromium via Playwright): a trainee enrolled with a chosen major signs in, opens the
research-report page from the navigation, uploads a PDF report and sees it submitted; the unit's expert is
told a report waits for scoring."""

from __future__ import annotations

from typing import Any

import pytest
from browser import MARKS, chromium

from jiangxin.platform.demo.data import demo_pdf

pytestmark = MARKS

PDF = demo_pdf("test")


@pytest.fixture
def year(settings: Any, tmp_path: Any) -> Any:
    from cultivation_helpers import make_user, make_year

    from jiangxin.platform.accounts.roles import Role

    settings.MEDIA_ROOT = tmp_path / "media"
    y = make_year(n_a=2, n_b=1)
    y.year.report_due_on = None
    y.year.save()
    y.extra["expert"] = make_user(Role.EXPERT, y.unit, username="unit_expert")
    return y


def test_trainee_submits_the_research_report_as_a_pdf(live_server: Any, year: Any) -> None:
    from cultivation_helpers import PASSWORD
    from playwright.sync_api import expect

    from jiangxin.platform.cultivation.models import ResearchReport
    from jiangxin.platform.notifications.models import Notification

    with chromium() as browser:
        try:
            page = browser.new_page(locale="zh-CN")
            page.set_default_timeout(30000)
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=username]", year.trainee_user.username)
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login" not in url)
            page.click("nav >> text=研修报告")
            expect(page.locator("h1")).to_contain_text("研修报告")
            expect(page.locator("main")).to_contain_text("焊接技术")
            page.fill("input[name=title]", "中厚板焊接变形控制研究")
            page.fill("textarea[name=abstract]", "总结三种反变形方法在船体分段中的效果。")
            page.set_input_files("input[name=file]", files=[{"name": "report.pdf", "mimeType": "application/pdf",
                                                             "buffer": PDF}])
            page.click("#submit-report")
            expect(page.locator("#report-status")).to_contain_text("已提交")
            expect(page.locator("#report-title")).to_contain_text("中厚板焊接变形控制研究")
        finally:
            browser.close()
    report = ResearchReport.objects.get()
    assert report.enrolment == year.enrolments_a[0]
    assert report.file.name.endswith(".pdf")
    assert Notification.objects.filter(recipient=year.extra["expert"]).count() == 1
