"""The park's refusal (a :class:`~jiangxin.platform.core.transitions.TransitionRefused`)."""

from __future__ import annotations

from collections.abc import Iterable

from jiangxin.platform.core.transitions import TransitionRefused


class ParkError(TransitionRefused):
    """A refused operation, with a Chinese message; ``field`` names the form field when there is one and
    ``citations`` the articles when a rule of the document refused it."""

    def __init__(self, message: str, field: str | None = None, *, citations: Iterable[str] = ()) -> None:
        super().__init__(message, citations=citations)
        self.field = field
