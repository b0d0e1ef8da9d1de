"""The park's operations (镇江技能大师产业创新园意见): the public surface kept for the views, forms, other apps and
tests that import it.

The code lives by what it changes: :mod:`.actions.residency` (admission and fees), :mod:`.actions.presence`,
:mod:`.actions.reports`, :mod:`.actions.evaluation` (evaluation and rectification), :mod:`.actions.exit`,
:mod:`.actions.offerings` (benefits and published services), :mod:`.actions.requests` (service requests);
reading in :mod:`.selectors`; shared helpers in :mod:`.common`.

Cross-app interface (for ASSESS and others):
- ``presence_months(designation, year) -> dict[str, int]`` (YYYY-MM → days on site)
- ``evaluation_entries(designation, year) -> dict`` (附件2 bonus-item entries from the studios' data reports)
"""

from __future__ import annotations

from jiangxin.platform.park.actions.evaluation import (
    open_rectification,
    recheck,
    record_evaluation,
)
from jiangxin.platform.park.actions.exit import (
    exit_residency,
)
from jiangxin.platform.park.actions.offerings import (
    publish_offering,
    record_benefits,
)
from jiangxin.platform.park.actions.presence import (
    _rows_from_upload,
    check_days,
    import_presence,
    record_presence,
)
from jiangxin.platform.park.actions.reports import (
    submit_report,
)
from jiangxin.platform.park.actions.requests import (
    ALLOWED,
    move_request,
    rate_limited,
    request_limit,
    submit_request,
)
from jiangxin.platform.park.actions.residency import (
    admit,
    record_payment,
    set_obligation,
)
from jiangxin.platform.park.common import (
    EXIT_GROUND_LABELS,
    PROGRAM,
    ZERO,
    is_office,
    month_key,
    visible_residencies,
    who_office,
)
from jiangxin.platform.park.errors import ParkError
from jiangxin.platform.park.selectors import (
    EXIT_GROUND_CHOICES,
    GROUNDS_NEEDING_REFERENCE,
    arrears,
    assess_result,
    assessment_prefill,
    entries_for,
    evaluation_entries,
    exit_ground_choices,
    fee_months,
    presence_log,
    presence_months,
    presence_outcome,
    presence_rows,
    public_offerings,
    rent_free,
    visible_requests,
)

__all__ = [
    "ALLOWED",
    "EXIT_GROUND_CHOICES",
    "EXIT_GROUND_LABELS",
    "GROUNDS_NEEDING_REFERENCE",
    "PROGRAM",
    "ZERO",
    "ParkError",
    "_rows_from_upload",
    "admit",
    "arrears",
    "assess_result",
    "assessment_prefill",
    "check_days",
    "entries_for",
    "evaluation_entries",
    "exit_ground_choices",
    "exit_residency",
    "fee_months",
    "import_presence",
    "is_office",
    "month_key",
    "move_request",
    "open_rectification",
    "presence_log",
    "presence_months",
    "presence_outcome",
    "presence_rows",
    "public_offerings",
    "publish_offering",
    "rate_limited",
    "recheck",
    "record_benefits",
    "record_evaluation",
    "record_payment",
    "record_presence",
    "rent_free",
    "request_limit",
    "set_obligation",
    "submit_report",
    "submit_request",
    "visible_requests",
    "visible_residencies",
    "who_office",
]
