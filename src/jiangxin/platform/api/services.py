"""API tokens (API 令牌): created by their owner from a signed-in (and, where required, second-factor verified)
session, shown once, stored as a hash; they expire after ``JIANGXIN_API_TOKEN_DAYS``, stop working after
``JIANGXIN_API_TOKEN_IDLE_DAYS`` without use, and are revoked when the
owner changes the password, an administrator resets it, or the account is deactivated. A token only works while
its owner could sign in: active, not locked, no pending forced password change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from jiangxin.platform.api.models import ApiToken, hash_token, new_token
from jiangxin.platform.audit.service import record


def create_token(user: Any, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns the row and the plain token (shown to the user once, never stored)."""
    plain = new_token()
    expires = timezone.now() + dt.timedelta(days=settings.JIANGXIN_API_TOKEN_DAYS)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name[:100] or "API", token_hash=hash_token(plain),
                                        hint=plain[:10], expires_at=expires)
        record("api_token.create", token, actor=user, summary=f"创建 API 令牌 {token.name}",
               after={"name": token.name, "hint": token.hint, "expires_at": expires.isoformat()})
    return token, plain


def revoke_token(user: Any, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk, user=user)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_reason = gettext_noop("本人吊销")
            token.save(update_fields=["revoked_at", "revoked_reason"])
            record("api_token.revoke", token, actor=user, summary=f"吊销 API 令牌 {token.name}",
                   after={"revoked_at": token.revoked_at})
    return token


def revoke_all(user: Any, reason: str) -> int:
    """Revoke every live token of ``user`` (password change or reset, deactivation); audited when any."""
    now = timezone.now()
    with transaction.atomic():
        count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=now, revoked_reason=reason[:50])
        if count:
            record("api_token.revoke_all", user, summary=f"因{reason}吊销用户 {user.username} 的 {count} 个 API 令牌",
                   after={"count": count, "reason": reason})
    return count


def usable_by(user: Any) -> bool:
    """The owner may still act: active, not locked, not waiting for a forced password change or reset code."""
    return bool(user.is_active and not user.is_locked and not user.must_change_password
                and not getattr(user, "reset_code_hash", ""))


def authenticate(plain: str) -> Any:
    """The user of a valid, unrevoked, unexpired token whose owner may act, or None. Records the time of use."""
    if not plain:
        return None
    token = (ApiToken.objects.select_related("user", "user__organisation")
             .filter(token_hash=hash_token(plain), revoked_at__isnull=True).first())
    if token is None or token.expired or not usable_by(token.user):
        return None
    now = timezone.now()
    idle_days = getattr(settings, "JIANGXIN_API_TOKEN_IDLE_DAYS", 0)
    if idle_days and now - (token.last_used_at or token.created_at) > dt.timedelta(days=idle_days):
        return None  # unused for too long: the idle timeout of tokens
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
