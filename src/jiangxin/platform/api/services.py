from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from jiangxin.platform.api.models import ApiToken, hash_token, new_token
from jiangxin.platform.audit.service import record


def create_token(user: Any, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns the row and the plain token (shown to the user once, never stored)."""
    plain = new_token()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name[:100] or "API", token_hash=hash_token(plain),
                                        hint=plain[:10])
        record("api_token.create", token, actor=user, summary=f"创建 API 令牌 {token.name}",
               after={"name": token.name, "hint": token.hint})
    return token, plain


def revoke_token(user: Any, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk, user=user)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record("api_token.revoke", token, actor=user, summary=f"吊销 API 令牌 {token.name}",
                   after={"revoked_at": token.revoked_at})
    return token


def authenticate(plain: str) -> Any:
    """The active user of a valid, unrevoked token, or None. Records the time of use."""
    if not plain:
        return None
    token = (ApiToken.objects.select_related("user", "user__organisation")
             .filter(token_hash=hash_token(plain), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
