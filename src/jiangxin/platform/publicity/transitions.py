"""Publicity transitions (公示): opening a notice (only cases at the publicity stage, whole round, no
back-dating), receiving an objection and verifying it. Declared in ``publicity.services``."""

from __future__ import annotations

from jiangxin.platform.core.transitions import track
from jiangxin.platform.publicity import services  # noqa: F401  (registers the publicity.* transitions)
from jiangxin.platform.publicity.models import Notice, Objection

track(Objection, "status")
track(Notice, "published", "window_start", "window_end")
