"""Pluggable navigation and "my tasks".

Any installed jiangxin app may define ``nav.py`` with ``nav_items(user) -> list[NavItem]`` and ``tasks.py``
with ``tasks_for(user) -> list[TaskItem]``; :func:`collect_nav` and :func:`collect_tasks` gather them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import importlib.util
import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class NavItem:
    """A navigation link: ``url_name`` (reversed without arguments) or a ready ``url``."""

    label: str
    url_name: str = ""
    icon: str = ""
    url: str = ""
    order: int = 100

    @property
    def href(self) -> str:
        if self.url:
            return self.url
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return ""


@dataclasses.dataclass(frozen=True, slots=True)
class TaskItem:
    """Something waiting for the user: ``count`` open items, optional ``due`` date; ``kind`` groups them.
    ``stored``: the title is stored text (a message as it was sent), shown as data rather than translated."""

    title: str
    url: str
    count: int = 0
    due: dt.date | None = None
    kind: str = ""
    stored: bool = False

    @property
    def overdue(self) -> bool:
        from django.utils import timezone

        return self.due is not None and self.due < timezone.localdate()


@lru_cache(maxsize=8)
def _hooks(module_name: str, function: str) -> tuple[Callable[[Any], list[Any]], ...]:
    found: list[Callable[[Any], list[Any]]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("jiangxin."):
            continue
        full = f"{config.name}.{module_name}"
        if importlib.util.find_spec(full) is None:
            continue
        module = importlib.import_module(full)
        hook = getattr(module, function, None)
        if callable(hook):
            found.append(hook)
    return tuple(found)


def _gather(module_name: str, function: str, user: Any) -> list[Any]:
    items: list[Any] = []
    for hook in _hooks(module_name, function):
        try:
            items.extend(hook(user) or [])
        except Exception:  # one app's broken hook must not take every page down
            log.exception("%s.%s failed", module_name, function)
    return items


def collect_nav(user: Any) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = [i for i in _gather("nav", "nav_items", user) if isinstance(i, NavItem)]
    seen: set[str] = set()
    unique: list[NavItem] = []
    for item in sorted(items, key=lambda i: i.order):
        key = item.href or item.label
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def collect_tasks(user: Any) -> list[TaskItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = [i for i in _gather("tasks", "tasks_for", user) if isinstance(i, TaskItem)]
    far = dt.date.max
    return sorted(items, key=lambda t: (t.due or far, -t.count, t.title))
