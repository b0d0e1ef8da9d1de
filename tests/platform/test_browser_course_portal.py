"""Real browser (Debian's Chromium via Playwright): an academy user creates a course, uploads a video and
courseware, declares own IP and publishes; an anonymous visitor then finds it on the public portal and the
video element loads from the visibility-checking view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from academy_helpers import mp4_bytes, pdf_bytes
from browser import MARKS, chromium

PASSWORD = "Correct-Horse-42"
pytestmark = MARKS


@pytest.fixture
def academy_user(settings: Any, tmp_path: Path) -> dict[str, Any]:
    from jiangxin.platform.accounts.models import User
    from jiangxin.platform.accounts.roles import Role
    from jiangxin.platform.orgs.models import Category, Jurisdiction, Level, Organisation

    settings.MEDIA_ROOT = tmp_path / "media"
    root = Organisation(name="南昌市总工会", level=Level.AUTHORITY, category=Category.UNION,
                        jurisdiction=Jurisdiction.NANCHANG)
    root.save()
    unit = Organisation(name="南昌赣江精密机械有限公司", level=Level.MEMBER, category=Category.ENTERPRISE,
                        jurisdiction=Jurisdiction.NANCHANG, parent=root)
    unit.save()
    user = User(username="academy_unit", role=Role.UNIT, organisation=unit, must_change_password=False,
                display_name="赣江精密 工会干事")
    user.set_password(PASSWORD)
    user.save()
    video = tmp_path / "第一课.mp4"
    video.write_bytes(mp4_bytes())
    slides = tmp_path / "课件.pdf"
    slides.write_bytes(pdf_bytes())
    return {"user": user, "video": video, "slides": slides}


def tick_until_checked(box: Any, attempts: int = 5) -> None:
    """Tick a checkbox, trying again if the click was swallowed: Chromium's PDF viewer in the frame above it can
    take focus while it starts, and a click in that moment does not reach the box."""
    from playwright.sync_api import Error

    for _ in range(attempts):
        if box.is_checked():
            return
        try:
            box.check(timeout=5000)
        except Error:
            box.page.wait_for_timeout(500)


def test_academy_uploads_a_course_and_the_public_finds_it(live_server: Any, academy_user: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    from jiangxin.platform.academy.models import Course, CourseStatus

    with chromium() as browser:
        try:
            page = browser.new_page(locale="zh-CN")
            page.set_default_timeout(30000)
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("input[name=username]", "academy_unit")
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login" not in url)
            page.click("nav.side-nav >> text=课程资源库")
            page.fill("input[name=major]", "数控车工")
            page.fill("input[name=title]", "数控车削对刀实训")
            page.fill("textarea[name=description]", "对刀、试切与精车。")
            page.click("main form button[type=submit]")
            expect(page.locator("h1")).to_have_text("数控车削对刀实训")
            course = Course.objects.get(title="数控车削对刀实训")
            # upload the video, then the courseware
            page.select_option("select[name=kind]", "video")
            page.set_input_files("input[name=file]", str(academy_user["video"]))
            page.click("form:has(input[value=upload]) button[type=submit]")
            expect(page.locator("video")).to_have_count(1)
            page.select_option("select[name=kind]", "courseware")
            page.set_input_files("input[name=file]", str(academy_user["slides"]))
            page.click("form:has(input[value=upload]) button[type=submit]")
            expect(page.locator("iframe")).to_have_count(1)
            # the declaration is required (the browser will not submit without it; the server checks too)
            expect(page.locator("input[name=declaration]")).to_have_attribute("required", "")
            # the page with the inline PDF frame must have finished loading before the box is ticked
            page.wait_for_load_state("load")
            tick_until_checked(page.locator("input[name=declaration]"))
            expect(page.locator("input[name=declaration]")).to_be_checked()
            page.click("form:has(input[value=publish]) button[type=submit]")
            expect(page.locator("#course-status")).to_have_text("已发布")
            course.refresh_from_db()
            assert course.status == CourseStatus.PUBLISHED

            # an anonymous visitor on the portal
            visitor = browser.new_context(locale="zh-CN").new_page()
            visitor.set_default_timeout(30000)
            visitor.goto(f"{live_server.url}/public/")
            visitor.fill("input[name=q]", "对刀")
            visitor.click("main form[role=search] button[type=submit]")
            visitor.click("text=数控车削对刀实训")
            expect(visitor.locator("h1")).to_have_text("数控车削对刀实训")
            video_src = visitor.locator("video").get_attribute("src")
            assert video_src and video_src.startswith("/public/materials/")
            response = visitor.request.get(f"{live_server.url}{video_src}", headers={"Range": "bytes=0-15"})
            assert response.status == 206 and response.body()[4:8] == b"ftyp"
            expect(visitor.locator("text=南昌赣江精密机械有限公司")).to_be_visible()
        finally:
            browser.close()
