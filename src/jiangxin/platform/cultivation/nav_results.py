"""Side-navigation entries for the cultivation year's results part."""

from __future__ import annotations

from typing import Any

from jiangxin.platform.core.ui import NavItem, TaskItem


def nav_items(user: Any) -> list[NavItem]:
    return []


def tasks_for(user: Any) -> list[TaskItem]:
    return []
