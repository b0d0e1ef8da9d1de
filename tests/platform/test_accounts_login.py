"""Sign-in with lockout, the login log, forced password change, sign-out."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from jiangxin.platform.accounts.models import LoginEvent, User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.accounts.services import LOGIN_FAILED_MESSAGE

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-Horse-42"
LOGIN = "/accounts/login/"


def login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_login_succeeds_and_is_logged_with_address_and_agent(client, make_user, org_tree):
    make_user(Role.OFFICE, org_tree["nanchang"], username="zhang")
    response = login(client, "zhang", PASSWORD, HTTP_USER_AGENT="TestBrowser/1.0", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:my_tasks")
    event = LoginEvent.objects.get()
    assert (event.username, event.succeeded, event.reason) == ("zhang", True, "ok")
    assert event.address == "10.1.2.3"
    assert event.user_agent == "TestBrowser/1.0"


def test_failure_message_does_not_reveal_whether_the_username_exists(client, make_user):
    make_user(Role.UNIT, username="known")
    known = login(client, "known", "wrong-password").content.decode()
    unknown = login(client, "nobody", "wrong-password").content.decode()
    assert LOGIN_FAILED_MESSAGE in known
    assert LOGIN_FAILED_MESSAGE in unknown
    assert "不存在" not in known + unknown
    reasons = list(LoginEvent.objects.order_by("at").values_list("username", "succeeded", "reason"))
    assert reasons == [("known", False, "bad_password"), ("nobody", False, "unknown_user")]


def test_five_failures_lock_the_account_and_the_right_password_is_refused_while_locked(client, make_user, settings):
    assert settings.JIANGXIN_LOCKOUT_FAILURES == 5
    user = make_user(Role.UNIT, username="li")
    for _ in range(4):
        login(client, "li", "bad")
    user.refresh_from_db()
    assert user.failed_logins == 4 and not user.is_locked
    login(client, "li", "bad")
    user.refresh_from_db()
    assert user.is_locked
    expected = timezone.now() + timezone.timedelta(minutes=settings.JIANGXIN_LOCKOUT_MINUTES)
    assert abs((user.locked_until - expected).total_seconds()) < 60
    sixth = login(client, "li", PASSWORD)
    assert sixth.status_code == 200
    assert LOGIN_FAILED_MESSAGE in sixth.content.decode()
    assert "_auth_user_id" not in client.session
    reasons = list(LoginEvent.objects.filter(username="li").order_by("at", "id").values_list("reason", flat=True))
    assert reasons == ["bad_password"] * 4 + ["bad_password_locked", "locked"]
    from jiangxin.platform.audit.models import AuditEvent
    assert AuditEvent.objects.filter(action="accounts.user.lock", object_id=str(user.pk)).exists()


def test_lock_expires_after_the_lockout_minutes(client, make_user):
    user = make_user(Role.UNIT, username="wu", failed_logins=5,
                     locked_until=timezone.now() - timezone.timedelta(seconds=1))
    assert login(client, "wu", PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.failed_logins == 0 and user.locked_until is None


def test_success_resets_the_failure_counter(client, make_user):
    user = make_user(Role.UNIT, username="zhao")
    login(client, "zhao", "bad")
    login(client, "zhao", "bad")
    login(client, "zhao", PASSWORD)
    user.refresh_from_db()
    assert user.failed_logins == 0


def test_inactive_account_cannot_sign_in(client, make_user):
    make_user(Role.UNIT, username="gone", is_active=False)
    response = login(client, "gone", PASSWORD)
    assert LOGIN_FAILED_MESSAGE in response.content.decode()
    assert LoginEvent.objects.get().reason == "inactive"


def test_empty_form_is_logged_and_answered_in_chinese(client):
    response = client.post(LOGIN, {"username": "", "password": ""})
    assert "请输入用户名和密码" in response.content.decode()
    assert LoginEvent.objects.get().reason == "empty"


def test_login_page_renders_in_chinese(client):
    html = client.get(LOGIN).content.decode()
    assert "登录" in html and "连续 5 次登录失败后账号将锁定 30 分钟" in html


def test_next_parameter_is_followed_only_within_the_site(client, make_user):
    make_user(Role.OFFICE, username="a1")
    assert login(client, "a1", PASSWORD, **{}).status_code == 302
    client.logout()
    response = client.post(LOGIN + "?next=/profile/", {"username": "a1", "password": PASSWORD, "next": "/profile/"})
    assert response["Location"] == "/profile/"
    client.logout()
    response = client.post(LOGIN, {"username": "a1", "password": PASSWORD, "next": "//evil.example/x"})
    assert response["Location"] == reverse("core:my_tasks")


def test_forced_password_change_redirects_every_page_until_done(client, make_user):
    user = make_user(Role.OFFICE, username="new1", must_change_password=True)
    response = login(client, "new1", PASSWORD)
    assert response["Location"] == reverse("accounts:password_change")
    for url in ("/", reverse("core:profile"), reverse("orgs:tree")):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"] == reverse("accounts:password_change"), url
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "首次登录" in page
    weak = client.post(reverse("accounts:password_change"),
                       {"old_password": PASSWORD, "new_password1": "abcdefghij", "new_password2": "abcdefghij"})
    assert weak.status_code == 200
    assert "至少三类" in weak.content.decode() or "三类" in weak.content.decode()
    same = client.post(reverse("accounts:password_change"),
                       {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert "不能与当前密码相同" in same.content.decode()
    wrong_old = client.post(reverse("accounts:password_change"),
                            {"old_password": "nope", "new_password1": "Fresh-Pass-2025", "new_password2": "Fresh-Pass-2025"})
    assert "当前密码不正确" in wrong_old.content.decode()
    ok = client.post(reverse("accounts:password_change"),
                     {"old_password": PASSWORD, "new_password1": "Fresh-Pass-2025", "new_password2": "Fresh-Pass-2025"})
    assert ok.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Fresh-Pass-2025")
    assert client.get("/").status_code == 200  # session kept after the change


def test_logout_is_post_only_and_logged(client, make_user):
    make_user(Role.OFFICE, username="out")
    login(client, "out", PASSWORD)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert LoginEvent.objects.filter(username="out", reason="logout").exists()
    assert client.get("/").status_code == 302


def test_user_model_defaults_force_a_password_change():
    assert User(username="x").must_change_password is True
