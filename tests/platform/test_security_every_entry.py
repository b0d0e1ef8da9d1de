"""身份鉴别 on every entry: the first-login password change, lockout and idle timeout hold for pages, the API
token pages and the tokens themselves; tokens expire and are revoked on password change, reset and
deactivation; their owner lists and revokes them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.api import services as token_services
from jiangxin.platform.api.models import ApiToken

pytestmark = pytest.mark.django_db


def sign_in(username: str, password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302
    return client


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_new_user_with_temporary_password_cannot_create_a_token_or_read_the_api(make_user: Any,
                                                                                org_tree: Any) -> None:
    make_user(Role.OFFICE, org_tree["nanchang"], username="fresh", must_change_password=True)
    client = sign_in("fresh")
    page = client.get(reverse("api:tokens"))
    assert page.status_code == 302 and page["Location"] == reverse("accounts:password_change")
    post = client.post(reverse("api:tokens"), {"name": "偷跑"})
    assert post.status_code == 302 and post["Location"] == reverse("accounts:password_change")
    assert not ApiToken.objects.exists()


def test_token_stops_working_while_its_owner_must_change_the_password(make_user: Any, org_tree: Any) -> None:
    user = make_user(Role.OFFICE, org_tree["nanchang"], username="tok1")
    _row, plain = token_services.create_token(user, "对接")
    assert Client().get("/api/v1/applications", **bearer(plain)).status_code == 200
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    assert Client().get("/api/v1/applications", **bearer(plain)).status_code == 401


def test_token_of_a_locked_account_is_refused(make_user: Any, org_tree: Any) -> None:
    user = make_user(Role.OFFICE, org_tree["nanchang"], username="tok2")
    _row, plain = token_services.create_token(user, "对接")
    user.locked_until = timezone.now() + dt.timedelta(minutes=10)
    user.save(update_fields=["locked_until"])
    assert Client().get("/api/v1/applications", **bearer(plain)).status_code == 401


def test_token_expires_after_the_configured_days(make_user: Any, org_tree: Any, settings: Any) -> None:
    settings.JIANGXIN_API_TOKEN_DAYS = 30
    user = make_user(Role.OFFICE, org_tree["nanchang"], username="tok3")
    row, plain = token_services.create_token(user, "对接")
    assert dt.timedelta(days=29) < row.expires_at - timezone.now() <= dt.timedelta(days=30)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Client().get("/api/v1/applications", **bearer(plain)).status_code == 401
    page = sign_in("tok3").get(reverse("api:tokens")).content.decode()
    assert "已到期" in page


def test_token_unused_for_the_idle_days_stops_working(make_user: Any, org_tree: Any, settings: Any) -> None:
    settings.JIANGXIN_API_TOKEN_IDLE_DAYS = 30
    user = make_user(Role.OFFICE, org_tree["nanchang"], username="tok5")
    row, plain = token_services.create_token(user, "对接")
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now() - dt.timedelta(days=29))
    assert Client().get("/api/v1/applications", **bearer(plain)).status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now() - dt.timedelta(days=31))
    assert Client().get("/api/v1/applications", **bearer(plain)).status_code == 401


def test_changing_the_password_revokes_every_token(make_user: Any, org_tree: Any) -> None:
    user = make_user(Role.OFFICE, org_tree["nanchang"], username="tok4")
    _row, plain = token_services.create_token(user, "对接")
    client = sign_in("tok4")
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Brand-New-Pass-77", "new_password2": "Brand-New-Pass-77"})
    assert response.status_code == 302
    assert Client().get("/api/v1/applications", **bearer(plain)).status_code == 401
    assert ApiToken.objects.get(user=user).revoked_reason == "修改密码"


def test_deactivating_an_account_revokes_its_tokens(users: Any, client_for: Any) -> None:
    target = users["office"]
    _row, plain = token_services.create_token(target, "对接")
    client_for(users["sysadmin"]).post(reverse("accounts:user_set_active", args=[target.pk]), {"active": "0"})
    assert Client().get("/api/v1/applications", **bearer(plain)).status_code == 401
    client_for(users["sysadmin"]).post(reverse("accounts:user_set_active", args=[target.pk]), {"active": "1"})
    assert Client().get("/api/v1/applications", **bearer(plain)).status_code == 401  # stays revoked


def test_owner_lists_and_revokes_own_tokens_but_not_anyone_elses(make_user: Any, org_tree: Any) -> None:
    owner = make_user(Role.OFFICE, org_tree["nanchang"], username="owner")
    other = make_user(Role.OFFICE, org_tree["nanchang"], username="other")
    mine, plain = token_services.create_token(owner, "我的对接")
    theirs, _ = token_services.create_token(other, "别人的对接")
    client = sign_in("owner")
    page = client.get(reverse("api:tokens")).content.decode()
    assert "我的对接" in page and "别人的对接" not in page
    assert client.post(reverse("api:token_revoke", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("api:token_revoke", args=[mine.pk])).status_code == 302
    assert Client().get("/api/v1/applications", **bearer(plain)).status_code == 401
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_administrator_pages_under_accounts_also_wait_for_the_password_change(make_user: Any) -> None:
    """/accounts/ used to be exempt as a whole: the user administration pages lived behind it."""
    admin = make_user(Role.SYSTEM_ADMIN, username="newadmin", must_change_password=True)
    client = Client()
    client.force_login(admin)
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")


def test_idle_session_ends_after_the_timeout(make_user: Any, org_tree: Any, settings: Any) -> None:
    make_user(Role.OFFICE, org_tree["nanchang"], username="idle")
    client = sign_in("idle")
    assert client.get(reverse("core:my_tasks")).status_code == 200
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 30 * 60
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))  # 30 idle minutes later
    response = client.get(reverse("core:my_tasks"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
