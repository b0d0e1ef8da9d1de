"""Score sheet transitions (评分表): assignment (with automatic recusal), declaration, submission, signature,
reopening and the replacement of a recused expert. Declared in ``panels.actions``, imported by
``panels.services``."""

from __future__ import annotations

from jiangxin.platform.core.transitions import track
from jiangxin.platform.panels import services  # noqa: F401  (registers the panels.* transitions)
from jiangxin.platform.panels.models import ScoreSheet

track(ScoreSheet, "status")
