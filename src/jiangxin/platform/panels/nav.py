from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.ui import NavItem
from jiangxin.platform.panels.services import MANAGER_ROLES


def nav_items(user: Any) -> list[NavItem]:
    if user.role == Role.EXPERT:
        return [NavItem(_("我的评审任务"), "panels:mine", order=20)]
    if user.role in MANAGER_ROLES:
        return [NavItem(_("评审专家组"), "panels:list", order=45)]
    return []
