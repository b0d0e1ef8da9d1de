"""Public portal (/public/, no login): published data only, personal data masked, search."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from academy_helpers import mp4_bytes, pdf_bytes, upload

from jiangxin.platform.academy import services
from jiangxin.platform.core.masking import mask_name, mask_phone
from jiangxin.platform.portal.models import PublicListing
from jiangxin.platform.portal.services import publish_listing, withdraw_listing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def published_course(user: Any, title: str = "数控车削实训", major: str = "数控车工") -> Any:
    course = services.create_course(user, major=major, title=title, description="从对刀到精车")
    services.add_material(user, course, "video", upload("第一课.mp4", mp4_bytes()))
    services.add_material(user, course, "courseware", upload("课件.pdf", pdf_bytes()))
    return services.publish_course(user, course, declared=True)


def test_masking() -> None:
    assert mask_name("王芳") == "王*" and mask_name("欧阳明华") == "欧***" and mask_name("") == ""
    assert mask_phone("13912345678") == "139****5678"


def test_portal_pages_need_no_login(client: Any, db: None) -> None:
    for url in ("/public/", "/public/directory/", "/public/courses/", "/public/training/", "/public/teachers/",
                "/public/bulletins/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'aria-label="公众门户"' in response.content.decode(), url


def test_catalogue_shows_published_courses_only_and_searches(users: dict[str, Any], client: Any) -> None:
    published_course(users["unit"])
    services.create_course(users["unit"], major="焊工", title="未发布的草稿课")
    body = client.get("/public/courses/").content.decode()
    assert "数控车削实训" in body and "未发布的草稿课" not in body
    assert "数控车削实训" in client.get("/public/courses/", {"q": "数控"}).content.decode()
    assert "数控车削实训" not in client.get("/public/courses/", {"q": "焊接"}).content.decode()
    assert "数控车削实训" in client.get("/public/courses/", {"q": "东湖精工"}).content.decode()  # by academy


def test_published_course_plays_in_the_browser(users: dict[str, Any], client: Any) -> None:
    course = published_course(users["unit"])
    page = client.get(f"/public/courses/{course.pk}/").content.decode()
    assert "<video controls" in page and "<iframe" in page
    video = course.materials.get(kind="video")
    response = client.get(f"/public/materials/{video.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"].startswith("inline")
    # withdrawn: gone from the public
    services.withdraw_course(users["unit"], course)
    assert client.get(f"/public/courses/{course.pk}/").status_code == 404
    assert client.get(f"/public/materials/{video.pk}/").status_code == 404


def test_directory_reads_the_listing_model_and_masks_people(client: Any, org_tree: Any) -> None:
    publish_listing(kind="academy", source_key="nanchang_academy:naming:1", name="东湖精工工匠学院",
                    organisation=org_tree["unit_a"], status="已命名", since=dt.date(2026, 12, 20))
    publish_listing(kind="craftsman", source_key="ganzhou_craftsman:1", name="赣州工匠", person_name="刘建国",
                    status="已认定", since=dt.date(2026, 6, 1))
    publish_listing(kind="studio", source_key="nanchang_studio:1", name="撤下的工作室", status="已撤销")
    withdraw_listing("nanchang_studio:1")
    publish_listing(kind="notice", source_key="notice:1", name="2026年工匠学院拟命名名单公示", status="公示中",
                    since=dt.date(2026, 12, 1), until=dt.date(2026, 12, 7))
    body = client.get("/public/directory/").content.decode()
    assert "东湖精工工匠学院" in body and "已命名" in body
    assert "刘**" in body and "刘建国" not in body
    assert "撤下的工作室" not in body and "拟命名名单公示" not in body  # notices have their own page
    assert "东湖精工工匠学院" not in client.get("/public/directory/", {"kind": "craftsman"}).content.decode()
    assert "拟命名名单公示" in client.get("/public/bulletins/").content.decode()
    assert "拟命名名单公示" in client.get("/public/").content.decode()
    # writing again under the same key updates instead of duplicating
    publish_listing(kind="academy", source_key="nanchang_academy:naming:1", name="东湖精工工匠学院",
                    organisation=org_tree["unit_a"], status="黄牌警告", since=dt.date(2026, 12, 20))
    assert PublicListing.objects.filter(source_key="nanchang_academy:naming:1").count() == 1
    assert "黄牌警告" in client.get("/public/directory/").content.decode()


def test_public_teachers_are_approved_only_and_masked(users: dict[str, Any], client: Any) -> None:
    data = {"name": "周建华", "employer": "东湖精工有限公司", "majors": "焊工", "honours": ["洪城工匠"], "title": "",
            "other_honours": "", "id_number": ""}
    t = services.submit_teacher(users["unit"], data)
    assert "周*" not in client.get("/public/teachers/").content.decode()
    services.review_teacher(users["office"], t, True)
    body = client.get("/public/teachers/").content.decode()
    assert "周**" in body and "周建华" not in body
    assert "周**" in client.get("/public/teachers/", {"honour": "洪城工匠"}).content.decode()
    assert "周**" not in client.get("/public/teachers/", {"major": "电工"}).content.decode()


def test_training_offerings_published_only(users: dict[str, Any], client: Any) -> None:
    services.create_offering(users["unit"], title="农民工焊工公益班", major="焊工", starts=dt.date(2026, 12, 1),
                             ends=dt.date(2026, 12, 10), place="东湖", capacity=40, public_welfare=True,
                             published=True)
    services.create_offering(users["unit"], title="内部班", major="焊工", starts=dt.date(2026, 12, 1),
                             ends=dt.date(2026, 12, 10), place="", capacity=10, public_welfare=False,
                             published=False)
    body = client.get("/public/training/").content.decode()
    assert "农民工焊工公益班" in body and "内部班" not in body
    assert "农民工焊工公益班" in client.get("/public/training/", {"welfare": "1"}).content.decode()


def test_no_trainee_data_on_the_portal(users: dict[str, Any], client: Any) -> None:
    from academy_helpers import csv_bytes, ids, row

    number = ids(1)[0]
    services.start_import(users["unit"], upload("a.csv", csv_bytes([row(number, name="隐私学员")])))
    for url in ("/public/", "/public/directory/", "/public/courses/", "/public/teachers/"):
        body = client.get(url).content.decode()
        assert "隐私学员" not in body and number not in body
