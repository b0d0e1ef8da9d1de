"""Second factor (双因素认证, TOTP through django-otp): mandatory for the three administrators and the roles the
security administrator marks; enrolment page with a QR code drawn on the server; recovery codes."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from jiangxin.platform.accounts.models import LoginEvent
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def sign_in(username: str) -> tuple[Client, Any]:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    return client, response


def enrol(client: Client, user: Any) -> list[str]:
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page = client.post(reverse("accounts:otp_setup"), {"code": code_for(device)}).content.decode()
    return re.findall(r"<li>([a-z0-9]+)</li>", page)


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_administrator_must_enrol_an_authenticator_before_reaching_anything(role: str, make_user: Any) -> None:
    admin = make_user(role, username=f"new_{role}")
    client, response = sign_in(admin.username)
    assert response["Location"].startswith(reverse("accounts:otp_setup"))
    blocked = client.get(reverse("accounts:login_log"))
    assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("accounts:otp_setup"))
    page = client.get(reverse("accounts:otp_setup")).content.decode()
    assert "<svg" in page and "otpauth" not in page.split("<svg", 1)[0]
    codes = enrol(client, admin)
    assert len(codes) == 10
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    assert client.get(reverse("core:my_tasks")).status_code in (200, 403)  # verified: no more redirect
    assert AuditEvent.objects.filter(action="accounts.otp.enrol", object_id=str(admin.pk)).exists()


def test_enrolment_page_needs_nothing_from_outside_the_intranet(make_user: Any) -> None:
    make_user(Role.AUDIT_ADMIN, username="offline")
    client, _ = sign_in("offline")
    page = client.get(reverse("accounts:otp_setup")).content.decode()
    assert not re.search(r"(src|href)=\"https?://", page)
    assert "<svg" in page  # the QR code itself, drawn on the server


def test_wrong_enrolment_code_is_refused_in_chinese(make_user: Any) -> None:
    admin = make_user(Role.SYSTEM_ADMIN, username="typo")
    client, _ = sign_in("typo")
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=admin)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    page = client.post(reverse("accounts:otp_setup"), {"code": wrong}).content.decode()
    assert "验证码不正确" in page
    assert not TOTPDevice.objects.filter(user=admin, confirmed=True).exists()


def test_enrolled_user_enters_a_code_after_the_password_and_a_wrong_one_is_logged(make_user: Any) -> None:
    admin = make_user(Role.SECURITY_ADMIN, username="sec2")
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client, response = sign_in("sec2")
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert client.get(reverse("accounts:login_log")).status_code == 302
    bad = client.post(reverse("accounts:otp_verify"), {"code": "12345"})
    assert bad.status_code == 400 and "验证码不正确" in bad.content.decode()
    assert LoginEvent.objects.filter(username="sec2", reason="otp_failed").exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # django-otp throttles after a failure; the user waited
    device.throttling_failure_timestamp = None
    device.save()
    ok = client.post(reverse("accounts:otp_verify"), {"code": code_for(device)})
    assert ok.status_code == 302
    assert client.get(reverse("accounts:login_log")).status_code == 200


def test_recovery_code_works_once(make_user: Any) -> None:
    admin = make_user(Role.AUDIT_ADMIN, username="lostphone")
    client, _ = sign_in("lostphone")
    codes = enrol(client, admin)
    second, _ = sign_in("lostphone")
    assert second.post(reverse("accounts:otp_verify"), {"code": codes[0]}).status_code == 302
    assert AuditEvent.objects.filter(action="accounts.otp.recovery_used").exists()
    third, _ = sign_in("lostphone")
    assert third.post(reverse("accounts:otp_verify"), {"code": codes[0]}).status_code == 400
    assert StaticToken.objects.filter(device__user=admin).count() == 9


def test_unverified_session_cannot_replace_the_authenticator(make_user: Any) -> None:
    admin = make_user(Role.SYSTEM_ADMIN, username="thief")
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client, _ = sign_in("thief")  # knows the password, not the phone
    response = client.get(reverse("accounts:otp_setup") + "?replace=1")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:otp_verify")
    assert client.post(reverse("accounts:otp_setup"), {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=admin).count() == 1


def test_security_admin_marks_a_business_role_and_its_users_must_enrol(users: Any, client_for: Any,
                                                                       make_user: Any, org_tree: Any) -> None:
    sec = client_for(users["secadmin"])
    assert sec.get(reverse("accounts:second_factor_policy")).status_code == 200
    assert sec.post(reverse("accounts:second_factor_policy"), {"roles": [Role.FINANCE]}).status_code == 302
    make_user(Role.FINANCE, org_tree["nanchang"], username="cashier")
    make_user(Role.OFFICE, org_tree["nanchang"], username="clerk")
    _c, finance = sign_in("cashier")
    _c, office = sign_in("clerk")
    assert finance["Location"].startswith(reverse("accounts:otp_setup"))
    assert not office["Location"].startswith("/accounts/otp/")
    assert AuditEvent.objects.filter(action="accounts.otp.policy").exists()


def test_second_factor_setting_is_for_the_security_admin_only(users: Any, client_for: Any) -> None:
    for role in (Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN, Role.OFFICE):
        assert client_for(users[role]).post(reverse("accounts:second_factor_policy"),
                                            {"roles": [Role.OFFICE]}).status_code == 403


def test_security_admin_removes_a_lost_authenticator(users: Any, client_for: Any, make_user: Any) -> None:
    admin = make_user(Role.AUDIT_ADMIN, username="dropped")
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    sec = client_for(users["secadmin"])
    assert "dropped" in sec.get(reverse("accounts:second_factor_policy")).content.decode()
    sec.post(reverse("accounts:second_factor_reset", args=[admin.pk]))
    assert not TOTPDevice.objects.filter(user=admin).exists()
    _c, response = sign_in("dropped")
    assert response["Location"].startswith(reverse("accounts:otp_setup"))


def test_token_page_also_waits_for_the_second_factor(users: Any, client_for: Any, make_user: Any,
                                                     org_tree: Any) -> None:
    """A password alone must not mint an API token for a role that needs the second factor."""
    client_for(users["secadmin"]).post(reverse("accounts:second_factor_policy"), {"roles": [Role.OFFICE]})
    user = make_user(Role.OFFICE, org_tree["nanchang"], username="apiclerk")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client, _ = sign_in("apiclerk")
    response = client.post(reverse("api:tokens"), {"name": "对接"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_verify"))
    assert not user.api_tokens.exists()
