from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from jiangxin.platform.core.ui import TaskItem
from jiangxin.platform.notifications.models import Notification

#: at most this many unread notifications are listed on "my tasks" (the inbox has the rest)
SHOWN = 10


def tasks_for(user: Any) -> list[TaskItem]:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).order_by("-created", "-id")
    items = [TaskItem(n.title, reverse("notifications:open", args=[n.pk]), 1, kind=_("未读消息"), stored=True)
             for n in unread[:SHOWN]]
    rest = unread.count() - len(items) if len(items) == SHOWN else 0
    if rest > 0:
        items.append(TaskItem(_("更多未读消息"), reverse("notifications:inbox") + "?show=unread", rest,
                              kind=_("未读消息")))
    return items
