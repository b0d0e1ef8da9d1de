"""Role checks for views: ``@role_required(Role.X, ...)`` answers 403 to every other role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

F = TypeVar("F", bound=Callable[..., HttpResponseBase])


def role_required(*roles: str) -> Callable[[F], F]:
    allowed = frozenset(str(r) for r in roles)

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if getattr(request.user, "role", None) not in allowed or not request.user.is_active:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorator
