"""Declaring transitions from one table per app (状态流转登记表), for service functions that take the actor first.

The registry's :func:`~jiangxin.platform.core.transitions.transition` expects the record as the first positional
argument and the actor as the keyword ``actor``. The older services of the cultivation, park and academy apps are
written ``action(actor, record, ...)``. :func:`declarer` builds, from an app's table of declarations (kept in the
app's ``transitions.py``), a decorator that registers such a function as-is: the first positional argument (or the
keyword ``actor``/``user``) is the actor, the next positional argument is the record whose state is checked::

    SPECS = {"park.exit": dict(title=_("取消入驻"), record="park.Residency", sources=("active", "rectifying"),
                               target="exited", roles=(Role.PARK_OFFICE,), guard="zhenjiang_park/exit_grounds",
                               citation="镇江技能大师园 五（四）")}
    action = declarer(SPECS)

    @action("park.exit")
    def exit_residency(actor, residency, *, on, ...): ...

A declaration may name ``who``: the dotted path (``"package.module:function"``) of the app's own permission
check, called as ``who(actor, *args, **kwargs)`` before the registry's role check, so that a user without the right
keeps getting the app's precise answer (a 403, or "只有省级主管部门可以办理。") rather than the generic one.

It may also give ``refused``: the app's Chinese answer for a record in a state outside ``sources`` (a mapping
from state to message, ``"*"`` for any other), raised as ``error`` (the app's refusal class, a
:class:`TransitionRefused`) with the declaration's citation — the registry re-checks the state under a row lock.

Every call then goes through the registry: roles, from-states under a row lock, ``expect=`` for stale forms, one
transaction, and (unless ``audit=False``) the ``transition:<key>`` audit event.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from django.db import models

from jiangxin.platform.core.transitions import (
    Transition,
    TransitionDecorator,
    TransitionFunction,
    TransitionRefused,
    transition,
)

R = TypeVar("R")

__all__ = ["declarer"]


def declarer(specs: Mapping[str, Mapping[str, Any]]) -> Callable[[str], TransitionDecorator]:
    """A decorator factory: ``@action(key)`` registers the decorated actor-first function under ``specs[key]``.

    The registered function is typed like the registry's (see :class:`TransitionFunction`): its result keeps its
    type and callers may pass ``expect=``; its arguments are not checked against the decorated signature."""

    def action(key: str) -> TransitionDecorator:
        spec = dict(specs[key])
        actor_name = spec.pop("actor_name", "actor")
        who = spec.pop("who", "")
        refused: Mapping[str, str] = spec.pop("refused", {})
        error: type[TransitionRefused] = spec.pop("error", TransitionRefused)

        def decorate(func: Callable[..., R]) -> TransitionFunction[R]:
            @functools.wraps(func)
            def inner(*args: Any, actor: Any = None, **kwargs: Any) -> Any:
                return func(actor, *args, **kwargs)

            registered = transition(key, **spec)(inner)

            @functools.wraps(func)
            def entry(*args: Any, **kwargs: Any) -> Any:
                if actor_name in kwargs:
                    actor = kwargs.pop(actor_name)
                elif args:
                    actor, args = args[0], args[1:]
                else:
                    actor = None
                if who:
                    _resolve(who)(actor, *args, **kwargs)
                if refused and args:
                    _refuse_state(registered.transition, args[0], refused, error, kwargs.get("expect"))
                return registered(*args, actor=actor, **kwargs)

            declared = cast("TransitionFunction[R]", entry)
            declared.transition = registered.transition
            return declared

        return decorate

    return action


def _resolve(path: str) -> Callable[..., Any]:
    module, _sep, name = path.partition(":")
    func: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return func


def _refuse_state(declared: Transition, obj: Any, refused: Mapping[str, str], error: type[TransitionRefused],
                  expect: Any = None) -> None:
    if not isinstance(obj, models.Model) or obj._meta.label != declared.record or obj.pk is None:
        return
    if "*" in declared.sources:
        return
    current = type(obj)._default_manager.filter(pk=obj.pk).values_list(declared.field, flat=True).first()
    if current is None or str(current) in declared.sources:
        return
    if expect not in (None, "") and str(expect) != str(current):
        return  # a stale form: the registry answers "refresh the page"
    message = refused.get(str(current)) or refused.get("*")
    if message:
        raise error(message, citations=[declared.citation] if declared.citation else [])
