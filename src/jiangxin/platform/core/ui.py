"""Pluggable navigation and "my tasks".

Any installed jiangxin app may define ``nav.py`` with ``nav_items(user) -> list[NavItem]`` and ``tasks.py``
with ``tasks_for(user) -> list[TaskItem]``; :func:`collect_nav` and :func:`collect_tasks` gather them.

Both are computed at most once per request (kept on the request when the caller passes it) and kept per user in the Django
cache for ``JIANGXIN_NAV_CACHE_SECONDS`` (default 30 s; 0 turns the cache off). Every state change through the
transition registry and every new or read notification calls :func:`forget_all`, which starts a new cache
generation, so the acting user's own next page is fresh; a change that is not a transition (a new draft, an
import) shows in the navigation and task counts of other users within that short time. While the hooks run,
:func:`memo` lets them share a value (e.g. the current cultivation year) instead of querying it again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import importlib.util
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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
        return _reversed(self.url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=512)
def _reversed(url_name: str, prefix: str, urlconf: str) -> str:
    """A navigation link's address, reversed once per process (every page shows ~40 links, each read 3 times
    by the template: 120 ``reverse`` calls, ~10 ms a page). ``prefix`` and ``urlconf`` key what it depends on."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return ""


@dataclasses.dataclass(frozen=True, slots=True)
class TaskItem:
    """Something waiting for the user: ``count`` open items, optional ``due`` date; ``kind`` groups them.
    ``stored``: the title is stored text (a message as it was sent), shown as data rather than translated.
    ``subject``: what the (translated) title is about when that is data people entered — a round's or an
    application's title, a panel, a notice — shown after the title, separated by a translated colon and marked as
    data, so the platform's words follow the reader and the data stays as entered."""

    title: str
    url: str
    count: int = 0
    due: dt.date | None = None
    kind: StrOrPromise = ""  # often a lazy translation
    stored: bool = False
    subject: str = ""

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


#: the per-app modules the pages ask on every request (navigation, tasks) and their functions
HOOK_MODULES = (("nav", "nav_items"), ("tasks", "tasks_for"))


def load_hooks() -> int:
    """Import every app's navigation and task modules ahead of the first page (``ops.warmup``); returns how many
    hooks were found."""
    return sum(len(_hooks(module_name, function)) for module_name, function in HOOK_MODULES)


T = TypeVar("T")

_MEMO: ContextVar[dict[str, Any] | None] = ContextVar("jiangxin_ui_memo", default=None)
_GENERATION_KEY = "jx:ui:generation"


@contextmanager
def _memo_scope(request: Any = None) -> Iterator[None]:
    shared = getattr(request, "_jx_ui_memo", None)
    if shared is None:
        shared = {}
        if request is not None:
            request._jx_ui_memo = shared  # navigation and tasks of one request share the memo
    token = _MEMO.set(shared) if _MEMO.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _MEMO.reset(token)


def memo(key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once while navigation and tasks are being gathered (every call outside that: computed)."""
    shared = _MEMO.get()
    if shared is None:
        return compute()
    if key not in shared:
        shared[key] = compute()
    return shared[key]  # type: ignore[no-any-return]


def _ttl() -> int:
    return int(getattr(settings, "JIANGXIN_NAV_CACHE_SECONDS", 30))


def forget_all() -> None:
    """Start a new cache generation: every user's navigation and tasks are computed afresh on the next page."""
    if _ttl() <= 0:
        return
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:  # no generation yet (or it expired)
        cache.add(_GENERATION_KEY, 1, timeout=None)


def _cache_key(kind: str, user: Any) -> str:
    generation = cache.get(_GENERATION_KEY, 0)
    return (f"jx:ui:{kind}:{generation}:{user.pk}:{getattr(user, 'role', '')}:"
            f"{getattr(user, 'organisation_id', '')}:{translation.get_language()}")


def _cached(kind: str, user: Any, request: Any, compute: Callable[[], list[T]]) -> list[T]:
    attribute = f"_jx_ui_{kind}"
    held = getattr(request, attribute, None) if request is not None else None
    if held is not None:  # the same request already computed it
        return list(held)
    ttl = _ttl()
    key = _cache_key(kind, user) if ttl > 0 else ""
    items: list[T] | None = cache.get(key) if key else None
    if items is None:
        with _memo_scope(request):
            items = compute()
        if key:
            cache.set(key, items, ttl)
    if request is not None:
        setattr(request, attribute, tuple(items))
    return list(items)


def _gather(module_name: str, function: str, user: Any) -> list[Any]:
    items: list[Any] = []
    for hook in _hooks(module_name, function):
        try:
            items.extend(hook(user) or [])
        except Exception:  # one app's broken hook must not take every page down
            log.exception("%s.%s failed", module_name, function)
    return items


def collect_nav(user: Any, request: Any = None) -> list[NavItem]:
    """The user's navigation; pass the ``request`` to compute it only once for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    return _cached("nav", user, request, lambda: _collect_nav(user))


def _collect_nav(user: Any) -> list[NavItem]:
    items = [i for i in _gather("nav", "nav_items", user) if isinstance(i, NavItem)]
    seen: set[str] = set()
    unique: list[NavItem] = []
    for item in sorted(items, key=lambda i: i.order):
        key = item.href or item.label
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def collect_tasks(user: Any, request: Any = None) -> list[TaskItem]:
    """The user's open tasks; pass the ``request`` to compute them only once for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    return _cached("tasks", user, request, lambda: _collect_tasks(user))


def _collect_tasks(user: Any) -> list[TaskItem]:
    items = [i for i in _gather("tasks", "tasks_for", user) if isinstance(i, TaskItem)]
    far = dt.date.max
    return sorted(items, key=lambda t: (t.due or far, -t.count, t.title, t.subject))
