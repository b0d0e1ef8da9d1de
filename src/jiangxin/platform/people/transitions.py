"""People transitions (人员登记状态流转): a ban on the register (禁止申报) is recorded only through
``people.services.impose_ban`` (``people.impose_ban``) — by a sanction ground, the tranche machine's
reapplication bar, the cultivation results, or the office's ban form. A ban has no state to move afterwards:
it ends on its end date (or never)."""

from __future__ import annotations

from jiangxin.platform.people import services  # noqa: F401  (its decorator registers the transition)
