"""工作日日历维护: the system administrator enters a year the package does not cover, with the notice reference;
checks refuse bad entries; every change is audited; package years are never overridden; a missing year is
said plainly with a link instead of an error page; the entered year is used at once by the deadline rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import fixtures_apps
import pytest
from pub_helpers import application

from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.publicity import services as publicity
from jiangxin.platform.publicity.models import Notice
from jiangxin.platform.workcalendar.models import CalendarYear
from jiangxin.policy.errors import CalendarYearUnknownError
from jiangxin.policy.workdays import add_working_days, default_calendar

media = fixtures_apps.media
world = fixtures_apps.world
pytestmark = pytest.mark.django_db

#: A TEST SET for 2027, not the official notice (unknown when this was written): New Year 1–3 January,
#: a Spring Festival week and one make-up Saturday. The tests check the mechanism, not 2027's real holidays.
TEST_2027 = {"year": "2027", "notice_reference": "测试用通知（非正式）",
             "holidays": "2027-01-01~2027-01-03\n2027-02-06~2027-02-12", "makeup_workdays": "2027-02-13"}


def _post(client: Any, **changes: str) -> Any:
    return client.post("/calendar/new/", {**TEST_2027, **changes})


def test_system_admin_enters_2027_and_the_change_is_audited(world: Any) -> None:
    with pytest.raises(CalendarYearUnknownError):
        add_working_days(dt.date(2026, 12, 28), 5)
    page = _post(world.client("sysadmin"))
    assert page.status_code == 302
    row = CalendarYear.objects.get(year=2027)
    assert len(row.holidays) == 10 and row.makeup_workdays == ["2027-02-13"]
    event = AuditEvent.objects.get(action="workcalendar.year.create")
    assert event.after["notice_reference"] == "测试用通知（非正式）"
    # 28 Dec 2026 (Monday) + 5 working days: 29, 30, 31 Dec, then 1–3 Jan are off → 4 and 5 Jan
    assert add_working_days(dt.date(2026, 12, 28), 5) == dt.date(2027, 1, 5)
    assert default_calendar().is_makeup_workday(dt.date(2027, 2, 13))
    assert default_calendar().citation(2027).clause == "（测试用通知（非正式））"


def test_a_correction_is_audited_with_before_and_after_and_used_at_once(world: Any) -> None:
    admin = world.client("sysadmin")
    _post(admin)
    assert add_working_days(dt.date(2027, 1, 3), 1) == dt.date(2027, 1, 4)
    page = admin.post("/calendar/2027/", {**TEST_2027, "holidays": "2027-01-01~2027-01-04"})
    assert page.status_code == 302
    event = AuditEvent.objects.get(action="workcalendar.year.update")
    assert "2027-01-04" not in event.before["holidays"] and "2027-01-04" in event.after["holidays"]
    assert add_working_days(dt.date(2027, 1, 3), 1) == dt.date(2027, 1, 5)


@pytest.mark.parametrize(("change", "message"), [
    ({"makeup_workdays": "2027-02-15"}, "调休上班日只能是周六或周日"),
    ({"holidays": "2026-12-31"}, "不在2027年内"),
    ({"makeup_workdays": "2027-02-06"}, "同时填在放假日期和调休上班日期中"),
    ({"holidays": "2027-01-01, 2027-01-01"}, "重复填写"),
    ({"holidays": "2027-13-01"}, "不是日期"),
    ({"holidays": ""}, "此项为必填项"),
    ({"notice_reference": ""}, "此项为必填项"),
    ({"year": "2026"}, "随系统提供"),
])
def test_invalid_entries_are_refused_in_chinese_and_nothing_is_stored(world: Any, change: dict[str, str],
                                                                      message: str) -> None:
    page = _post(world.client("sysadmin"), **change)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not CalendarYear.objects.exists() and not AuditEvent.objects.filter(action__startswith="workcal").exists()


def test_a_package_year_is_never_overridden_by_an_entered_row(world: Any) -> None:
    # even a row written around the form does not change 2026: the package's years are asked first
    CalendarYear.objects.create(year=2026, notice_reference="x", holidays=["2026-12-28"], makeup_workdays=[])
    assert default_calendar().is_workday(dt.date(2026, 12, 28))
    assert default_calendar().year(2026).source == "chinesecalendar"


def test_only_the_system_admin_enters_years_but_staff_see_the_calendar(world: Any) -> None:
    assert _post(world.client("office_nc")).status_code == 403
    assert world.client("auditadmin").get("/calendar/new/").status_code == 403
    page = world.client("office_nc").get("/calendar/?year=2027")
    assert page.status_code == 200
    text = page.content.decode()
    assert "请联系系统管理员录入" in text and "/calendar/new/" not in text
    assert "/calendar/new/?year=2027" in world.client("sysadmin").get("/calendar/?year=2027").content.decode()


def test_publishing_into_a_missing_year_says_so_with_a_link_and_works_once_entered(world: Any) -> None:
    rnd = world.rounds["studio"]
    app = application(world, rnd, title="测试创新工作室")
    office = world.client("office_nc")
    data = {"title": "工作室公示", "start": "2026-12-28", "applications": [app.pk]}
    page = office.post(f"/publicity/rounds/{rnd.pk}/new/", data)
    text = page.content.decode()
    assert page.status_code == 200 and "2027年的工作日日历" in text and "/calendar/?year=2027" in text
    assert not Notice.objects.exists()
    _post(world.client("sysadmin"))
    assert office.post(f"/publicity/rounds/{rnd.pk}/new/", data).status_code == 302
    notice = Notice.objects.get()
    assert (notice.window_start, notice.window_end) == (dt.date(2026, 12, 29), dt.date(2027, 1, 5))


def test_a_deadline_needing_a_missing_year_shows_a_plain_page_not_an_error(world: Any, rf: Any) -> None:
    from jiangxin.platform.workcalendar.middleware import CalendarYearMissingMiddleware

    request = rf.get("/review/")
    request.user = world.users["office_nc"]
    response = CalendarYearMissingMiddleware(lambda r: None).process_exception(  # type: ignore[arg-type,return-value]
        request, CalendarYearUnknownError(2031))
    assert response is not None and response.status_code == 200
    text = response.content.decode()
    assert "2031年的工作日日历" in text and "/calendar/?year=2031" in text and "系统不作推测" in text


def test_the_window_rule_itself_uses_the_entered_year(world: Any) -> None:
    with pytest.raises(publicity.PublicityError) as exc:
        publicity.compute_window(world.rounds["studio"], dt.date(2026, 12, 28))
    assert exc.value.calendar_year == 2027
    _post(world.client("sysadmin"))
    outcome = publicity.compute_window(world.rounds["studio"], dt.date(2026, 12, 28))
    assert outcome["value"]["end"] == "2027-01-05"


def test_a_return_deadline_in_a_missing_year_is_refused_unless_the_office_enters_one() -> None:
    from review_helpers import case, submit
    from review_helpers import world as review_world

    from jiangxin.platform.review import services as rs
    from jiangxin.platform.review.models import CaseState

    facts = {"applicant_type": "enterprise", "violation_on_record": False, "fraud_found": False,
             "previously_revoked": False}
    w = review_world("nanchang_academy", year=2026)
    c = case(submit(w, "待修改学院", facts=facts))
    with pytest.raises(CalendarYearUnknownError):  # never guessed: the page says which year is missing
        rs.return_for_revision(c, actor=w.district_users[0], reasons="补充", today=dt.date(2031, 3, 2))
    c.refresh_from_db()
    assert c.state == CaseState.ACTIVE
    rs.return_for_revision(c, actor=w.district_users[0], reasons="补充", today=dt.date(2031, 3, 2),
                           deadline=dt.date(2031, 3, 20))
    c.refresh_from_db()
    assert c.state == CaseState.RETURNED and c.returned_until == dt.date(2031, 3, 20)


def test_the_naming_check_of_a_notice_keeps_the_page_and_names_the_missing_year(world: Any) -> None:
    from unittest import mock

    from jiangxin.policy.registry import COMPUTATIONS, all_computations

    rnd = world.rounds["studio"]
    all_computations()
    comp = COMPUTATIONS[("nanchang_studio", "naming_deadline")]
    with mock.patch.object(type(comp), "run", side_effect=CalendarYearUnknownError(2031)):
        check = publicity.naming_check(rnd, dt.date(2031, 1, 5), notices=[])
    assert check.calendar_year == 2031 and check.deadline is None and check.warning == ""
