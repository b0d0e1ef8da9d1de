from __future__ import annotations

from typing import Any

from jiangxin.platform.core.ui import TaskItem
from jiangxin.platform.cultivation import nav_results, nav_setup, nav_training


def tasks_for(user: Any) -> list[TaskItem]:
    return [*nav_setup.tasks_for(user), *nav_training.tasks_for(user), *nav_results.tasks_for(user)]
