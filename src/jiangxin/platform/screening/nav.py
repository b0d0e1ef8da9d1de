from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.core.ui import NavItem
from jiangxin.platform.screening.services import can_screen, has_screenable_program


def nav_items(user: Any) -> list[NavItem]:
    if not can_screen(user) or not has_screenable_program(user):
        return []
    return [NavItem(_("资格筛查"), "screening:index", order=85)]
