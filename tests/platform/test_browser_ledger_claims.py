"""Real browser (Debian's Chromium via Playwright): a unit opens the contest-subsidy claim form, previews the
amount with its citation, gets a Chinese error for a missing evidence file, attaches it and submits; the
office opens the claim, sees the facts as a table and approves it into the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from browser import MARKS, chromium
from fixtures_apps import PASSWORD

from jiangxin.platform.demo.data import demo_pdf

pytestmark = MARKS


@pytest.fixture
def academy(users: dict[str, Any], org_tree: dict[str, Any], settings: Any, tmp_path: Path) -> Any:
    from jiangxin.platform.designations import services as desig

    settings.MEDIA_ROOT = str(tmp_path / "media")
    return desig.designate(program="nanchang_academy", name="东湖工匠学院", on=dt.date(2024, 6, 1),
                           actor=users["office"], holder_org=org_tree["unit_a"])


def _login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def test_unit_previews_and_submits_a_claim_and_the_office_approves_it(live_server: Any, academy: Any,
                                                                      tmp_path: Path) -> None:
    from playwright.sync_api import expect

    from jiangxin.platform.ledger.models import LedgerEntry, SubsidyClaim

    evidence = tmp_path / "承办通知.pdf"
    evidence.write_bytes(demo_pdf("test"))
    with chromium() as browser:
        try:
            page = browser.new_page(locale="zh-CN")
            page.set_default_timeout(30000)
            _login(page, live_server.url, "unit")
            page.goto(f"{live_server.url}/ledger/claims/")
            page.click("#claim-offers >> text=承办竞赛补助")
            expect(page.locator("h1")).to_contain_text("承办竞赛补助")
            page.select_option("select[name=hosted__0__key]", "市级洪工杯")
            page.fill("input[name=hosted__0__value]", "1")
            page.click("button[name=_preview]")
            expect(page.locator("#preview-amount")).to_have_text("100000.00")
            expect(page.locator("#claim-preview")).to_contain_text("南昌工匠学院办法 第二十一条（五）")
            assert SubsidyClaim.objects.count() == 0
            page.click("button[name=_submit]")
            expect(page.locator(".errorlist")).to_contain_text("须上传证明材料")
            assert SubsidyClaim.objects.count() == 0
            page.set_input_files("input[name=meta-evidence]", str(evidence))
            page.click("button[name=_submit]")
            expect(page.locator("#claim-status")).to_have_text("待审核")
            page.context.clear_cookies()
            _login(page, live_server.url, "office")
            claim = SubsidyClaim.objects.get()
            page.goto(f"{live_server.url}/ledger/claims/{claim.pk}/")
            expect(page.locator("#claim-facts")).to_contain_text("承办竞赛项目数")
            expect(page.locator("#claim-facts")).to_contain_text("市级洪工杯")
            expect(page.locator("#evidence-link")).to_be_visible()
            page.fill("#decision-note", "材料齐全")
            page.click("#claim-decision button[value=approve]")
            expect(page.locator("#claim-status")).to_have_text("已核准")
        finally:
            browser.close()
    entry = LedgerEntry.objects.get(claim__isnull=False)
    assert entry.amount == Decimal("100000.00") and entry.citation == "南昌工匠学院办法 第二十一条（五）"
