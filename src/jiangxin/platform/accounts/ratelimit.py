"""Rate limits counted in the database (限制登录尝试频率): so a limit holds across worker processes and servers.

``hit(scope, value)`` counts one attempt; ``exceeded(scope, value)`` says whether the window's allowance
(``JIANGXIN_RATE_LIMITS[scope] = (count, seconds)``) is used up. Keys are HMACs of the address or username, so
the table holds no addresses or names in clear.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.utils import timezone

from jiangxin.platform.accounts.models import RateLimitHit


def _key(scope: str, value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{scope}:{value}".lower().encode(), hashlib.sha256).hexdigest()


def _limit(scope: str) -> tuple[int, int]:
    count, seconds = settings.JIANGXIN_RATE_LIMITS[scope]
    return int(count), int(seconds)


def exceeded(scope: str, value: str) -> bool:
    """True when ``value`` already used up its allowance in ``scope`` for the current window."""
    if not value:
        return False
    count, seconds = _limit(scope)
    since = timezone.now() - dt.timedelta(seconds=seconds)
    return RateLimitHit.objects.filter(scope=scope, key=_key(scope, value), at__gte=since).count() >= count


def hit(scope: str, value: str) -> None:
    """Count one attempt; rows older than the window are pruned now and then."""
    if not value:
        return
    now = timezone.now()
    RateLimitHit.objects.create(scope=scope, key=_key(scope, value), at=now)
    if now.second == 0:  # cheap occasional clean-up, no scheduler needed
        _count, seconds = _limit(scope)
        RateLimitHit.objects.filter(scope=scope, at__lt=now - dt.timedelta(seconds=seconds)).delete()


def check_and_hit(scope: str, value: str) -> bool:
    """Count the attempt and answer whether it is over the limit (the attempt that crosses it included)."""
    over = exceeded(scope, value)
    hit(scope, value)
    return over


def clear(scope: str, value: str) -> None:
    """Forget the attempts of ``value`` (a successful sign-in clears the account's failures)."""
    RateLimitHit.objects.filter(scope=scope, key=_key(scope, value)).delete()
