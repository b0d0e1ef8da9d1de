"""Attendance of a cultivation year: the training unit's grid entry (limits, online rule of 第十七条, approved
plans only, upsert) and the XLSX import (template, good / bad / duplicate rows, all or nothing, re-import)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from cultivation_helpers import make_year
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.cultivation import services_training as services
from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.models import Attendance, Delivery, PlanStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def y() -> Any:
    return make_year(n_a=3, n_b=2)


def _session(y: Any, key: str) -> Any:
    return y.plan.sessions.get(key=key)


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_unit_records_hours_and_credits_and_saving_again_updates_the_same_rows(y: Any) -> None:
    s = _session(y, "S03")
    rows = [{"enrolment": e, "hours": "100", "credits": "9", "online": False} for e in y.enrolments]
    assert services.record_attendance(y.unit_user, s, rows) == 5
    rows[0]["hours"] = "120"
    services.record_attendance(y.unit_user, s, rows)
    assert Attendance.objects.filter(session=s).count() == 5
    assert Attendance.objects.get(session=s, enrolment=y.enrolments[0]).hours == Decimal("120.0")
    assert AuditEvent.objects.filter(action="cultivation.attendance").count() == 2


def test_hours_or_credits_above_the_session_are_refused_and_nothing_is_saved(y: Any) -> None:
    s = _session(y, "S01")  # 8 hours, 1 credit
    good = {"enrolment": y.enrolments[0], "hours": "8", "credits": "1"}
    with pytest.raises(CultivationError, match="超过该课程的学时"):
        services.record_attendance(y.unit_user, s, [good, {"enrolment": y.enrolments[1], "hours": "9"}])
    with pytest.raises(CultivationError, match="超过该课程的学分"):
        services.record_attendance(y.unit_user, s, [{"enrolment": y.enrolments[1], "hours": "8", "credits": "2"}])
    with pytest.raises(CultivationError, match="负数"):
        services.record_attendance(y.unit_user, s, [{"enrolment": y.enrolments[1], "hours": "-1"}])
    assert not Attendance.objects.exists()


def test_online_is_only_for_remote_trainees_in_sessions_that_allow_it(y: Any) -> None:
    blended, onsite = _session(y, "S02"), _session(y, "S03")
    local, remote = y.enrolments[0], y.enrolments[1]
    remote.remote = True
    remote.save()
    with pytest.raises(CultivationError, match="第十七条"):
        services.record_attendance(y.unit_user, onsite, [{"enrolment": remote, "hours": "10", "online": True}])
    with pytest.raises(CultivationError, match="本地参训"):
        services.record_attendance(y.unit_user, blended, [{"enrolment": local, "hours": "10", "online": True}])
    services.record_attendance(y.unit_user, blended, [{"enrolment": remote, "hours": "10", "online": True}])
    assert Attendance.objects.get(enrolment=remote).online is True
    blended.delivery = Delivery.ONLINE
    blended.save()
    services.record_attendance(y.unit_user, blended, [{"enrolment": local, "hours": "10", "online": False}])
    assert Attendance.objects.get(enrolment=local).online is True  # an online-only session is online for all


def test_only_sessions_of_an_approved_plan_of_the_own_unit_take_attendance(y: Any) -> None:
    s = _session(y, "S01")
    row = [{"enrolment": y.enrolments[0], "hours": "8"}]
    with pytest.raises(CultivationError, match="本承训单位"):
        services.record_attendance(y.other_unit_user, s, row)
    with pytest.raises(CultivationError, match="本承训单位"):
        services.record_attendance(y.lead, s, row)
    y.plan.status = PlanStatus.SUBMITTED
    y.plan.save()
    with pytest.raises(CultivationError, match="审核通过"):
        services.record_attendance(y.unit_user, s, row)
    assert not services.unit_sessions(y.unit, y.year).exists()


def test_a_session_for_one_major_takes_only_that_majors_trainees(y: Any) -> None:
    s = _session(y, "S03")
    s.major = y.majors[0]
    s.save()
    assert set(services.session_trainees(s)) == set(y.enrolments_a)
    with pytest.raises(CultivationError, match="专业或承训单位不符"):
        services.record_attendance(y.unit_user, s, [{"enrolment": y.enrolments_b[0], "hours": "10"}])


def test_attendance_grid_page_saves_and_shows_chinese_errors(y: Any) -> None:
    c = _client(y.unit_user)
    s = _session(y, "S01")
    page = c.get(f"/cultivation/training/attendance/{s.pk}/")
    assert page.status_code == 200
    assert y.enrolments[0].person.name in page.content.decode()
    data = {f"hours_{e.pk}": "8" for e in y.enrolments} | {f"credits_{e.pk}": "1" for e in y.enrolments}
    assert c.post(f"/cultivation/training/attendance/{s.pk}/", data).status_code == 302
    assert Attendance.objects.filter(session=s).count() == 5
    data[f"hours_{y.enrolments[0].pk}"] = "12"
    bad = c.post(f"/cultivation/training/attendance/{s.pk}/", data)
    assert bad.status_code == 400
    assert "超过该课程的学时" in bad.content.decode()
    assert Attendance.objects.get(session=s, enrolment=y.enrolments[0]).hours == Decimal("8.0")
    overview = c.get("/cultivation/training/attendance/")
    assert "S01" in overview.content.decode() and "5/5" in overview.content.decode()
    assert _client(y.other_unit_user).get(f"/cultivation/training/attendance/{s.pk}/").status_code == 404
    assert _client(y.trainee_user).get("/cultivation/training/attendance/").status_code == 403


# ---------------------------------------------------------------------------------------------------------
# XLSX import


def _xlsx(rows: list[list[Any]], header: list[str] | None = None) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.title = "考勤"
    sheet.append(header or list(services.IMPORT_COLUMNS))
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("kaoqin.xlsx", out.getvalue())


def test_template_lists_every_session_and_trainee_of_the_unit(y: Any) -> None:
    content = services.attendance_template_xlsx(y.unit_user, y.year)
    book = load_workbook(io.BytesIO(content))
    rows = list(book["考勤"].iter_rows(values_only=True))
    assert list(rows[0]) == list(services.IMPORT_COLUMNS)
    assert len(rows) == 1 + 4 * 5  # four sessions for all majors × five trainees
    assert {r[1] for r in rows[1:]} == {e.pk for e in y.enrolments}
    assert [r[0] for r in book["课程"].iter_rows(min_row=2, values_only=True)] == ["S01", "S02", "S03", "S04"]
    with pytest.raises(CultivationError):
        services.attendance_template_xlsx(y.lead, y.year)


def test_import_writes_good_rows_and_reimport_updates_without_duplicates(y: Any) -> None:
    e1, e2 = y.enrolments[0], y.enrolments[1]
    rows = [["S01", e1.pk, e1.person.name, "", 8, 1, "否"], ["S03", e1.pk, "", "", 110, 10, ""],
            ["S01", e2.pk, e2.person.name, "", 6, 1, "否"], ["S02", e2.pk, e2.person.name, "", None, None, ""]]
    assert services.import_attendance(y.unit_user, y.year, _xlsx(rows)) == 3
    assert Attendance.objects.count() == 3
    rows[1][4] = 120
    assert services.import_attendance(y.unit_user, y.year, _xlsx(rows)) == 3
    assert Attendance.objects.count() == 3
    assert Attendance.objects.get(enrolment=e1, session__key="S03").hours == Decimal("120.0")
    assert AuditEvent.objects.filter(action="cultivation.attendance_import").count() == 2


def test_one_bad_row_refuses_the_whole_file_and_names_each_problem(y: Any) -> None:
    e1, e2 = y.enrolments[0], y.enrolments[1]
    outsider = make_year(n_a=1, n_b=0, year=2027).enrolments[0]
    rows = [["S01", e1.pk, e1.person.name, "", 8, 1, "否"],    # good
            ["S09", e1.pk, "", "", 8, 1, ""],                   # unknown session
            ["S01", e2.pk, "某某某", "", 8, 1, ""],             # wrong name
            ["S01", 999999, "", "", 8, 1, ""],                   # unknown trainee
            ["S01", outsider.pk, "", "", 8, 1, ""],              # another unit's trainee
            ["S03", e2.pk, "", "", 500, 1, ""],                  # too many hours
            ["S03", e2.pk, "", "", 10, 1, "也许"],               # bad online flag
            ["S01", e1.pk, "", "", 8, 1, "否"]]                  # duplicate of row 2
    with pytest.raises(services.ImportFailure) as failure:
        services.import_attendance(y.unit_user, y.year, _xlsx(rows))
    problems = dict(failure.value.rows)
    assert sorted(problems) == [3, 4, 5, 6, 7, 8, 9]
    assert "S09" in problems[3] and "某某某" in problems[4] and "重复" in problems[9]
    assert not Attendance.objects.exists()
    report = load_workbook(io.BytesIO(services.import_errors_xlsx(failure.value.rows)))
    assert report.active.max_row == 8


def test_import_refuses_a_file_that_is_not_the_template(y: Any) -> None:
    with pytest.raises(CultivationError, match="表头不符"):
        services.import_attendance(y.unit_user, y.year, _xlsx([["x"]], header=["姓名", "学时"]))
    with pytest.raises(CultivationError, match="请上传"):
        services.import_attendance(y.unit_user, y.year, SimpleUploadedFile("a.csv", b"a,b"))
    with pytest.raises(CultivationError, match="无法读取"):
        services.import_attendance(y.unit_user, y.year, SimpleUploadedFile("a.xlsx", b"not a zip"))
    with pytest.raises(CultivationError, match="没有填写学时"):
        services.import_attendance(y.unit_user, y.year, _xlsx([]))


def test_import_page_offers_the_error_report_after_a_refused_file(y: Any) -> None:
    c = _client(y.unit_user)
    assert c.get("/cultivation/training/attendance/template.xlsx").status_code == 200
    e1 = y.enrolments[0]
    bad = c.post("/cultivation/training/attendance/import/",
                 {"file": _xlsx([["S01", e1.pk, "", "", 80, 1, ""]])})
    assert bad.status_code == 400
    assert "导入未执行" in bad.content.decode()
    report = c.get("/cultivation/training/attendance/import/errors.xlsx")
    assert report.status_code == 200
    rows = list(load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == 2 and "超过" in rows[1][1]
    good = c.post("/cultivation/training/attendance/import/", {"file": _xlsx([["S01", e1.pk, "", "", 8, 1, ""]])})
    assert good.status_code == 302
    assert Attendance.objects.count() == 1


def test_import_refuses_an_oversized_sheet_before_checking_rows(y: Any, monkeypatch: Any) -> None:
    from jiangxin.platform.cultivation.actions import attendance

    monkeypatch.setattr(attendance, "IMPORT_MAX_ROWS", 2)  # read where the import reads it
    e1 = y.enrolments[0]
    rows = [["S01", e1.pk, "", "", 8, 1, ""], ["S02", e1.pk, "", "", 8, 1, ""], ["S03", e1.pk, "", "", 8, 1, ""]]
    with pytest.raises(CultivationError, match="分批导入"):
        services.import_attendance(y.unit_user, y.year, _xlsx(rows))
    assert not Attendance.objects.exists()
