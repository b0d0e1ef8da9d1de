from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.ui import NavItem


def nav_items(user: Any) -> list[NavItem]:
    role = getattr(user, "role", "")
    if role == Role.PARK_OFFICE:
        return [NavItem(_("创新园入驻工作室"), "park:home", order=60), NavItem(_("园区费用"), "park:fees", order=61),
                NavItem(_("企业服务需求"), "park:requests", order=62)]
    if role == Role.UNIT:
        from jiangxin.platform.park.common import visible_residencies

        if visible_residencies(user).exists():
            return [NavItem(_("创新园入驻"), "park:home", order=60), NavItem(_("企业服务需求"), "park:requests", order=61)]
    return []
