from __future__ import annotations

from typing import Any

from jiangxin.platform.core.ui import NavItem
from jiangxin.platform.cultivation import nav_results, nav_setup, nav_training


def nav_items(user: Any) -> list[NavItem]:
    return [*nav_setup.nav_items(user), *nav_training.nav_items(user), *nav_results.nav_items(user)]
