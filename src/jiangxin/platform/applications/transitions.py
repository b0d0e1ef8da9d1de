"""Application status transitions (申报状态): submit, withdraw, return for changes, the first-review result.

Declared with ``@transition`` in ``applications.services`` (the old ``submit(user, app)`` style functions call
the registered ones); the review case follows through its own transitions (``review.open``/``review.withdrawn``)."""

from __future__ import annotations

from jiangxin.platform.applications import services  # noqa: F401  (registers the applications.* transitions)
from jiangxin.platform.applications.models import Application
from jiangxin.platform.core.transitions import track

track(Application, "status")
