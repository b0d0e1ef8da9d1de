"""Round status transitions (申报批次): open for applications, close. Declared in ``rounds.services``."""

from __future__ import annotations

from jiangxin.platform.core.transitions import track
from jiangxin.platform.rounds import services  # noqa: F401  (registers the rounds.* transitions)
from jiangxin.platform.rounds.models import Round

track(Round, "status")
