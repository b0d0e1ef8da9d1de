from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.core.ui import NavItem
from jiangxin.platform.people.access import OFFICE, VIEWERS


def nav_items(user: Any) -> list[NavItem]:
    items = []
    if user.role in VIEWERS:
        items.append(NavItem(_("人员库"), "people:list", order=25))
    if user.role in OFFICE:
        items.append(NavItem(_("禁止申报"), "people:bans", order=26))
    return items
