from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.core.ui import NavItem
from jiangxin.platform.notifications.services import unread_count


def nav_items(user: Any) -> list[NavItem]:
    # core offers no badge hook: the unread count goes into the label
    count = unread_count(user)
    label = _("站内消息（%(n)d 条未读）") % {"n": count} if count else _("站内消息")
    return [NavItem(label, "notifications:inbox", order=5)]
