"""Account services: sign-in with lockout, password changes, user administration. All audited."""

from __future__ import annotations

import datetime as dt
import secrets
import string
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password, is_password_usable, make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from jiangxin.platform.accounts import ratelimit
from jiangxin.platform.accounts.models import LoginEvent, User
from jiangxin.platform.accounts.roles import ADMIN_ROLES
from jiangxin.platform.audit.context import client_address
from jiangxin.platform.audit.service import record, snapshot

#: what a user sees after any failed sign-in: never says whether the name exists or the account is locked
LOGIN_FAILED_MESSAGE = "用户名或密码错误，或账号暂不可用。连续多次失败将暂时锁定账号，如有疑问请联系安全管理员。"

RESET_CODE_MISSING_EMAIL = "该用户未登记电子邮箱，无法把一次性重置码发给本人。请先在用户信息中登记本人邮箱。"

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
    RATE_LIMITED = "rate_limited"
    PASSWORD_RESET = "password_reset"
    RESET_CODE_USED = "reset_code_used"
    OTP_OK = "otp_ok"
    OTP_FAILED = "otp_failed"


REASON_LABELS = {
    Reason.OK: _("登录成功"),
    Reason.UNKNOWN_USER: _("用户名不存在"),
    Reason.BAD_PASSWORD: _("密码错误"),
    Reason.LOCKED: _("账号锁定期间尝试登录"),
    Reason.NOW_LOCKED: _("密码错误，达到上限已锁定"),
    Reason.INACTIVE: _("账号已停用"),
    Reason.EMPTY: _("未填写用户名或密码"),
    Reason.LOGOUT: _("退出登录"),
    Reason.PASSWORD_CHANGED: _("修改密码"),
    Reason.RATE_LIMITED: _("尝试过于频繁，已拒绝"),
    Reason.PASSWORD_RESET: _("管理员重置密码（重置码已发给本人）"),
    Reason.RESET_CODE_USED: _("使用重置码登录"),
    Reason.OTP_OK: _("第二因素认证通过"),
    Reason.OTP_FAILED: _("第二因素认证失败"),
}


def user_snapshot(user: User) -> dict[str, Any]:
    return snapshot(user, fields=USER_FIELDS)


def _log(request: HttpRequest | None, username: str, user: User | None, succeeded: bool, reason: str) -> None:
    LoginEvent.objects.create(
        username=username[:150], user=user, succeeded=succeeded, reason=reason,
        address=client_address(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300])


def _spend_one_hash(password: str, encoded: str) -> None:
    """Run the password hasher exactly once, whatever the account's state (equal-time answers: an unknown,
    locked, inactive or reset account costs what a wrong password costs)."""
    if encoded and is_password_usable(encoded):
        check_password(password, encoded)
    else:
        make_password(password)


def _rate_limited(request: HttpRequest | None, username: str) -> bool:
    address = client_address(request) if request is not None else ""
    return (ratelimit.exceeded("login_address", address or "")
            or ratelimit.exceeded("login_account", username))


def _count_failure(request: HttpRequest | None, username: str) -> None:
    ratelimit.hit("login_address", (client_address(request) if request is not None else "") or "")
    ratelimit.hit("login_account", username)


def attempt_login(request: HttpRequest, username: str, password: str) -> tuple[User | None, str]:
    """Check credentials with lockout and rate limits. Returns (user or None, reason); every attempt is logged.

    After ``JIANGXIN_LOCKOUT_FAILURES`` consecutive failures the account is locked for
    ``JIANGXIN_LOCKOUT_MINUTES``; while locked even the right password is refused. Failures are also counted
    per address and per typed username in the database (``JIANGXIN_RATE_LIMITS``), so guessing across many
    names from one address, or at one name from many processes, is slowed down too. Every path runs the
    password hasher exactly once, so the answer time does not tell an unknown name from a wrong password or a
    locked or inactive account. After an administrator's reset only the one-time reset code is accepted.
    """
    username = (username or "").strip()
    if not username or not password:
        _log(request, username, None, False, Reason.EMPTY)
        return None, Reason.EMPTY
    if _rate_limited(request, username):
        _spend_one_hash(password, "")
        _count_failure(request, username)
        _log(request, username, None, False, Reason.RATE_LIMITED)
        return None, Reason.RATE_LIMITED
    now = timezone.now()
    with transaction.atomic():
        account = User.objects.select_for_update().filter(username=username).first()
        if account is None:
            authenticate(request, username=username, password=password)  # hashes once (ModelBackend)
            _count_failure(request, username)
            _log(request, username, None, False, Reason.UNKNOWN_USER)
            return None, Reason.UNKNOWN_USER
        if account.locked_until is not None:
            if account.locked_until > now:
                _spend_one_hash(password, account.password)
                _count_failure(request, username)
                _log(request, username, account, False, Reason.LOCKED)
                return None, Reason.LOCKED
            account.locked_until = None  # the lock has run out: start counting afresh
            account.failed_logins = 0
        if not account.is_active:
            _spend_one_hash(password, account.password)
            _count_failure(request, username)
            _log(request, username, account, False, Reason.INACTIVE)
            account.save(update_fields=["locked_until", "failed_logins"])
            return None, Reason.INACTIVE
        redeemed = False
        if account.reset_code_hash:
            # only the one-time code sent to the user opens the account after an administrator's reset
            valid = account.reset_code_expires is not None and account.reset_code_expires > now
            redeemed = check_password(password, account.reset_code_hash) and valid
            user = account if redeemed else None
        else:
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
            _count_failure(request, username)
            _log(request, username, account, False, reason)
            return None, reason
        account.failed_logins = 0
        account.locked_until = None
        fields = ["failed_logins", "locked_until"]
        if redeemed:
            account.reset_code_hash = ""
            account.reset_code_expires = None
            account.must_change_password = True
            fields += ["reset_code_hash", "reset_code_expires", "must_change_password"]
        account.save(update_fields=fields)
        ratelimit.clear("login_account", username)
        account.backend = getattr(user, "backend", "django.contrib.auth.backends.ModelBackend")
        if redeemed:
            record("accounts.user.reset_code_redeemed", account, actor=account,
                   summary=f"{account.username} 用一次性重置码登录，须立即设置新密码")
            _log(request, username, account, True, Reason.RESET_CODE_USED)
            _notify_self(account, "您已使用重置码登录",
                         "您的账号刚刚使用管理员重置后发给您的一次性重置码登录。如非本人操作，请立即联系安全管理员。")
            return account, Reason.RESET_CODE_USED
        _log(request, username, account, True, Reason.OK)
        return account, Reason.OK


