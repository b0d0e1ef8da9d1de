"""The academy's refusal (a :class:`~jiangxin.platform.core.transitions.TransitionRefused`)."""

from __future__ import annotations

from jiangxin.platform.core.transitions import TransitionRefused


class AcademyError(TransitionRefused):
    """A refused action, with a Chinese message for the user (and the articles, when a rule refused it)."""
