"""Real browser (Debian's Chromium via Playwright): a member of the public, not logged in, opens a 赣州工匠
certificate from the public portal's directory and reads its status; a revoked one says so with 第十二条; the
verify page, typed number included, works on a 375 px phone screen without horizontal scrolling and shows no
unmasked ID number."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import signed_docs_helpers
from browser import MARKS, chromium
from signed_docs_helpers import needs_font

pytestmark = [*MARKS, needs_font]
gz_world = signed_docs_helpers.gz_world
FULL_ID = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")


@pytest.fixture
def certificates(gz_world: dict[str, Any]) -> dict[str, Any]:
    from jiangxin.platform.designations.models import DesignationStatus
    from jiangxin.platform.designations.services import set_status
    from jiangxin.platform.documents.transitions import issue
    from jiangxin.policy.outcome import cite

    office = gz_world["office"]
    valid, revoked = (issue("designation", d.pk, "certificate", actor=office) for d in gz_world["designations"])
    set_status(gz_world["designations"][1], DesignationStatus.REVOKED, reason="骗取称号", actor=office,
               citation=cite("ganzhou_craftsman", "第十二条").label, on=dt.date(2026, 9, 1))
    return {"valid": valid, "revoked": revoked, "people": gz_world["people"]}


def _fits_375(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_public_opens_a_certificate_from_the_portal(live_server: Any, certificates: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    valid, revoked = certificates["valid"], certificates["revoked"]
    secrets = [p.reveal_id_number() for p in certificates["people"]]
    with chromium() as browser:
        page = browser.new_page(locale="zh-CN", viewport={"width": 375, "height": 800})
        page.set_default_timeout(30000)
        page.goto(f"{live_server.url}/public/directory/")
        page.get_by_role("link", name=valid.number).click()
        expect(page.locator("#verify-result")).to_have_attribute("data-status", "valid")
        expect(page.locator("#verify-status")).to_contain_text("有效")
        expect(page.locator("#verify-sha256")).to_have_text(valid.sha256)
        assert _fits_375(page)
        body = page.locator("body").inner_text()
        assert not FULL_ID.search(body) and not any(s in body for s in secrets)

        page.get_by_role("link", name="证书查验").click()
        page.get_by_label("证书编号").fill(revoked.number.lower())
        page.get_by_role("button", name="查验").click()
        expect(page.locator("#verify-result")).to_have_attribute("data-status", "revoked")
        expect(page.locator("#verify-status")).to_contain_text("已撤销")
        expect(page.locator("#verify-status")).to_contain_text("第十二条")
        assert _fits_375(page)
        body = page.locator("body").inner_text()
        assert not FULL_ID.search(body) and not any(s in body for s in secrets)
