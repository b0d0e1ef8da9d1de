"""Second factor (双因素认证): TOTP devices and recovery codes through django-otp.

Mandatory for the three administrators and for every role the security administrator marks
(``SecondFactorRole``); a user who enrolled a device of their own accord is asked for it too. Recovery codes
are django-otp static tokens (each works once). The enrolment QR code is drawn here as SVG (segno), so the page
needs nothing from outside the intranet.
"""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jiangxin.platform.accounts.models import SecondFactorRole, User
from jiangxin.platform.accounts.roles import ADMIN_ROLES
from jiangxin.platform.audit.service import record

TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"
RECOVERY_CODES = 10


def required_roles() -> set[str]:
    """Roles that must use a second factor: the three administrators plus those the security admin marked."""
    return {str(r) for r in ADMIN_ROLES} | set(SecondFactorRole.objects.values_list("role", flat=True))


def requires_second_factor(user: Any) -> bool:
    return bool(getattr(user, "role", "")) and user.role in required_roles()


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def needs_verification(user: Any) -> bool:
    """Whether this signed-in user must present a one-time code before using the site."""
    return requires_second_factor(user) or confirmed_device(user) is not None


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (one per user; a new key only when none is pending)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def secret_base32(device: TOTPDevice) -> str:
    """The key as authenticator apps expect it when typed by hand."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code (drawn locally, no external service)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, omitsize=False))


def new_recovery_codes(user: User, *, actor: Any = None) -> list[str]:
    """Replace the user's recovery codes with a fresh set; returns them (shown once)."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
        record("accounts.otp.recovery_codes", user, actor=actor or user,
               summary=f"{user.username} 生成了新的恢复码（{RECOVERY_CODES}个，旧码作废）")
    return codes


def confirm_enrolment(request: HttpRequest, user: User, token: str) -> list[str] | None:
    """Check the first code from the authenticator; on success the device counts and recovery codes are made.

    Returns the recovery codes, or None when the code was wrong.
    """
    device = pending_device(user)
    if not device.verify_token((token or "").strip().replace(" ", "")):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()  # one authenticator per user
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record("accounts.otp.enrol", user, actor=user, summary=f"{user.username} 绑定了身份验证器（TOTP）")
    codes = new_recovery_codes(user)
    otp_login(request, device)
    return codes


def verify(request: HttpRequest, user: User, token: str) -> Any:
    """Check a code from the authenticator or a recovery code; marks the session verified on success."""
    token = (token or "").strip().replace(" ", "")
    if not token:
        return None
    devices: list[Any] = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    devices += list(StaticDevice.objects.filter(user=user, confirmed=True))
    for device in devices:
        with transaction.atomic():
            if device.verify_token(token):
                otp_login(request, device)
                if isinstance(device, StaticDevice):
                    record("accounts.otp.recovery_used", user, actor=user,
                           summary=f"{user.username} 使用恢复码完成第二因素认证（剩余{device.token_set.count()}个）")
                return device
    return None


def remove_devices(user: User, *, actor: Any) -> None:
    """Security administrator: the user lost the authenticator; they enrol again at the next sign-in."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record("accounts.otp.reset", user, actor=actor, summary=f"解除用户 {user.username} 的身份验证器，须重新绑定")


def set_required_roles(roles: set[str], *, actor: Any) -> None:
    """Security administrator: which business roles must use a second factor (administrators always do)."""
    roles = {r for r in roles if r not in ADMIN_ROLES}
    with transaction.atomic():
        before = sorted(SecondFactorRole.objects.values_list("role", flat=True))
        SecondFactorRole.objects.exclude(role__in=roles).delete()
        for role in roles - set(before):
            SecondFactorRole.objects.create(role=role, set_by=actor)
        after = sorted(roles)
        if before != after:
            record("accounts.otp.policy", actor, actor=actor, summary="修改须双因素认证的角色",
                   before={"roles": before}, after={"roles": after})
