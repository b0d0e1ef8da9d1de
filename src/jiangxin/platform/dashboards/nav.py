from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.ui import NavItem


def nav_items(user: Any) -> list[NavItem]:
    if getattr(user, "role", "") in (Role.OFFICE, Role.DISTRICT, Role.PARK_OFFICE):
        return [NavItem(_("统计看板"), "dashboards:dashboard", order=5)]
    return []
