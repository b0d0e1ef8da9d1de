"""Administrators cannot act as others (防止管理员冒用用户身份): a reset gives the administrator no usable
password — a one-time code goes to the user only, works once at the next sign-in and forces a new password;
the user is told; the reset and the first sign-in after it are audited and shown in the login log."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.notifications.models import Notification

pytestmark = pytest.mark.django_db


def login(username: str, password: str) -> tuple[Client, Any]:
    client = Client()
    return client, client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.fixture
def reset(users: Any, client_for: Any) -> tuple[User, str, str]:
    """The system administrator resets the office user's password: (user, admin's page, mailed code)."""
    target = users["office"]
    target.email = "office@example.org"
    target.save(update_fields=["email"])
    page = client_for(users["sysadmin"]).post(reverse("accounts:user_reset_password", args=[target.pk]))
    assert page.status_code == 200
    (message,) = mail.outbox
    assert message.to == ["office@example.org"]
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", message.body).group(0)
    target.refresh_from_db()
    return target, page.content.decode(), code


def test_administrator_never_sees_a_usable_password_or_the_code(reset: tuple[User, str, str]) -> None:
    target, admin_page, code = reset
    assert code not in admin_page and "临时密码" not in admin_page
    assert not target.has_usable_password()
    assert login(target.username, PASSWORD)[1].status_code == 200  # the old password is gone


def test_only_the_one_time_code_opens_the_account_once_and_forces_a_new_password(
        reset: tuple[User, str, str]) -> None:
    target, _page, code = reset
    client, response = login(target.username, code)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    assert client.get(reverse("core:my_tasks"))["Location"] == reverse("accounts:password_change")
    assert login(target.username, code)[1].status_code == 200  # used up
    form = client.get(reverse("accounts:password_change")).content.decode()
    assert 'name="old_password"' not in form  # no current password exists to ask for
    done = client.post(reverse("accounts:password_change"), {
        "new_password1": "Own-Choice-Pass-91", "new_password2": "Own-Choice-Pass-91"})
    assert done.status_code == 302
    target.refresh_from_db()
    assert not target.must_change_password
    assert login(target.username, "Own-Choice-Pass-91")[1].status_code == 302


def test_the_user_is_notified_and_reset_and_first_sign_in_are_audited_and_in_the_login_log(
        reset: tuple[User, str, str], users: Any, client_for: Any) -> None:
    target, _page, code = reset
    login(target.username, code)
    assert Notification.objects.filter(recipient=target, title__contains="重置").exists()
    actions = set(AuditEvent.objects.filter(object_id=str(target.pk)).values_list("action", flat=True))
    assert {"accounts.user.password_reset", "accounts.user.reset_code_redeemed"} <= actions
    reset_event = AuditEvent.objects.get(action="accounts.user.password_reset", object_id=str(target.pk))
    assert reset_event.actor_name == users["sysadmin"].username
    log = client_for(users["secadmin"]).get(reverse("accounts:login_log"), {"username": target.username})
    text = log.content.decode()
    assert "管理员重置密码" in text and "使用重置码登录" in text


def test_reset_without_an_email_address_is_refused_with_a_clear_message(users: Any, client_for: Any) -> None:
    target = users["unit"]
    response = client_for(users["sysadmin"]).post(reverse("accounts:user_reset_password", args=[target.pk]),
                                                  follow=True)
    assert "未登记电子邮箱" in response.content.decode()
    target.refresh_from_db()
    assert target.has_usable_password() and not mail.outbox


def test_expired_reset_code_is_refused(reset: tuple[User, str, str]) -> None:
    target, _page, code = reset
    User.objects.filter(pk=target.pk).update(reset_code_expires=timezone.now() - dt.timedelta(minutes=1))
    assert login(target.username, code)[1].status_code == 200


def test_the_reset_revokes_the_users_api_tokens(users: Any, client_for: Any) -> None:
    from jiangxin.platform.api.services import create_token

    target = users["office"]
    target.email = "office@example.org"
    target.save(update_fields=["email"])
    _row, plain = create_token(target, "对接")
    client_for(users["sysadmin"]).post(reverse("accounts:user_reset_password", args=[target.pk]))
    assert Client().get("/api/v1/applications", HTTP_AUTHORIZATION=f"Bearer {plain}").status_code == 401


def test_a_new_account_with_an_email_gets_its_first_sign_in_code_by_mail_not_on_the_admin_page(
        users: Any, client_for: Any, org_tree: Any) -> None:
    page = client_for(users["sysadmin"]).post(reverse("accounts:user_create"), {
        "username": "newcomer", "display_name": "新同事", "email": "newcomer@example.org", "role": Role.DISTRICT,
        "organisation": org_tree["xihu"].pk}).content.decode()
    (message,) = mail.outbox
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", message.body).group(0)
    assert code not in page and "temporary-password" not in page
    created = User.objects.get(username="newcomer")
    assert not created.has_usable_password()
    _client, response = login("newcomer", code)
    assert response["Location"] == reverse("accounts:password_change")
