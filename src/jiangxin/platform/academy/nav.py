from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.academy.services import can_use
from jiangxin.platform.core.ui import NavItem


def nav_items(user: Any) -> list[NavItem]:
    if not can_use(user):
        return []
    return [NavItem(_("网上工匠学院"), "academy:home", order=50),
            NavItem(_("师资库"), "academy:teachers", order=51),
            NavItem(_("学员库"), "academy:trainees", order=52),
            NavItem(_("课程资源库"), "academy:courses", order=53)]
