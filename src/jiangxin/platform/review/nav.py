from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.ui import NavItem

REVIEW_ROLES = (Role.OFFICE, Role.DISTRICT, Role.PARK_OFFICE)


def nav_items(user: Any) -> list[NavItem]:
    if getattr(user, "role", "") in REVIEW_ROLES:
        return [NavItem(_("评审办理"), "review:queue", order=40)]
    return []
