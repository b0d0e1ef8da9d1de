"""Template context for every page: navigation for the role, who is signed in, idle timeout."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from jiangxin.platform.core.ui import collect_nav


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_items": collect_nav(user, request) if user is not None else [],
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_idle_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
