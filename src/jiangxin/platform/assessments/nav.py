from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.assessments.services import OFFICE_ROLES, UNIT_ROLES
from jiangxin.platform.core.ui import NavItem


def nav_items(user: Any) -> list[NavItem]:
    if getattr(user, "role", "") in (*OFFICE_ROLES, *UNIT_ROLES):
        return [NavItem(_("年度考核"), "assessments:index", order=55)]
    return []
