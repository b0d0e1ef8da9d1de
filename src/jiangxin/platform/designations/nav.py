from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.ui import NavItem

STAFF = (Role.OFFICE, Role.DISTRICT, Role.PARK_OFFICE, Role.FINANCE)
HOLDERS = (Role.UNIT, Role.TRAINING_UNIT, Role.INDIVIDUAL, Role.TRAINEE)


def nav_items(user: Any) -> list[NavItem]:
    role = getattr(user, "role", "")
    if role in STAFF:
        return [NavItem(_("命名名录"), "designations:directory", order=60)]
    if role in HOLDERS:
        return [NavItem(_("我的命名"), "designations:mine", order=60)]
    return []
