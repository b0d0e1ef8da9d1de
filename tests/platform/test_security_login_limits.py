"""入侵防范 at the door: failed sign-ins limited per address and per account, counted in the database so the
limit holds across processes; token creation limited too; every failure answers with the same work (the
password hasher runs exactly once), so unknown, wrong, locked, inactive and reset accounts look alike."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from jiangxin.platform.accounts import services
from jiangxin.platform.accounts.models import LoginEvent, RateLimitHit
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.api.models import ApiToken

pytestmark = pytest.mark.django_db


def login(username: str, password: str, address: str = "10.9.9.9") -> Any:
    return Client().post(reverse("accounts:login"), {"username": username, "password": password},
                         REMOTE_ADDR=address)


def test_failures_with_many_usernames_from_one_address_are_then_refused(make_user: Any, settings: Any) -> None:
    settings.JIANGXIN_RATE_LIMITS = {**settings.JIANGXIN_RATE_LIMITS, "login_address": (5, 600)}
    make_user(Role.EXPERT, username="realexpert")
    for n in range(5):
        assert login(f"guess{n}", "wrong-password").status_code == 200
    refused = login("realexpert", PASSWORD)
    assert refused.status_code == 429 and "过于频繁" in refused.content.decode()
    assert "_auth_user_id" not in refused.client.session
    assert LoginEvent.objects.filter(username="realexpert", reason="rate_limited").exists()
    assert login("realexpert", PASSWORD, address="10.9.9.10").status_code == 302  # another address is fine


def test_failures_on_one_account_from_many_addresses_are_then_refused(make_user: Any, settings: Any) -> None:
    settings.JIANGXIN_RATE_LIMITS = {**settings.JIANGXIN_RATE_LIMITS, "login_account": (3, 600)}
    settings.JIANGXIN_LOCKOUT_FAILURES = 100  # the per-account limit, not the lockout, is under test
    make_user(Role.EXPERT, username="target")
    for n in range(3):
        login("target", "wrong-password", address=f"10.0.1.{n}")
    assert login("target", PASSWORD, address="10.0.2.1").status_code == 429


def test_limits_are_counted_in_the_database_so_every_process_sees_them(settings: Any) -> None:
    login("nobody", "wrong-password", address="10.7.7.7")
    scopes = set(RateLimitHit.objects.values_list("scope", flat=True))
    assert scopes == {"login_address", "login_account"}
    assert not RateLimitHit.objects.filter(key__contains="10.7.7.7").exists()  # keys are HMACs, not addresses


def test_token_creation_is_rate_limited_per_account(make_user: Any, org_tree: Any, settings: Any) -> None:
    settings.JIANGXIN_RATE_LIMITS = {**settings.JIANGXIN_RATE_LIMITS, "token_account": (2, 3600)}
    make_user(Role.OFFICE, org_tree["nanchang"], username="integrator")
    client = Client()
    client.post(reverse("accounts:login"), {"username": "integrator", "password": PASSWORD})
    assert client.post(reverse("api:tokens"), {"name": "a"}).status_code == 200
    assert client.post(reverse("api:tokens"), {"name": "b"}).status_code == 200
    third = client.post(reverse("api:tokens"), {"name": "c"})
    assert third.status_code == 429 and "过于频繁" in third.content.decode()
    assert ApiToken.objects.count() == 2


class CountingHasher(MD5PasswordHasher):
    """MD5 for speed, counting how often a password is actually hashed."""

    calls = 0

    def encode(self, password: str, salt: str) -> str:
        type(self).calls += 1
        return super().encode(password, salt)


@pytest.fixture
def counting(settings: Any) -> type[CountingHasher]:
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    return CountingHasher


def _hashes_for(counting: type[CountingHasher], username: str, password: str) -> tuple[int, str]:
    counting.calls = 0
    _user, reason = services.attempt_login(None, username, password)  # type: ignore[arg-type]
    return counting.calls, reason


def test_unknown_wrong_locked_inactive_and_reset_accounts_each_run_the_hasher_exactly_once(
        make_user: Any, counting: type[CountingHasher]) -> None:
    make_user(Role.EXPERT, username="known")
    make_user(Role.EXPERT, username="locked", locked_until=timezone.now() + dt.timedelta(minutes=30))
    make_user(Role.EXPERT, username="inactive", is_active=False)
    reset = make_user(Role.EXPERT, username="reset")
    reset.set_unusable_password()
    reset.reset_code_hash = "md5$x$" + "0" * 32
    reset.reset_code_expires = timezone.now() + dt.timedelta(hours=1)
    reset.save()
    outcomes = {name: _hashes_for(counting, name, "not-the-password")
                for name in ("nobody", "known", "locked", "inactive", "reset")}
    assert outcomes == {"nobody": (1, "unknown_user"), "known": (1, "bad_password"), "locked": (1, "locked"),
                        "inactive": (1, "inactive"), "reset": (1, "bad_password")}
    assert _hashes_for(counting, "locked", PASSWORD) == (1, "locked")  # the right password costs the same


def test_every_failure_gets_the_same_answer_on_the_page(make_user: Any) -> None:
    make_user(Role.EXPERT, username="same1")
    make_user(Role.EXPERT, username="same2", is_active=False)
    make_user(Role.EXPERT, username="same3", locked_until=timezone.now() + dt.timedelta(minutes=30))
    # the same page apart from the echoed username and the CSRF tokens
    blank = re.compile(r'value="[^"]*"|"X-CSRFToken": "[^"]*"')
    pages = {blank.sub("", login(name, "wrong-password", address=f"10.3.3.{n}").content.decode())
             for n, name in enumerate(("nobody", "same1", "same2", "same3"))}
    assert len(pages) == 1 and services.LOGIN_FAILED_MESSAGE in pages.pop()
