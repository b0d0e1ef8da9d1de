from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.ui import NavItem


def nav_items(user: Any) -> list[NavItem]:
    if getattr(user, "role", "") == Role.SYSTEM_ADMIN:
        return [NavItem(_("工作日日历"), "workcalendar:year_list", order=20)]
    return []
