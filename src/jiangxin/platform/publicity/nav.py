from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.ui import NavItem


def nav_items(user: Any) -> list[NavItem]:
    if user.role in (Role.OFFICE, Role.PARK_OFFICE):
        return [NavItem(_("公示与异议"), "publicity:list", order=60)]
    return []
