"""Statistics kept for a few minutes (统计快照): a dashboard's numbers are aggregates over whole tables (every
application, designation and ledger entry of a province), so the charts for one scope and filter are computed
once and kept for ``JIANGXIN_STATS_CACHE_SECONDS`` (default 300; 0 computes them on every request). The page
says when its numbers were computed.

The key holds everything the numbers depend on: the reader's role and organisation (their data scope) and the
city bureaus the reader leads (a city lead sees more trainees than a colleague of the same bureau), the filters
and the language (the charts carry translated labels).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

T = TypeVar("T")


def seconds() -> int:
    return int(getattr(settings, "JIANGXIN_STATS_CACHE_SECONDS", 300))


def kept(parts: dict[str, Any], compute: Callable[[], T]) -> tuple[T, dt.datetime]:
    """``compute()``'s value and when it was computed: from the cache while it is fresh, else computed now."""
    ttl = seconds()
    if ttl <= 0:
        return compute(), timezone.now()
    digest = hashlib.sha256(json.dumps({**parts, "lang": get_language()}, sort_keys=True, default=str)
                            .encode()).hexdigest()[:32]
    key = f"jiangxin:stats:{digest}"
    hit = cache.get(key)
    if hit is None:
        hit = (compute(), timezone.now())
        cache.set(key, hit, ttl)
    return hit  # type: ignore[no-any-return]
