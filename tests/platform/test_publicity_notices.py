"""Publicity: the window from the program's rules on the official calendar, the public page with masked
data, objections (named and anonymous) with Chinese validation, verification and clearance."""

from __future__ import annotations

import datetime as dt
from typing import Any

import fixtures_apps
import pytest
from django.test import Client
from django.utils import timezone
from pub_helpers import academy_round, application

from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.notifications.models import Notification
from jiangxin.platform.publicity import services
from jiangxin.platform.publicity.models import Notice, Objection, ObjectionStatus

media = fixtures_apps.media
world = fixtures_apps.world
pytestmark = pytest.mark.django_db


@pytest.fixture
def academy(world: Any) -> Any:
    return academy_round(world)


@pytest.fixture
def open_notice(world: Any, academy: Any) -> Notice:
    """An academy notice published yesterday: 7 calendar days, open today."""
    a = application(world, academy, title="东湖精工工匠学院")
    b = application(world, academy, title="西湖机电工匠学院", org="unit_b", user="unit_b")
    return services.open_notice(academy, [a, b], start=timezone.localdate() - dt.timedelta(days=1),
                                today=timezone.localdate() - dt.timedelta(days=1),
                                actor=world.users["office_nc"], title="工匠学院拟命名名单公示")


# ---- the window -------------------------------------------------------------------------------------------

def test_studio_window_is_five_working_days_across_national_day_2026(world: Any) -> None:
    outcome = services.compute_window(world.rounds["studio"], dt.date(2026, 9, 29))
    # 9-30, 10-8, 10-9, 10-10 (make-up Saturday), 10-12: the 1–7 October holiday does not count
    assert outcome["value"]["start"] == "2026-09-30"
    assert outcome["value"]["end"] == "2026-10-12"
    assert any(step["rule"] == "official_calendar" for step in outcome["trace"])
    assert services._uses_working_days(outcome)


def test_academy_window_is_seven_calendar_days_even_over_the_holiday(world: Any, academy: Any) -> None:
    outcome = services.compute_window(academy, dt.date(2026, 9, 29))
    assert (outcome["value"]["start"], outcome["value"]["end"]) == ("2026-09-30", "2026-10-06")
    assert not services._uses_working_days(outcome)


def test_unknown_calendar_year_is_refused_with_a_clear_message(world: Any) -> None:
    with pytest.raises(services.PublicityError, match="2031年") as exc:
        services.compute_window(world.rounds["studio"], dt.date(2031, 9, 29))
    assert "节假日安排" in str(exc.value)


def test_program_without_a_publicity_rule_is_refused(world: Any) -> None:
    with pytest.raises(services.PublicityError, match="没有规定公示期"):
        services.compute_window(world.rounds["jiangsu"], dt.date(2026, 9, 29))


def test_open_notice_stores_the_outcome_entries_audit_and_tells_the_applicants(world: Any, academy: Any) -> None:
    app = application(world, academy, title="东湖精工工匠学院")
    notice = services.open_notice(academy, [app], start=dt.date(2026, 9, 29), today=dt.date(2026, 9, 29),
                                  actor=world.users["office_nc"])
    assert (notice.window_start, notice.window_end) == (dt.date(2026, 9, 30), dt.date(2026, 10, 6))
    assert notice.outcome["value"]["end"] == "2026-10-06"
    assert notice.citation_label == "南昌工匠学院办法 第十九条（三）"
    assert [e.display_name for e in notice.entries.all()] == ["东湖精工工匠学院"]
    assert AuditEvent.objects.filter(action="publicity.notice.open", object_id=str(notice.pk)).exists()
    assert Notification.objects.filter(recipient=world.users["unit_a"], title__contains="进入公示").exists()


def test_only_the_programs_office_opens_a_notice(world: Any, academy: Any) -> None:
    app = application(world, academy, title="东湖精工工匠学院")
    for name in ("office_gz", "district_donghu", "unit_a"):
        # another jurisdiction's office: out of scope; other roles: refused by the transition registry
        with pytest.raises((services.PermissionDenied, services.TransitionRefused)):
            services.open_notice(academy, [app], start=dt.date(2026, 9, 29), today=dt.date(2026, 9, 29),
                                 actor=world.users[name])
    assert not Notice.objects.exists()


