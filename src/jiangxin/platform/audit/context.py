"""The current request's user and address, for audit records written deep in service functions."""

from __future__ import annotations

import contextvars
import dataclasses
from typing import Any


@dataclasses.dataclass(frozen=True)
class RequestContext:
    user: Any = None
    address: str | None = None


_current: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "jiangxin_request", default=RequestContext())  # noqa: B039 - frozen dataclass, immutable


def current_request_context() -> RequestContext:
    return _current.get()


def set_request_context(ctx: RequestContext) -> contextvars.Token[RequestContext]:
    return _current.set(ctx)


def reset_request_context(token: contextvars.Token[RequestContext]) -> None:
    _current.reset(token)


def client_address(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
