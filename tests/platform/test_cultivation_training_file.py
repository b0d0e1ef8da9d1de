"""The training file (培训档案, 第十六条): totals against the plan's requirements, the < 70 % flag taken from the
``trainee_grading`` computation (第二十一条), leave and report; who may see it; nav entries and tasks."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from cultivation_helpers import make_user, make_year
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.cultivation import nav_training
from jiangxin.platform.cultivation import services_training as services
from jiangxin.platform.cultivation.models import Attendance
from jiangxin.platform.demo.data import demo_pdf

pytestmark = pytest.mark.django_db

PDF = demo_pdf("test")


@pytest.fixture
def y(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    year = make_year(n_a=2, n_b=1)
    year.year.report_due_on = None
    year.year.save()
    return year


def _attend(y: Any, enrolment: Any, fraction: Decimal) -> None:
    """Record ``fraction`` of every session's hours and credits for the trainee."""
    for s in y.plan.sessions.all():
        services.record_attendance(y.unit_user, s, [{"enrolment": enrolment, "hours": s.hours * fraction,
                                                     "credits": s.credits * fraction}])


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_file_totals_hours_and_credits_against_the_plan(y: Any) -> None:
    e = y.enrolments_a[0]
    _attend(y, e, Decimal("0.9"))
    f = services.training_file(e)
    assert f["hours"] == Decimal("180.0") and f["credits"] == Decimal("18.0")
    assert f["hours_pct"] == Decimal("90.0") and f["credits_pct"] == Decimal("90.0")
    assert len(f["rows"]) == 4 and all(r["attendance"] for r in f["rows"])
    assert f["below_minimum"] is False
    assert f["check"]["citation"]["label"].startswith("江苏卓越技师办法 第二十一条") and f["min_pct"] == 70


def test_file_flags_below_seventy_percent_with_the_article(y: Any) -> None:
    e = y.enrolments_a[1]
    _attend(y, e, Decimal("0.5"))
    services.request_leave(make_user(Role.TRAINEE, y.city, person=e.person), e, start=dt.date(2026, 4, 1),
                           end=dt.date(2026, 4, 30), reason="住院治疗")
    leave = e.leave_requests.get()
    services.decide_leave(y.lead, leave, approve=True)
    f = services.training_file(e)
    assert f["hours"] == Decimal("100.0")  # approved leave adds no hours
    assert f["below_minimum"] is True and f["check"]["passed"] is False
    page = _client(y.unit_user).get(f"/cultivation/training/files/{e.pk}/").content.decode()
    assert 'id="completion" class="status-bad"' in page
    assert "第二十一条" in page and "住院治疗" in page and "50.0" in page
    assert e.person.id_mask in page


def test_file_shows_nothing_attended_when_there_is_no_record(y: Any) -> None:
    f = services.training_file(y.enrolments_b[0])
    assert f["hours"] == 0 and f["below_minimum"] is True and f["report"] is None


def test_file_download_is_an_xlsx_with_sessions_totals_and_report(y: Any, settings: Any) -> None:
    e = y.enrolments_a[0]
    _attend(y, e, Decimal("1"))
    services.submit_report(y.trainee_user, e, title="热处理工艺改进", abstract="",
                           file=SimpleUploadedFile("r.pdf", PDF))
    resp = _client(y.trainee_user).get(f"/cultivation/training/files/{e.pk}/file.xlsx")
    assert resp.status_code == 200
    cells = [c for row in load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True)
             for c in row if c is not None]
    assert e.person.name in cells and e.person.id_mask in cells and "S04" in cells
    assert 200 in cells and "热处理工艺改进" in cells and "达到最低比例" in cells


