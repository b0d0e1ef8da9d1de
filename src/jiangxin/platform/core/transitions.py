"""The transition registry (状态流转登记): every state a user can move changes only through a named action.

Each app declares its transitions in ``<app>/transitions.py`` by decorating the service function that carries the
change out::

    @transition("designations.revoke", title=_("撤销命名"), record="designations.Designation",
                sources=("active", "yellow_card"), target="revoked", roles=(Role.OFFICE,),
                guard="<program>/revocation", citation="各项目办法中列明的撤销情形")
    def revoke(designation, *, actor, ground, facts, expect=None): ...

What the decorator adds around the function, for every caller (page, API, command, background job):

- **roles**: ``actor`` (keyword argument) must hold one of ``roles``; ``actor=None`` (a scheduled or background
  action) is allowed only where ``SYSTEM`` is among the roles;
- **from-states**: when the first positional argument is an instance of ``record``, its current ``field`` value is
  re-read under a row lock and must be one of ``sources`` (``("*",)`` = any state);
- **stale forms**: a caller may pass ``expect=<state the form was rendered in>``; a record that moved on meanwhile
  is refused instead of being changed twice;
- **one transaction**: the function runs inside ``transaction.atomic()``; a guard that refuses raises
  :class:`TransitionRefused` (message + citations) and nothing is written;
- **audit**: unless ``audit=False`` (for functions that write their own, richer audit record) an event
  ``transition:<key>`` with the before/after state is appended to the hash chain.

The guard itself is the function's own policy computation (an ``Outcome`` with citations); ``guard`` and
``citation`` name it for ``docs/process.md`` and the pages. ``track(Model, "status")`` marks state fields: with
``settings.JIANGXIN_TRANSITIONS_CHECK`` set to ``"record"`` or ``"raise"`` (tests), a save that changes such a field
outside a registered transition is reported, which is how the resolver test proves that no URL steps around the
registry. :class:`GuardedQuerySet` does the same for ``QuerySet.update``.
"""

from __future__ import annotations

import contextvars
import dataclasses
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar, cast

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _

from jiangxin.platform.core.ui import forget_all

__all__ = ["REGISTRY", "SYSTEM", "VIOLATIONS", "GuardedQuerySet", "Transition", "TransitionDecorator",
           "TransitionFunction", "TransitionRefused", "UnregisteredStateChange", "active_transitions", "by_app",
           "track", "tracked_fields", "transition", "within"]

R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)

#: the role name of an action nobody signed in for (a scheduled run, a background job, a management command)
SYSTEM = "system"
ANY = "*"

_ACTIVE: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("jiangxin_transitions", default=())


@dataclasses.dataclass(frozen=True)
class Transition:
    """One declared state change."""

    key: str  # "<app>.<action>", e.g. "designations.revoke"
    title: Any  # a (lazy) translatable Chinese title, e.g. 撤销命名
    record: str  # model label, e.g. "designations.Designation"
    field: str  # the state field on the record
    sources: tuple[str, ...]  # from-states; ("*",) = any
    target: str  # to-state; "" when the action decides it (e.g. the next stage of a workflow)
    roles: tuple[str, ...]  # acting roles (values of accounts.roles.Role, or SYSTEM)
    guard: str  # the policy computation deciding it, e.g. "nanchang_academy/revocation"
    citation: str  # the article(s) the guard cites
    function: str  # dotted path of the service function
    audit: bool = True

    @property
    def app(self) -> str:
        return self.key.split(".", 1)[0]


class TransitionFunction(Protocol[R_co]):
    """A service function as the registry returns it: same result, one keyword more (``expect=``), and the
    declaration as ``.transition``.

    Typing choice: the wrapper accepts every argument of the wrapped function plus the keyword ``expect``, which it
    pops before the call. PEP 612 (``ParamSpec``/``Concatenate``) can prepend positional parameters but cannot add a
    keyword, so the parameters are typed ``*args: Any, **kwargs: Any``: callers' arguments are not checked against
    the wrapped signature, while the result keeps its type and ``expect`` is known."""

    transition: Transition

    def __call__(self, *args: Any, expect: str | None = None, **kwargs: Any) -> R_co: ...


