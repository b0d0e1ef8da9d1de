"""The audit log as the bottom floor sees it: core writes audit events (transitions, the own-ID reveal) through the
recorder the audit app registers when it loads, so core never imports the app above it.

An event is never dropped: without a registered recorder (the audit app not installed) recording raises.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_recorder: Callable[..., Any] | None = None


def set_recorder(recorder: Callable[..., Any]) -> None:
    """Called by the audit app (AppConfig.ready) with ``audit.service.record``."""
    global _recorder
    _recorder = recorder


def record(action: str, obj: Any = None, **kwargs: Any) -> Any:
    """``audit.service.record``: append an event to the hash chain."""
    if _recorder is None:
        raise ImproperlyConfigured("the audit app (jiangxin.platform.audit) is not installed: events cannot be recorded")
    return _recorder(action, obj, **kwargs)
