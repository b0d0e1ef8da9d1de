"""The review chain's transitions (状态流转登记): case stage moves and the round-level decisions.

Each state change of a review case is a service function of ``review.actions`` declared with ``@transition``
(key, from-states, to-state or "" when the program's workflow decides, acting roles, guard computation and
article); importing ``review.services``, which re-exports them, registers them. Which stage a case moves to, and who acts at each stage of each
program, is the program's ``workflow.yaml`` (see ``docs/process.md``). The state fields tracked here may change
only inside a registered transition."""

from __future__ import annotations

from jiangxin.platform.core.transitions import track
from jiangxin.platform.review import services  # noqa: F401  (registers the review.* transitions)
from jiangxin.platform.review.models import Case

track(Case, "stage", "state")
