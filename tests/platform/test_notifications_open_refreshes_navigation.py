"""Opening a message marks it read, and the reader's own next page no longer counts it as unread (the navigation
and the task list are kept in the cache for a short time; reading a message must start them afresh)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_opening_a_notification_clears_its_unread_count_from_the_readers_navigation(
        users: dict[str, Any], client_for: Any, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.JIANGXIN_NAV_CACHE_SECONDS = 30  # as in production
    cache.clear()
    unit = users[Role.UNIT]
    with django_capture_on_commit_callbacks(execute=True):
        (note,) = notify([unit], title="请补充申报材料", url="/applications/")
    client = client_for(unit)
    assert "站内消息（1 条未读）" in client.get("/").content.decode()
    client.get(f"/notifications/{note.pk}/")
    page = client.get("/").content.decode()
    assert "站内消息（1 条未读）" not in page and "请补充申报材料" not in page
