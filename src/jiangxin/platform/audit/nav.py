from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.core.roles import Role
from jiangxin.platform.core.ui import NavItem


def nav_items(user: Any) -> list[NavItem]:
    if user.role == Role.AUDIT_ADMIN:
        return [NavItem(_("审计日志"), "audit:list", order=10),
                NavItem(_("哈希链校验"), "audit:verify", order=11)]
    return []