class TransitionDecorator(Protocol):
    """What ``@transition(...)`` (and a :func:`~jiangxin.platform.core.declare.declarer` action) applies."""

    def __call__(self, func: Callable[..., R], /) -> TransitionFunction[R]: ...


class TransitionRefused(Exception):
    """The state, the role or the guard does not allow this change; nothing was written.

    ``message`` is Chinese prose for the page; ``citations`` the articles it rests on."""

    def __init__(self, message: str, *, citations: Iterable[str] = (), outcome: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.citations = tuple(c for c in citations if c)
        self.outcome = outcome

    def __str__(self) -> str:
        if not self.citations:
            return self.message
        return _("%(message)s（依据：%(citations)s）") % {"message": self.message,
                                                       "citations": "；".join(self.citations)}


class UnregisteredStateChange(AssertionError):
    """A tracked state field changed outside every registered transition (a bypass)."""


REGISTRY: dict[str, Transition] = {}
_TRACKED: dict[str, tuple[str, ...]] = {}
#: bypasses seen while ``JIANGXIN_TRANSITIONS_CHECK == "record"`` (cleared by the tests that read it)
VIOLATIONS: list[str] = []


def transition(key: str, *, title: Any, record: str, field: str = "status", sources: Iterable[str] = (ANY,),
               target: str = "", roles: Iterable[str] = (), guard: str = "", citation: str = "",
               audit: bool = True) -> TransitionDecorator:
    """Declare the decorated service function as the transition ``key`` (see the module docstring)."""
    sources = tuple(str(s) for s in sources)
    roles = tuple(str(r) for r in roles)

    def decorate(func: Callable[..., R]) -> TransitionFunction[R]:
        declared = Transition(key=key, title=title, record=record, field=field, sources=sources,
                              target=str(target), roles=roles, guard=guard, citation=citation,
                              function=f"{func.__module__}.{func.__qualname__}", audit=audit)
        if key in REGISTRY and REGISTRY[key].function != declared.function:
            raise ValueError(f"transition {key} declared twice")
        REGISTRY[key] = declared

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            expect = kwargs.pop("expect", None)
            actor = kwargs.get("actor")
            _check_role(declared, actor)
            token = _ACTIVE.set((*_ACTIVE.get(), key))
            try:
                with transaction.atomic():
                    obj = args[0] if args and _is_record(declared, args[0]) else None
                    before = _current_state(declared, obj) if obj is not None else None
                    if obj is not None:
                        _check_state(declared, before, expect)
                    result = func(*args, **kwargs)
                    if obj is not None and declared.audit:
                        _audit(declared, obj, actor, before)
                    transaction.on_commit(forget_all)  # every user's navigation and task counts: afresh
                    return result
            finally:
                _ACTIVE.reset(token)

        registered = cast("TransitionFunction[R]", run)
        registered.transition = declared
        return registered

    return decorate


def _is_record(declared: Transition, obj: Any) -> bool:
    return isinstance(obj, models.Model) and obj._meta.label == declared.record


def _check_role(declared: Transition, actor: Any) -> None:
    if not declared.roles:
        return
    if actor is None:
        if SYSTEM not in declared.roles:
            raise TransitionRefused(_("“%(title)s”须由有权限的用户办理。") % {"title": declared.title})
        return
    if getattr(actor, "role", None) not in declared.roles or not getattr(actor, "is_active", True):
        raise TransitionRefused(_("您的角色不能办理“%(title)s”。") % {"title": declared.title})


def _current_state(declared: Transition, obj: models.Model) -> Any:
    if obj.pk is None:
        return None
    row = (type(obj)._default_manager.select_for_update().filter(pk=obj.pk)
           .values_list(declared.field, flat=True).first())
    return row


def _check_state(declared: Transition, current: Any, expect: Any) -> None:
    if expect not in (None, "") and str(expect) != str(current):
        raise TransitionRefused(_("该记录已被办理，状态已发生变化，请刷新页面后再试。"))
    if ANY in declared.sources or current is None:
        return
    if str(current) not in declared.sources:
        raise TransitionRefused(_("当前状态不能办理“%(title)s”。") % {"title": declared.title})


def _audit(declared: Transition, obj: models.Model, actor: Any, before: Any) -> None:
    from jiangxin.platform.core.auditing import record  # the audit app's recorder (audit sits above core)

    after = (type(obj)._default_manager.filter(pk=obj.pk).values_list(declared.field, flat=True).first()
             if obj.pk is not None else None)
    record(f"transition:{declared.key}", obj, actor=actor, summary=str(declared.title),
           before={declared.field: before}, after={declared.field: after})


def active_transitions() -> tuple[str, ...]:
    """The keys of the transitions running in this context (innermost last)."""
    return _ACTIVE.get()


@contextmanager
def within(key: str) -> Iterator[None]:
    """Run a block as part of the registered transition ``key`` (for bulk paths that call no decorated function,
    e.g. a yearly run writing many rows at once). ``key`` must be registered."""
    if key not in REGISTRY:
        raise KeyError(f"transition {key} is not registered")
    token = _ACTIVE.set((*_ACTIVE.get(), key))
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def by_app() -> dict[str, list[Transition]]:
    """The registry grouped by app, each app's transitions in declaration order (for docs/process.md)."""
    grouped: dict[str, list[Transition]] = {}
    for declared in REGISTRY.values():
        grouped.setdefault(declared.app, []).append(declared)
    return grouped


# --- tracked state fields: catching bypasses ---------------------------------------------------------------

def track(model: type[models.Model] | str, *fields: str) -> None:
    """Mark ``fields`` of ``model`` as state fields that only registered transitions may change."""
    label = model if isinstance(model, str) else model._meta.label
    _TRACKED[label] = tuple(dict.fromkeys((*_TRACKED.get(label, ()), *fields)))


def tracked_fields() -> dict[str, tuple[str, ...]]:
    return dict(_TRACKED)


def _mode() -> str:
    return str(getattr(settings, "JIANGXIN_TRANSITIONS_CHECK", "off"))


def _report(label: str, fields: Iterable[str]) -> None:
    message = f"{label}.{'/'.join(fields)} changed outside a registered transition"
    if _mode() == "raise":
        raise UnregisteredStateChange(message)
    VIOLATIONS.append(message)


def _on_pre_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **_kw: Any) -> None:
    if raw or _mode() == "off" or _ACTIVE.get():
        return
    fields = _TRACKED.get(sender._meta.label)
    if not fields or instance.pk is None:
        return
    stored = sender._default_manager.filter(pk=instance.pk).values(*fields).first()
    if stored is None:
        return
    attnames = {f: cast("models.Field[Any, Any]", sender._meta.get_field(f)).attname for f in fields}
    changed = [f for f in fields if stored[f] != getattr(instance, attnames[f])]
    if changed:
        _report(sender._meta.label, changed)


pre_save.connect(_on_pre_save, dispatch_uid="jiangxin.core.transitions.pre_save")


class GuardedQuerySet(models.QuerySet[Any]):
    """A queryset whose ``update()`` of a tracked state field outside a transition is reported like a save."""

    def update(self, **kwargs: Any) -> int:
        fields = _TRACKED.get(self.model._meta.label, ())
        hit = [f for f in fields if f in kwargs]
        if hit and _mode() != "off" and not _ACTIVE.get():
            _report(self.model._meta.label, hit)
        return super().update(**kwargs)


def autodiscover() -> None:
    """Import every installed app's ``transitions`` module so the registry is complete."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("transitions")


def model_for(declared: Transition) -> type[models.Model]:
    return apps.get_model(declared.record)