def test_file_is_seen_by_trainee_unit_city_and_province_only(y: Any) -> None:
    e = y.enrolments_a[0]
    url = f"/cultivation/training/files/{e.pk}/"
    for user in (y.trainee_user, y.unit_user, y.lead, y.city_staff, y.office, y.employer_user):
        assert _client(user).get(url).status_code == 200, user.role
    other_trainee = make_user(Role.TRAINEE, y.city, person=y.enrolments_a[1].person)
    for user in (y.other_unit_user, other_trainee, make_user(Role.EXPERT, y.unit)):
        assert _client(user).get(url).status_code in (403, 404), user.role
    # the trainee's list goes straight to the own file; the unit's list has every trainee
    assert _client(y.trainee_user).get("/cultivation/training/files/")["Location"].endswith(url)
    listing = _client(y.unit_user).get("/cultivation/training/files/").content.decode()
    assert all(x.person.name in listing for x in y.enrolments)
    assert y.enrolments_a[0].person.name not in _client(y.other_unit_user).get(
        "/cultivation/training/files/").content.decode()


def test_nav_and_tasks_show_each_party_its_part(y: Any) -> None:
    expert = make_user(Role.EXPERT, y.unit)
    e = y.enrolments_a[0]
    assert [t.title for t in nav_training.tasks_for(y.trainee_user)] == ["提交本学年研修报告"]
    services.submit_report(y.trainee_user, e, title="t", abstract="", file=SimpleUploadedFile("r.pdf", PDF))
    assert nav_training.tasks_for(y.trainee_user) == []
    assert [t.count for t in nav_training.tasks_for(expert)] == [1]
    assert [n.label for n in nav_training.nav_items(expert)] == ["研修报告评估"]
    services.request_leave(y.trainee_user, e, start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 2), reason="事假")
    assert [t.count for t in nav_training.tasks_for(y.lead)] == [1]
    assert "请假审批" in [n.label for n in nav_training.nav_items(y.lead)]
    assert nav_training.tasks_for(y.city_staff) == []
    assert "考勤与学时" in [n.label for n in nav_training.nav_items(y.unit_user)]
    assert [t.count for t in nav_training.tasks_for(y.unit_user)] == [4]  # every session has ended unrecorded
    _attend(y, e, Decimal("1"))
    for other in y.enrolments[1:]:
        _attend(y, other, Decimal("1"))
    assert nav_training.tasks_for(y.unit_user) == []
    assert Attendance.objects.count() == 12
    assert all(n.href for n in nav_training.nav_items(y.trainee_user))


def test_every_training_page_answers_each_party_without_error(y: Any) -> None:
    e = y.enrolments_a[0]
    _attend(y, e, Decimal("1"))
    report = services.submit_report(y.trainee_user, e, title="t", abstract="a",
                                    file=SimpleUploadedFile("r.pdf", PDF))
    services.request_leave(y.trainee_user, e, start=dt.date(2026, 5, 1), end=dt.date(2026, 5, 2), reason="事假")
    session = y.plan.sessions.first()
    urls = ["/cultivation/training/attendance/", f"/cultivation/training/attendance/{session.pk}/",
            "/cultivation/training/attendance/import/", "/cultivation/training/leave/",
            "/cultivation/training/report/", "/cultivation/training/reports/",
            f"/cultivation/training/reports/{report.pk}/", "/cultivation/training/files/",
            f"/cultivation/training/files/{e.pk}/"]
    expert = make_user(Role.EXPERT, y.unit)
    for user in (y.trainee_user, y.unit_user, y.lead, y.city_staff, y.office, y.employer_user, expert,
                 y.other_unit_user):
        c = _client(user)
        for url in urls:
            status = c.get(url).status_code
            assert status in (200, 302, 403, 404), (user.role, url, status)
    unit = _client(y.unit_user)
    assert all(unit.get(u).status_code == 200 for u in urls if "/report/" not in u)
    lead = _client(y.lead)
    assert lead.get("/cultivation/training/files/").status_code == 200
    assert lead.get("/cultivation/training/leave/").status_code == 200


def test_province_and_city_see_files_reports_and_leave_in_their_nav(y: Any) -> None:
    province = [n.label for n in nav_training.nav_items(y.office)]
    assert province == ["培训档案", "研修报告", "学员请假"]
    assert [n.label for n in nav_training.nav_items(y.lead)] == ["请假审批", "培训档案", "研修报告"]
    assert [n.label for n in nav_training.nav_items(y.city_staff)] == ["培训档案", "研修报告"]
    assert nav_training.nav_items(make_user(Role.OFFICE, None)) == []
