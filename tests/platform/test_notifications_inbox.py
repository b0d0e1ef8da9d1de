"""Notifications: delivery to users and role holders, inbox scoping, e-mail only when enabled."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.notifications.models import Notification
from jiangxin.platform.notifications.services import notify, notify_roles, role_holders, unread_count

pytestmark = pytest.mark.django_db


def test_notify_puts_one_row_per_distinct_active_user(users: dict[str, Any]) -> None:
    office, unit = users[Role.OFFICE], users[Role.UNIT]
    rows = notify([office, unit, office], title="请处理公示异议", body="有新的异议", url="/publicity/", kind="action")
    assert len(rows) == 2
    assert Notification.objects.filter(recipient=office, title="请处理公示异议", kind="action").count() == 1
    assert unread_count(unit) == 1


def test_notify_skips_inactive_users_and_drops_external_links(users: dict[str, Any]) -> None:
    unit = users[Role.UNIT]
    unit.is_active = False
    unit.save()
    office = users[Role.OFFICE]
    notify([unit, office], title="测试", url="//evil.example/x")
    assert not Notification.objects.filter(recipient=unit).exists()
    assert Notification.objects.get(recipient=office).url == ""


def test_notify_rejects_unknown_kind(users: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="unknown notification kind"):
        notify([users[Role.OFFICE]], title="x", kind="shout")


def test_notify_roles_reaches_staff_at_the_org_and_above_but_applicants_only_at_the_org(
        org_tree: dict[str, Any], make_user: Any) -> None:
    t = org_tree
    city_office = make_user(Role.OFFICE, t["nanchang"])
    donghu_district = make_user(Role.DISTRICT, t["donghu"])
    xihu_district = make_user(Role.DISTRICT, t["xihu"])
    unit_a = make_user(Role.UNIT, t["unit_a"])
    unit_b = make_user(Role.UNIT, t["unit_b"])
    make_user(Role.SYSTEM_ADMIN, t["nanchang"])
    reached = set(role_holders(t["unit_a"], [Role.OFFICE, Role.DISTRICT, Role.UNIT, Role.SYSTEM_ADMIN]))
    assert reached == {city_office, donghu_district, unit_a}
    assert xihu_district not in reached and unit_b not in reached
    notify_roles(t["unit_a"], [Role.DISTRICT], title="请初审")
    assert Notification.objects.filter(title="请初审").count() == 1
    assert Notification.objects.get(title="请初审").recipient == donghu_district


def test_inbox_shows_only_the_users_own_notifications(users: dict[str, Any], client_for: Any) -> None:
    office, unit = users[Role.OFFICE], users[Role.UNIT]
    notify([office], title="给主管部门的消息")
    mine = notify([unit], title="给申报单位的消息", url="/applications/")[0]
    page = client_for(unit).get("/notifications/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "给申报单位的消息" in text and "给主管部门的消息" not in text
    assert "站内消息（1 条未读）" in text  # the count in the navigation
    other = Notification.objects.get(recipient=office)
    assert client_for(unit).get(f"/notifications/{other.pk}/").status_code == 404
    response = client_for(unit).get(f"/notifications/{mine.pk}/")
    assert response.status_code == 302 and response["Location"] == "/applications/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_read_touches_only_own_rows(users: dict[str, Any], client_for: Any) -> None:
    office, unit = users[Role.OFFICE], users[Role.UNIT]
    theirs = notify([office], title="A")[0]
    notify([unit], title="B")
    client = client_for(unit)
    client.post("/notifications/read/", {"id": [str(theirs.pk)]})
    assert unread_count(office) == 1
    client.post("/notifications/read/")
    assert unread_count(unit) == 0 and unread_count(office) == 1


def test_inbox_needs_login(client: Any) -> None:
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_unread_notifications_appear_on_my_tasks(users: dict[str, Any], client_for: Any) -> None:
    notify([users[Role.DISTRICT]], title="新的申报待初审", url="/applications/")
    text = client_for(users[Role.DISTRICT]).get("/").content.decode()
    assert "新的申报待初审" in text


def test_no_email_when_disabled(users: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.JIANGXIN_EMAIL_ENABLED = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    office = users[Role.OFFICE]
    office.email = "office@example.test"
    office.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify([office], title="不发邮件")
    assert mail.outbox == []


def test_email_after_commit_when_enabled_and_only_to_users_with_an_address(
        users: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.JIANGXIN_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    office, unit = users[Role.OFFICE], users[Role.UNIT]
    office.email = "office@example.test"
    office.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify([office, unit], title="请审核", body="第1条", url="/review/1/")
        assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["office@example.test"]
    assert "请审核" in mail.outbox[0].subject and "/review/1/" in mail.outbox[0].body


def test_mail_failure_never_breaks_the_transaction(users: dict[str, Any], settings: Any,
                                                   django_capture_on_commit_callbacks: Any, caplog: Any) -> None:
    settings.JIANGXIN_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "tests.platform.test_notifications_inbox.BrokenBackend"
    office = users[Role.OFFICE]
    office.email = "office@example.test"
    office.save()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify([office], title="邮件失败也不影响")
    assert Notification.objects.filter(title="邮件失败也不影响").count() == 1
    assert "notification e-mail" in caplog.text


class BrokenBackend:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("SMTP down")

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass
