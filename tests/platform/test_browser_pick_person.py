"""Real browser (Debian's Chromium via Playwright): the office types two characters of a name into the new-leader
box of a designation, the matching person appears with the masked ID number, and picking them records the
change (search-as-you-type, decision 0028)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from browser import MARKS, chromium

pytestmark = MARKS


def test_office_types_two_characters_and_picks_the_new_leader(live_server: Any) -> None:
    import review_helpers as rh
    from playwright.sync_api import expect

    from jiangxin.platform.designations import services as ds
    from jiangxin.platform.people.services import register_person

    w = rh.world("nanchang_academy")
    d = ds.designate_from_case(rh.case(rh.submit(w, "东湖工匠学院")), actor=w.office, on=dt.date(2025, 12, 20))
    person = register_person(name="欧阳新领", id_number="360102198001010216", sex="male",
                             birth_date=dt.date(1980, 1, 1), employer=d.holder_org)
    register_person(name="王其他", id_number="360102198001010232", sex="male", birth_date=dt.date(1980, 1, 1),
                    employer=d.holder_org)
    with chromium() as browser:
        page = browser.new_page(locale="zh-CN")
        page.set_default_timeout(30000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", w.office.username)
        page.fill("input[name=password]", rh.PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login" not in url)
        page.goto(f"{live_server.url}/designations/{d.pk}/")
        box = page.locator("input[name=person_id__text]")
        box.press_sequentially("欧阳")
        option = page.locator(".pick-results [role=option]")
        expect(option).to_have_count(1)
        expect(option).to_contain_text(f"欧阳新领（{person.id_mask}")
        option.click()
        expect(page.locator("input[name=person_id]")).to_have_value(str(person.pk))
        page.fill("input[name=effective_on]", "2026-04-01")
        page.locator("input[name=person_id]").locator("xpath=ancestor::form").locator("button[type=submit]").click()
        expect(page.locator("main")).to_contain_text("领衔人变更")
    from jiangxin.platform.designations.models import EventKind

    assert d.events.filter(kind=EventKind.LEADER).count() == 1
