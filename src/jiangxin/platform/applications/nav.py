from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import ADMIN_ROLES, APPLICANT_ROLES
from jiangxin.platform.core.ui import NavItem


def nav_items(user: Any) -> list[NavItem]:
    if user.role in ADMIN_ROLES:
        return []
    label = _("我的申报") if user.role in APPLICANT_ROLES else _("申报查询")
    return [NavItem(label, "applications:list", order=31)]