def test_a_draft_application_cannot_be_published(world: Any, academy: Any) -> None:
    app = application(world, academy, title="草稿", status="draft")
    with pytest.raises(services.PublicityError, match="不能公示"):
        services.open_notice(academy, [app], start=dt.date(2026, 9, 29), today=dt.date(2026, 9, 29),
                             actor=world.users["office_nc"])


# ---- public pages -----------------------------------------------------------------------------------------

def test_public_page_needs_no_login_and_masks_id_numbers(world: Any) -> None:
    rnd = world.rounds["ganzhou"]
    person = world.users["indiv_1"].person
    app = application(world, rnd, title="李工匠申报", org="zhanggong", user="indiv_1", person=person)
    notice = services.open_notice(rnd, [app], start=dt.date(2026, 9, 29), today=dt.date(2026, 9, 29),
                                  actor=world.users["office_gz"])
    client = Client()
    listing = client.get("/public/notices/").content.decode()
    assert notice.title in listing
    page = client.get(f"/public/notices/{notice.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "李工匠" in text and "章贡区人力资源和社会保障局" in text
    number = person.reveal_id_number()
    assert number not in text and person.id_mask in text and "********" in text
    assert "2026年9月30日" in text and "2026年10月12日" in text
    assert "法定节假日安排" in text  # computed on the official working-day calendar


def test_public_page_of_an_open_notice_shows_the_objection_form(open_notice: Notice) -> None:
    text = Client().get(f"/public/notices/{open_notice.pk}/").content.decode()
    assert "提交异议" in text and "csrfmiddlewaretoken" in text
    assert "东湖精工工匠学院" in text


def _post(client: Client, notice: Notice, **data: Any) -> Any:
    entry = notice.entries.first()
    payload = {"entry": str(entry.pk), "anonymous": "0", "name": "张三", "contact": "13800000000",
               "content": "该单位申报材料中的获奖情况与事实不符，请核实。"}
    payload.update(data)
    return client.post(f"/public/notices/{notice.pk}/", payload, REMOTE_ADDR=data.pop("addr", "10.0.0.1"))


def test_named_objection_is_received_and_the_office_is_told(world: Any, open_notice: Notice) -> None:
    response = _post(Client(), open_notice)
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.anonymous, objection.name, objection.status) == (False, "张三", ObjectionStatus.RECEIVED)
    assert objection.address_hash and "10.0.0.1" not in objection.address_hash
    assert Notification.objects.filter(recipient=world.users["office_nc"], kind="action",
                                       title__contains="公示异议").exists()
    event = AuditEvent.objects.get(action="publicity.objection.submit")
    assert "张三" not in str(event.after) and "13800000000" not in str(event.after)
    followed = Client().get(response["Location"])
    assert followed.status_code == 200


def test_anonymous_objection_keeps_no_name_but_needs_a_contact(open_notice: Notice) -> None:
    client = Client()
    _post(client, open_notice, anonymous="1", name="李四")
    objection = Objection.objects.get()
    assert objection.anonymous and objection.name == ""
    response = _post(client, open_notice, anonymous="1", name="", contact="")
    assert response.status_code == 400
    assert "此项为必填项" in response.content.decode()
    assert Objection.objects.count() == 1


@pytest.mark.parametrize(("change", "message"), [
    ({"name": ""}, "实名反映须填写姓名"),
    ({"contact": ""}, "此项为必填项"),
    ({"content": "太短"}, "异议内容不少于 10 个字"),
    ({"entry": "999999"}, "请从公示名单中选择异议对象"),
])
def test_invalid_objections_show_chinese_errors_and_store_nothing(open_notice: Notice, change: dict[str, str],
                                                                  message: str) -> None:
    response = _post(Client(), open_notice, **change)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Objection.objects.exists()
    assert not AuditEvent.objects.filter(action="publicity.objection.submit").exists()


