"""Questions a lower app asks of an app above it, answered by a function the higher app registers when it loads
(its AppConfig.ready), so that the lower app never imports it. A question nobody has answered is a
misconfiguration (the answering app is not installed) and raises: a check is never silently skipped.

    # applications (lower) asks:        answers.ask("applications.submission_bars", application)
    # review (higher) answers, in ready: answers.answer("applications.submission_bars", submission_bans)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_answers: dict[str, Callable[..., Any]] = {}


def answer(question: str, func: Callable[..., Any]) -> None:
    """Register the function that answers ``question`` (one per question; a second registration replaces it)."""
    _answers[question] = func


def ask(question: str, *args: Any, **kwargs: Any) -> Any:
    try:
        func = _answers[question]
    except KeyError:
        raise ImproperlyConfigured(f"nobody answers {question!r}: the app that answers it is not installed") from None
    return func(*args, **kwargs)
