from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.core.ui import NavItem
from jiangxin.platform.orgs.views import ORG_VIEWERS


def nav_items(user: Any) -> list[NavItem]:
    if user.role in ORG_VIEWERS:
        return [NavItem(_("组织机构"), "orgs:tree", order=20)]
    return []
