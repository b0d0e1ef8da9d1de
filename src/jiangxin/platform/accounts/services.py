"""Account services: sign-in with lockout, password changes, user administration. All audited."""

from __future__ import annotations

import datetime as dt
import secrets
import string
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jiangxin.platform.accounts.models import LoginEvent, User
from jiangxin.platform.accounts.roles import ADMIN_ROLES
from jiangxin.platform.audit.context import client_address
from jiangxin.platform.audit.service import record, snapshot

#: what a user sees after any failed sign-in: never says whether the name exists or the account is locked
LOGIN_FAILED_MESSAGE = "用户名或密码错误，或账号暂不可用。连续多次失败将暂时锁定账号，如有疑问请联系安全管理员。"

USER_FIELDS = ["username", "display_name", "email", "role", "organisation_id", "person_id", "is_active",
               "must_change_password", "failed_logins", "locked_until"]


class Reason:
    OK = "ok"
    UNKNOWN_USER = "unknown_user"
    BAD_PASSWORD = "bad_password"
    LOCKED = "locked"
    NOW_LOCKED = "bad_password_locked"
    INACTIVE = "inactive"
    EMPTY = "empty"
    LOGOUT = "logout"
    PASSWORD_CHANGED = "password_changed"
    EXPIRED = "session_expired"


REASON_LABELS = {
    Reason.OK: "登录成功",
    Reason.UNKNOWN_USER: "用户名不存在",
    Reason.BAD_PASSWORD: "密码错误",
    Reason.LOCKED: "账号锁定期间尝试登录",
    Reason.NOW_LOCKED: "密码错误，达到上限已锁定",
    Reason.INACTIVE: "账号已停用",
    Reason.EMPTY: "未填写用户名或密码",
    Reason.LOGOUT: "退出登录",
    Reason.PASSWORD_CHANGED: "修改密码",
}


def user_snapshot(user: User) -> dict[str, Any]:
    return snapshot(user, fields=USER_FIELDS)


def _log(request: HttpRequest | None, username: str, user: User | None, succeeded: bool, reason: str) -> None:
    LoginEvent.objects.create(
        username=username[:150], user=user, succeeded=succeeded, reason=reason,
        address=client_address(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300])


def attempt_login(request: HttpRequest, username: str, password: str) -> tuple[User | None, str]:
    """Check credentials with lockout. Returns (user or None, reason); every attempt is logged.

    After ``JIANGXIN_LOCKOUT_FAILURES`` consecutive failures the account is locked for
    ``JIANGXIN_LOCKOUT_MINUTES``; while locked even the right password is refused.
    """
    username = (username or "").strip()
    if not username or not password:
        _log(request, username, None, False, Reason.EMPTY)
        return None, Reason.EMPTY
    now = timezone.now()
    with transaction.atomic():
        account = User.objects.select_for_update().filter(username=username).first()
        if account is None:
            authenticate(request, username=username, password=password)  # same cost as a real check
            _log(request, username, None, False, Reason.UNKNOWN_USER)
            return None, Reason.UNKNOWN_USER
        if account.locked_until is not None:
            if account.locked_until > now:
                _log(request, username, account, False, Reason.LOCKED)
                return None, Reason.LOCKED
            account.locked_until = None  # the lock has run out: start counting afresh
            account.failed_logins = 0
        if not account.is_active:
            _log(request, username, account, False, Reason.INACTIVE)
            account.save(update_fields=["locked_until", "failed_logins"])
            return None, Reason.INACTIVE
        user = authenticate(request, username=username, password=password)
        if user is None:
            account.failed_logins += 1
            reason = Reason.BAD_PASSWORD
            if account.failed_logins >= settings.JIANGXIN_LOCKOUT_FAILURES:
                account.locked_until = now + dt.timedelta(minutes=settings.JIANGXIN_LOCKOUT_MINUTES)
                reason = Reason.NOW_LOCKED
                record("accounts.user.lock", account, actor=account,
                       summary=f"连续{account.failed_logins}次登录失败，账号锁定至"
                               f"{timezone.localtime(account.locked_until):%Y-%m-%d %H:%M}",
                       after={"failed_logins": account.failed_logins,
                              "locked_until": account.locked_until.isoformat()})
            account.save(update_fields=["failed_logins", "locked_until"])
            _log(request, username, account, False, reason)
            return None, reason
        account.failed_logins = 0
        account.locked_until = None
        account.save(update_fields=["failed_logins", "locked_until"])
        account.backend = getattr(user, "backend", "django.contrib.auth.backends.ModelBackend")
        _log(request, username, account, True, Reason.OK)
        return account, Reason.OK