def test_objection_form_is_csrf_protected(open_notice: Notice) -> None:
    client = Client(enforce_csrf_checks=True)
    response = _post(client, open_notice)
    assert response.status_code == 403
    assert not Objection.objects.exists()


def test_objections_are_rate_limited_per_address(open_notice: Notice, settings: Any) -> None:
    settings.JIANGXIN_OBJECTION_LIMIT = 2
    client = Client()
    assert _post(client, open_notice).status_code == 302
    assert _post(client, open_notice).status_code == 302
    third = _post(client, open_notice)
    assert third.status_code == 400 and "提交过于频繁" in third.content.decode()
    assert _post(client, open_notice, addr="10.0.0.2").status_code == 302
    assert Objection.objects.count() == 3


def test_no_objections_after_the_window(world: Any, academy: Any) -> None:
    app = application(world, academy, title="东湖精工工匠学院")
    notice = services.open_notice(academy, [app], start=timezone.localdate() - dt.timedelta(days=20),
                                   today=timezone.localdate() - dt.timedelta(days=20),
                                  actor=world.users["office_nc"])
    with pytest.raises(services.PublicityError, match="已于"):
        services.submit_objection(notice, entry=notice.entries.get(), anonymous=True, name="", contact="x@y.z",
                                  content="内容内容内容内容内容", address="10.0.0.9")
    text = Client().get(f"/public/notices/{notice.pk}/").content.decode()
    assert "公示期已结束" in text and "提交异议" not in text


# ---- verification and clearance -------------------------------------------------------------------------

def test_clearance_waits_for_the_window_and_for_pending_objections(world: Any, open_notice: Notice) -> None:
    entry = open_notice.entries.first()
    app = entry.application
    during = services.clearance(app)
    assert not during.clear and during.window_end == open_notice.window_end
    assert any("公示期未结束" in r for r in during.reasons)
    after = open_notice.window_end + dt.timedelta(days=1)
    assert services.clearance(app, today=after).clear
    objection = services.submit_objection(open_notice, entry=entry, anonymous=False, name="张三",
                                          contact="13800000000", content="反映情况反映情况反映情况", address="1.1.1.1")
    pending = services.clearance(app, today=after)
    assert not pending.clear and pending.reasons == ["有1条异议尚未核实完毕"]
    services.verify_objection(objection, actor=world.users["office_nc"], status="verifying", note="")
    assert not services.clearance(app, today=after).clear
    services.verify_objection(objection, actor=world.users["office_nc"], status="dismissed", note="经核实不属实")
    assert services.clearance(app, today=after).clear
    objection.refresh_from_db()
    assert objection.decided_by == world.users["office_nc"] and objection.verification_note == "经核实不属实"


def test_upheld_objection_disqualifies_the_application(world: Any, open_notice: Notice) -> None:
    from jiangxin.platform.review.services import case_for

    entry = open_notice.entries.first()
    objection = services.submit_objection(open_notice, entry=entry, anonymous=True, name="", contact="x@y.z",
                                          content="获奖证书系伪造，请核实。", address="2.2.2.2")
    services.verify_objection(objection, actor=world.users["office_nc"], status="upheld", note="证书无法查证")
    case = case_for(entry.application)
    assert case is not None and case.state == "disqualified"
    result = services.clearance(entry.application, today=open_notice.window_end + dt.timedelta(days=1))
    assert not result.clear and "已取消资格" in result.reasons[0]
    assert Notification.objects.filter(recipient=world.users["unit_a"], kind="result").exists()
    with pytest.raises(services.TransitionRefused, match="当前状态不能办理"):  # a settled objection stays settled
        services.verify_objection(objection, actor=world.users["office_nc"], status="dismissed", note="改判")


def test_verification_needs_a_note_and_the_programs_office(world: Any, open_notice: Notice) -> None:
    entry = open_notice.entries.first()
    objection = services.submit_objection(open_notice, entry=entry, anonymous=True, name="", contact="x@y.z",
                                          content="反映情况反映情况反映情况", address="3.3.3.3")
    with pytest.raises(services.PublicityError, match="核实情况"):
        services.verify_objection(objection, actor=world.users["office_nc"], status="dismissed", note=" ")
    with pytest.raises(services.PermissionDenied):
        services.verify_objection(objection, actor=world.users["office_gz"], status="dismissed", note="x")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.RECEIVED


