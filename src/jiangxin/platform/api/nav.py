from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.core.roles import ADMIN_ROLES
from jiangxin.platform.core.ui import NavItem


def nav_items(user: Any) -> list[NavItem]:
    if user.role in ADMIN_ROLES:
        return []
    return [NavItem(_("API 令牌"), "api:tokens", order=90)]