def _notify_self(user: User, title: str, body: str) -> None:
    from jiangxin.platform.notifications.services import notify

    notify([user], title=title, body=body, kind="info")


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
        _revoke_tokens(user, gettext_noop("修改密码"))
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
        if not active:
            _revoke_tokens(user, gettext_noop("停用账号"))
        record("accounts.user.activate" if active else "accounts.user.deactivate", user, actor=actor,
               summary=f"{'启用' if active else '停用'}用户 {user.username}", before=before,
               after=user_snapshot(user))
    return user


def _revoke_tokens(user: User, why: str) -> None:
    """Announce that the user's old credentials are void (the API app revokes the tokens: accounts.signals)."""
    from jiangxin.platform.accounts.signals import credentials_revoked

    credentials_revoked.send(sender=User, user=user, why=why)


def generate_reset_code() -> str:
    """A one-time reset code: 12 characters in groups, no look-alike letters."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def reset_password(user: User, *, actor: Any = None, request: HttpRequest | None = None,
                   new_account: bool = False) -> User:
    """An administrator resets a user's password without ever learning a usable one (防止管理员冒用身份).

    The old password stops working at once, sessions and API tokens end, and a one-time code goes by e-mail to
    the user only; at the next sign-in that code is accepted once, after which the user must choose a new
    password. The reset appears in the audit log and in the login log the security administrator reads.
    ``new_account``: the same for an account just created with an e-mail address (no temporary password is shown).
    """
    if not user.email:
        raise ValueError(RESET_CODE_MISSING_EMAIL)
    code = generate_reset_code()
    expires = timezone.now() + dt.timedelta(hours=settings.JIANGXIN_RESET_CODE_HOURS)
    with transaction.atomic():
        user.set_unusable_password()
        user.reset_code_hash = make_password(code)
        user.reset_code_expires = expires
        user.must_change_password = True
        user.failed_logins = 0
        user.locked_until = None
        user.save(update_fields=["password", "reset_code_hash", "reset_code_expires", "must_change_password",
                                 "failed_logins", "locked_until"])
        _revoke_tokens(user, gettext_noop("管理员重置密码"))
        what = "为新用户" if new_account else "重置用户"
        record("accounts.user.password_reset", user, actor=actor,
               summary=f"{what} {user.username} 发出一次性重置码（已发至本人邮箱，管理员不可见）",
               after={"reset_code_expires": expires.isoformat(), "new_account": new_account})
        LoginEvent.objects.create(
            username=user.username, user=user, succeeded=True, reason=Reason.PASSWORD_RESET,
            address=client_address(request) if request is not None else None,
            user_agent=f"由 {getattr(actor, 'username', 'system')} 操作"[:300])
        if not new_account:
            _notify_self(user, "您的密码已被管理员重置",
                         f"系统管理员 {getattr(actor, 'username', '')} 重置了您的密码。一次性重置码已发至您的邮箱，"
                         "请用它登录并立即设置新密码。如非您本人申请，请联系安全管理员。")
    _mail_reset_code(user, code, expires, new_account=new_account)  # after the rows are written: a code that works, or no mail
    return user


def _mail_reset_code(user: User, code: str, expires: dt.datetime, *, new_account: bool = False) -> None:
    from django.core.mail import send_mail

    opening = "系统管理员为您开设了账号。" if new_account else "您的登录密码已被管理员重置。"
    send_mail("【匠心】一次性重置码",
              f"{user.display_name or user.username}：\n\n{opening}请在登录页用户名处填写 "
              f"{user.username}，密码处填写一次性重置码：\n\n    {code}\n\n"
              f"重置码仅可使用一次，有效期至 {timezone.localtime(expires):%Y-%m-%d %H:%M}。登录后须立即设置新密码。"
              "\n重置码只发给您本人，管理员无法看到；请勿转告他人。",
              settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=True)


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
