"""Real browser (Debian's Chromium via Playwright): an expert declares no conflict, scores an academy
application item by item watching the live total computed by the policy scorer, submits and signs off."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from browser import MARKS, chromium
from fixtures_panels import PASSWORD, build_world

pytestmark = MARKS


@pytest.fixture
def panel_sheet(db: None) -> dict[str, Any]:
    world = build_world()
    panel = world.panel(experts=("e1", "e2"))
    return {"world": world, "panel": panel, "sheet": world.sheet(panel, "e1")}


def test_expert_declares_scores_item_by_item_submits_and_signs(live_server: Any, panel_sheet: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    from jiangxin.platform.panels.models import ConflictDeclaration, ScoreSheet

    sheet = panel_sheet["sheet"]
    with chromium() as browser:
        try:
            page = browser.new_page(locale="zh-CN")
            page.set_default_timeout(30000)
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=username]", "e1")
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login" not in url)
            page.goto(f"{live_server.url}/panels/mine/")
            expect(page.locator("#my-sheets")).to_contain_text("东湖精工有限公司工匠学院")
            page.click("#my-sheets a.btn")
            # the declaration comes first
            expect(page.locator("h1")).to_contain_text("利益冲突声明")
            page.check("input[name=conflict][value=no]")
            page.click("#declare-submit")
            expect(page.locator("h1")).to_contain_text("评分表")
            live = page.locator("#live-total-value")
            expect(live).to_have_text("0")
            # item by item: two venue ticks (1 each) …
            page.check("input[name=i__venue_sites__0]")
            page.check("input[name=i__venue_sites__1]")
            expect(live).to_have_text("2")
            # … one 全国技术能手 among the teachers (5 each, item capped at 5) …
            page.fill("input[name=i__faculty_honours__2]", "1")
            expect(live).to_have_text("7")
            # … two city-level media reports (1 each)
            page.fill("input[name=i__media__0]", "2")
            expect(live).to_have_text("9")
            expect(page.locator("#live-total li[data-item=media]")).to_contain_text("2")
            page.fill("textarea[name=note__media]", "市级报道两篇")
            # leaving the note fires the live total's `change` preview at once (it also cancels the pending
            # `input` one): let it answer before submitting, or the preview and the save run at the same time on
            # the live server's threads, which share the test's in-memory SQLite connection
            page.locator("textarea[name=note__media]").blur()
            expect(page.locator("[hx-post$='/preview/']")).not_to_have_class(re.compile(r"\bhtmx-request\b"))
            page.click("#submit-sheet")
            expect(page.locator("#sheet-status")).to_have_attribute("data-status", "submitted")
            expect(page.locator("#sheet-total")).to_have_text("9.00")
            expect(page.locator("#others-link")).to_be_visible()
            page.check("#sign-confirm")
            page.click("#sign-sheet")
            expect(page.locator("#sheet-status")).to_have_attribute("data-status", "signed")
            expect(page.locator("#sign-form")).to_have_count(0)
            expect(page.locator("#score-form")).to_have_count(0)
        finally:
            browser.close()
    sheet = ScoreSheet.objects.get(pk=sheet.pk)
    assert sheet.status == "signed" and sheet.total == Decimal(9) and not sheet.vetoed
    assert sheet.entries.get(item_key="media").note == "市级报道两篇"
    assert sheet.entries.get(item_key="faculty_honours").awarded == Decimal(5)
    assert ConflictDeclaration.objects.get(member=sheet.member).conflict is False