def test_no_notice_means_no_clearance(world: Any, academy: Any) -> None:
    app = application(world, academy, title="未公示")
    assert services.clearance(app) == services.Clearance(False, ["尚未公示"], None)


def test_naming_warning_when_the_window_ends_after_31_december(world: Any, academy: Any) -> None:
    late = services.naming_check(academy, planned=dt.date(academy.year + 1, 1, 4))
    assert late.deadline == dt.date(academy.year, 12, 31)
    assert "晚于" in late.warning and f"{academy.year}年12月31日" in late.warning
    fine = services.naming_check(academy, planned=dt.date(academy.year, 12, 30))
    assert fine.warning == ""
    assert services.naming_check(world.rounds["jiangsu"]).deadline is None


# ---- staff pages --------------------------------------------------------------------------------------

def test_staff_pages_per_role(world: Any, open_notice: Notice) -> None:
    office = world.client("office_nc")
    assert office.get("/publicity/").status_code == 200
    detail = office.get(f"/publicity/{open_notice.pk}/")
    assert detail.status_code == 200 and "公示期计算过程" in detail.content.decode()
    assert world.client("office_gz").get(f"/publicity/{open_notice.pk}/").status_code == 404
    for name in ("unit_a", "district_donghu", "expert", "sysadmin"):
        assert world.client(name).get("/publicity/").status_code == 403
        assert world.client(name).get(f"/publicity/{open_notice.pk}/").status_code == 403
    assert Client().get("/publicity/").status_code == 302


def test_office_creates_a_notice_and_sees_the_calendar_error_in_the_form(world: Any) -> None:
    rnd = world.rounds["studio"]
    app = application(world, rnd, title="测试创新工作室")
    office = world.client("office_nc")
    page = office.post(f"/publicity/rounds/{rnd.pk}/new/", {"title": "公示", "start": "2031-09-29",
                                                             "applications": [app.pk]})
    assert page.status_code == 200 and "2031年" in page.content.decode()
    assert not Notice.objects.exists()
    today = timezone.localdate()
    done = office.post(f"/publicity/rounds/{rnd.pk}/new/", {"title": "工作室公示", "start": today.isoformat(),
                                                             "applications": [app.pk]})
    assert done.status_code == 302
    notice = Notice.objects.get()
    window = services.compute_window(rnd, today)["value"]
    assert notice.window_end.isoformat() == window["end"] and notice.working_days


def test_office_verifies_through_the_page(world: Any, open_notice: Notice) -> None:
    entry = open_notice.entries.first()
    objection = services.submit_objection(open_notice, entry=entry, anonymous=True, name="", contact="x@y.z",
                                          content="反映情况反映情况反映情况", address="4.4.4.4")
    office = world.client("office_nc")
    office.post(f"/publicity/objections/{objection.pk}/verify/", {"status": "dismissed", "note": ""})
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.RECEIVED
    office.post(f"/publicity/objections/{objection.pk}/verify/", {"status": "dismissed", "note": "查无实据"})
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED
    assert world.client("office_gz").post(f"/publicity/objections/{objection.pk}/verify/",
                                          {"status": "upheld", "note": "x"}).status_code == 404


def test_objection_form_posts_are_limited_per_address_even_when_invalid(open_notice: Notice, settings: Any) -> None:
    """Every POST counts (branch sec-auth): empty or invalid submissions cannot be used to hammer the form."""
    settings.JIANGXIN_RATE_LIMITS = {**settings.JIANGXIN_RATE_LIMITS, "objection_address": (3, 3600)}
    for _ in range(3):
        assert _post(Client(), open_notice, content="", addr="10.4.4.4").status_code == 400
    refused = _post(Client(), open_notice, addr="10.4.4.4")
    assert refused.status_code == 429 and "过于频繁" in refused.content.decode()
    assert not Objection.objects.exists()
    assert _post(Client(), open_notice, addr="10.4.4.5").status_code == 302
