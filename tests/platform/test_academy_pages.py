"""Teacher pool (第九条), course library (第十条), offerings, exports and role scoping of the academy pages."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from academy_helpers import csv_bytes, ids, mp4_bytes, pdf_bytes, row, upload
from django.utils import timezone
from openpyxl import load_workbook

from jiangxin.platform.academy import facts, services
from jiangxin.platform.academy.models import Course, CourseStatus, Teacher, TeacherStatus
from jiangxin.platform.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def unit_b(make_user: Any, org_tree: Any) -> Any:
    return make_user("unit", org_tree["unit_b"], username="unit_b")


def teacher_data(**over: Any) -> dict[str, Any]:
    data = {"name": "李师傅", "employer": "东湖精工有限公司", "majors": "焊工、钳工", "honours": ["洪城工匠"],
            "title": "副教授", "other_honours": "", "id_number": ""}
    data.update(over)
    return data


# --- teacher pool ---------------------------------------------------------------------------------------


def test_art21_3_teacher_tier_comes_from_the_teaching_subsidy_computation(users: dict[str, Any]) -> None:
    t = services.submit_teacher(users["unit"], teacher_data())
    assert t.status == TeacherStatus.PENDING
    assert (t.tier_rate, t.tier_basis) == (Decimal("500"), "副教授")  # the higher of 洪城工匠 300 and 副教授 500
    expert = services.submit_teacher(users["unit"], teacher_data(name="王能手", honours=["全国技术能手"], title=""))
    assert expert.tier_rate == Decimal("1000")
    none = services.submit_teacher(users["unit"], teacher_data(name="赵新", honours=[], title=""))
    assert none.tier_rate == Decimal("0")


def test_art9_office_reviews_with_reason_and_audit(users: dict[str, Any], client_for: Any) -> None:
    t = services.submit_teacher(users["unit"], teacher_data())
    office = client_for(users["office"])
    response = office.post(f"/academy/teachers/{t.pk}/review/", {"decision": "reject", "reason": ""})
    t.refresh_from_db()
    assert response.status_code == 302 and t.status == TeacherStatus.PENDING  # a rejection needs a reason
    office.post(f"/academy/teachers/{t.pk}/review/", {"decision": "reject", "reason": "缺少职称证明"})
    t.refresh_from_db()
    assert (t.status, t.reject_reason) == (TeacherStatus.REJECTED, "缺少职称证明")
    # the academy corrects it: back to review, then approved
    services.update_teacher(users["unit"], t, teacher_data(title="教授"))
    t.refresh_from_db()
    assert t.status == TeacherStatus.PENDING and t.tier_rate == Decimal("1000")
    office.post(f"/academy/teachers/{t.pk}/review/", {"decision": "approve"})
    t.refresh_from_db()
    assert t.status == TeacherStatus.APPROVED
    actions = list(AuditEvent.objects.filter(object_id=str(t.pk), action__startswith="academy.teacher")
                   .values_list("action", flat=True))
    assert {"academy.teacher.submit", "academy.teacher.reject", "academy.teacher.update",
            "academy.teacher.approve"} <= set(actions)


def test_art9_units_cannot_review(users: dict[str, Any], client_for: Any) -> None:
    t = services.submit_teacher(users["unit"], teacher_data())
    response = client_for(users["unit"]).post(f"/academy/teachers/{t.pk}/review/", {"decision": "approve"})
    assert response.status_code == 403


def test_art9_office_invites_and_merges_duplicates(users: dict[str, Any], resident_id: Any) -> None:
    number = resident_id("36010219700101003")
    submitted = services.submit_teacher(users["unit"], teacher_data(id_number=number, honours=["洪城工匠"],
                                                                     title="", majors="焊工"))
    invited = services.invite_teacher(users["office"], teacher_data(id_number=number, honours=["全国技术能手"],
                                                                     majors="焊工、无损检测", employer="南昌大学"))
    assert invited.status == TeacherStatus.APPROVED and invited.source == "invited"
    assert submitted.id_hash == invited.id_hash and submitted.id_mask.startswith("360102")
    merged = services.merge_teachers(users["office"], submitted, invited)
    submitted.refresh_from_db()
    assert submitted.status == TeacherStatus.MERGED and submitted.merged_into_id == invited.pk
    assert merged.honour_list == ["全国技术能手", "洪城工匠"] and merged.major_list == ["焊工", "无损检测"]
    assert merged.tier_rate == Decimal("1000")


def test_art9_search_by_major_and_honour(users: dict[str, Any], client_for: Any) -> None:
    services.submit_teacher(users["unit"], teacher_data(name="甲", majors="焊工", honours=["洪城工匠"]))
    services.submit_teacher(users["unit"], teacher_data(name="乙", majors="电工", honours=["能工巧匠"]))
    c = client_for(users["unit"])
    body = c.get("/academy/teachers/", {"major": "电工"}).content.decode()
    assert ">乙<" in body and ">甲<" not in body
    body = c.get("/academy/teachers/", {"honour": "洪城工匠"}).content.decode()
    assert ">甲<" in body and ">乙<" not in body


def test_art9_stale_records_become_tasks_and_confirming_clears_them(users: dict[str, Any], client_for: Any,
                                                                     settings: Any) -> None:
    from jiangxin.platform.academy.tasks import tasks_for

    settings.JIANGXIN_TEACHER_REFRESH_DAYS = 30
    t = services.submit_teacher(users["unit"], teacher_data())
    services.review_teacher(users["office"], t, True)
    Teacher.objects.filter(pk=t.pk).update(confirmed_on=timezone.localdate() - dt.timedelta(days=31))
    titles = [i.title for i in tasks_for(users["unit"]) if i.count]
    assert any("需更新" in x for x in titles)
    assert any("需更新" in x for x in (i.title for i in tasks_for(users["office"])))
    client_for(users["unit"]).post(f"/academy/teachers/{t.pk}/confirm/")
    assert not any("需更新" in i.title for i in tasks_for(users["unit"]))


def test_scoping_one_academy_cannot_see_anothers_teachers(users: dict[str, Any], unit_b: Any,
                                                          client_for: Any) -> None:
    t = services.submit_teacher(users["unit"], teacher_data(name="本院教师"))
    other = client_for(unit_b)
    assert other.get(f"/academy/teachers/{t.pk}/").status_code == 404
    assert "本院教师" not in other.get("/academy/teachers/").content.decode()
    assert client_for(users["office"]).get(f"/academy/teachers/{t.pk}/").status_code == 200


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditadmin", "expert", "individual", "trainee"])
def test_scoping_roles_outside_the_academy_get_403(users: dict[str, Any], client_for: Any, role: str) -> None:
    assert client_for(users[role]).get("/academy/teachers/").status_code == 403
    assert client_for(users[role]).get("/academy/trainees/").status_code == 403


def test_scoping_trainees_of_another_academy_are_invisible(users: dict[str, Any], unit_b: Any,
                                                           client_for: Any) -> None:
    n = ids(2)
    services.start_import(users["unit"], upload("a.csv", csv_bytes([row(n[0], name="甲学员")])))
    services.start_import(unit_b, upload("b.csv", csv_bytes([row(n[1], name="乙学员")])))
    mine = client_for(users["unit"]).get("/academy/trainees/").content.decode()
    assert "甲学员" in mine and "乙学员" not in mine
    office = client_for(users["office"]).get("/academy/trainees/").content.decode()
    assert "甲学员" in office and "乙学员" in office
    assert n[0] not in office  # only masked numbers
    district = client_for(users["district"]).get("/academy/trainees/").content.decode()  # 东湖区: unit_a only
    assert "甲学员" in district and "乙学员" not in district


def test_anonymous_is_sent_to_login(client: Any) -> None:
    response = client.get("/academy/trainees/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


# --- templates and export ---------------------------------------------------------------------------------


def test_art10_template_downloads(users: dict[str, Any], client_for: Any) -> None:
    from jiangxin.platform.academy.rows import HEADERS

    c = client_for(users["unit"])
    x = c.get("/academy/trainees/template.xlsx")
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(x.content))
    assert [cell.value for cell in wb["学员信息"][1]] == list(HEADERS)
    assert wb["填写说明"]["A2"].value == "姓名"
    csv_body = c.get("/academy/trainees/template.csv").content.decode("utf-8-sig")
    assert csv_body.strip() == ",".join(HEADERS)
    assert c.get("/academy/trainees/template.pdf").status_code == 404


def test_statistics_export_by_academy_major_level_year(users: dict[str, Any], unit_b: Any,
                                                       client_for: Any) -> None:
    n = ids(4)
    services.start_import(users["unit"], upload("a.csv", csv_bytes([
        row(n[0]), row(n[1], flags=("是", "否", "否")), row(n[2], after="", before="")])))
    services.start_import(unit_b, upload("b.csv", csv_bytes([row(n[3], major="电工")])))
    response = client_for(users["unit"]).get("/academy/trainees/statistics.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("年度", "工匠学院", "培训专业", "培训后技能等级")
    data = sorted(rows[1:])
    assert data == [(2026, "东湖精工有限公司", "焊工", "未取得/未填", 1, 1, 0, 0),
                    (2026, "东湖精工有限公司", "焊工", "高级工", 2, 2, 2, 1)]
    office_rows = list(load_workbook(io.BytesIO(client_for(users["office"]).get(
        "/academy/trainees/statistics.xlsx").content)).active.iter_rows(values_only=True))
    assert any(r[1] == "西湖机电有限公司" and r[2] == "电工" for r in office_rows[1:])


def test_import_page_flow_and_htmx_progress(users: dict[str, Any], client_for: Any) -> None:
    c = client_for(users["unit"])
    response = c.post("/academy/trainees/import/", {"file": upload("学员.csv", csv_bytes([row(ids(1)[0])]))})
    assert response.status_code == 302
    page = c.get(response["Location"])
    assert "已完成" in page.content.decode()
    partial = c.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="job-progress"') and "hx-trigger" not in partial  # finished: no polling
    refused = c.post("/academy/trainees/import/", {"file": upload("学员.pdf", pdf_bytes())}, follow=True)
    assert "只接受" in refused.content.decode()


# --- courses ------------------------------------------------------------------------------------------------


def test_art10_course_upload_needs_declaration_and_counts_towards_five(users: dict[str, Any],
                                                                       client_for: Any) -> None:
    c = client_for(users["unit"])
    response = c.post("/academy/courses/", {"major": "焊工", "title": "压力容器焊接", "description": "实训"})
    course = Course.objects.get(title="压力容器焊接")
    assert response.status_code == 302
    c.post(f"/academy/courses/{course.pk}/", {"action": "upload", "kind": "video",
                                              "file": upload("第一课.mp4", mp4_bytes())})
    c.post(f"/academy/courses/{course.pk}/", {"action": "upload", "kind": "courseware",
                                              "file": upload("课件.pdf", pdf_bytes())})
    bad = c.post(f"/academy/courses/{course.pk}/", {"action": "upload", "kind": "courseware",
                                                    "file": upload("课件.pptx", pdf_bytes())})
    assert "不符" in bad.content.decode()
    wrong_kind = c.post(f"/academy/courses/{course.pk}/", {"action": "upload", "kind": "video",
                                                           "file": upload("x.pdf", pdf_bytes())})
    assert "只接受 MP4、WebM" in wrong_kind.content.decode()
    assert course.materials.count() == 2
    no_decl = c.post(f"/academy/courses/{course.pk}/", {"action": "publish"})
    assert "自主知识产权" in no_decl.content.decode()
    course.refresh_from_db()
    assert course.status == CourseStatus.DRAFT
    c.post(f"/academy/courses/{course.pk}/", {"action": "publish", "declaration": "on"})
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED and course.ip_declared and course.first_published_on
    year = timezone.localdate().year
    assert facts.new_course_count(users["unit"].organisation_id, year) == 1
    page = c.get(f"/academy/org/{users['unit'].organisation_id}/").content.decode()
    assert 'id="new-course-count">1<' in page and "未达到" in page
    assert facts.annual_rubric_entries(users["unit"].organisation_id, year)["courses"] == {
        "new_courses": {"courses": 1}}


def test_course_size_limit_is_a_setting(users: dict[str, Any], settings: Any) -> None:
    from jiangxin.platform.academy.uploads import UploadError

    settings.JIANGXIN_COURSE_UPLOAD_MAX_BYTES = 10
    course = services.create_course(users["unit"], major="焊工", title="t")
    with pytest.raises(UploadError, match="不得超过"):
        services.add_material(users["unit"], course, "video", upload("a.mp4", mp4_bytes()))


def test_draft_materials_only_for_the_academy_and_office(users: dict[str, Any], unit_b: Any,
                                                         client_for: Any, client: Any) -> None:
    course = services.create_course(users["unit"], major="焊工", title="草稿课程")
    m = services.add_material(users["unit"], course, "courseware", upload("a.pdf", pdf_bytes()))
    url = f"/academy/materials/{m.pk}/"
    own = client_for(users["unit"]).get(url)
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert own["X-Frame-Options"] == "SAMEORIGIN" and own["Content-Disposition"].startswith("inline")
    assert client_for(users["office"]).get(url).status_code == 200
    assert client_for(unit_b).get(url).status_code == 404
    assert client_for(unit_b).get(f"/academy/courses/{course.pk}/").status_code == 404
    assert client.get(f"/public/materials/{m.pk}/").status_code == 404
    assert client.get(f"/public/courses/{course.pk}/").status_code == 404


def test_video_is_served_with_byte_ranges(users: dict[str, Any], client_for: Any) -> None:
    course = services.create_course(users["unit"], major="焊工", title="视频课")
    data = mp4_bytes()
    m = services.add_material(users["unit"], course, "video", upload("a.mp4", data))
    response = client_for(users["unit"]).get(f"/academy/materials/{m.pk}/", HTTP_RANGE="bytes=4-11")
    assert response.status_code == 206 and response["Content-Range"] == f"bytes 4-11/{len(data)}"
    assert b"".join(response.streaming_content) == b"ftypisom"


def test_offerings_are_created_by_the_academy(users: dict[str, Any], client_for: Any) -> None:
    c = client_for(users["unit"])
    c.post("/academy/offerings/", {"title": "焊工公益培训班", "major": "焊工", "starts": "2026-12-01",
                                   "ends": "2026-12-10", "place": "东湖", "capacity": 50, "public_welfare": "on",
                                   "published": "on"})
    bad = c.post("/academy/offerings/", {"title": "x", "major": "焊工", "starts": "2026-12-10",
                                         "ends": "2026-12-01", "capacity": 5})
    assert "结束日期不能早于开始日期" in bad.content.decode()
    assert "焊工公益培训班" in client_for(users["office"]).get("/academy/offerings/").content.decode()