def log_logout(request: HttpRequest, user: User) -> None:
    _log(request, user.get_username(), user, True, Reason.LOGOUT)


def generate_temporary_password(length: int = 14) -> str:
    """A random password meeting the policy (all four character classes)."""
    pools = [string.ascii_lowercase, string.ascii_uppercase, string.digits, "!#$%*+-=?@^_"]
    chars = [secrets.choice(pool) for pool in pools]
    everything = "".join(pools)
    chars += [secrets.choice(everything) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def change_password(user: User, new_password: str, *, request: HttpRequest | None = None) -> None:
    """The user sets their own password (also ends the forced first-login change)."""
    validate_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        record("accounts.user.password_change", user, actor=user, summary=f"{user.username} 修改了本人密码")
    _log(request, user.get_username(), user, True, Reason.PASSWORD_CHANGED)


def create_user(*, username: str, role: str, organisation: Any = None, display_name: str = "", email: str = "",
                person: Any = None, actor: Any = None, password: str | None = None,
                password_hash: str | None = None) -> tuple[User, str]:
    """Create an account with a temporary password that must be changed at first sign-in.

    Returns (user, temporary password) — the password is shown once and never stored in clear.
    ``password_hash`` (an already hashed password, e.g. the demo's shared one) skips hashing again.
    """
    temporary = password or generate_temporary_password()
    with transaction.atomic():
        user = User(username=username, role=role, organisation=organisation, display_name=display_name,
                    email=email, person=person, must_change_password=True, is_staff=False, is_superuser=False)
        if password_hash:
            user.password = password_hash
        else:
            user.set_password(temporary)
        user.full_clean(exclude=["password"])
        user.save()
        record("accounts.user.create", user, actor=actor,
               summary=f"创建用户 {username}（{user.get_role_display()}）", after=user_snapshot(user))
    return user, temporary


def update_user(user: User, *, actor: Any = None, **changes: Any) -> User:
    allowed = {"display_name", "email", "role", "organisation", "person"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"update_user() cannot change {sorted(unknown)}")
    before = user_snapshot(user)
    for key, value in changes.items():
        setattr(user, key, value)
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        record("accounts.user.update", user, actor=actor, summary=f"修改用户 {user.username}",
               before=before, after=user_snapshot(user))
    return user


def set_active(user: User, active: bool, *, actor: Any = None) -> User:
    before = user_snapshot(user)
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        record("accounts.user.activate" if active else "accounts.user.deactivate", user, actor=actor,
               summary=f"{'启用' if active else '停用'}用户 {user.username}", before=before,
               after=user_snapshot(user))
    return user


def reset_password(user: User, *, actor: Any = None) -> str:
    """A new temporary password (shown once to the system administrator); must be changed at sign-in."""
    temporary = generate_temporary_password()
    with transaction.atomic():
        user.set_password(temporary)
        user.must_change_password = True
        user.failed_logins = 0
        user.locked_until = None
        user.save(update_fields=["password", "must_change_password", "failed_logins", "locked_until"])
        record("accounts.user.password_reset", user, actor=actor, summary=f"重置用户 {user.username} 的密码")
    return temporary


def unlock(user: User, *, actor: Any = None) -> User:
    before = user_snapshot(user)
    with transaction.atomic():
        user.failed_logins = 0
        user.locked_until = None
        user.save(update_fields=["failed_logins", "locked_until"])
        record("accounts.user.unlock", user, actor=actor, summary=f"解锁用户 {user.username}", before=before,
               after=user_snapshot(user))
    return user


def manageable_by_system_admin(user: User) -> bool:
    """The system administrator manages business accounts, never the three administrators (三员分立)."""
    return user.role not in ADMIN_ROLES and not user.is_superuser
