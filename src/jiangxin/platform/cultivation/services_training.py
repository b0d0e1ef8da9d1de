"""The training part of a cultivation year: the public surface kept for the views, demo loaders and tests that
import it.

The code lives by what it changes: :mod:`.actions.attendance` (recording and importing attendance),
:mod:`.actions.leave`, :mod:`.actions.reports` (research reports and their scores); reading in
:mod:`.selectors.training`; shared helpers in :mod:`.common_training`.
"""

from __future__ import annotations

from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.actions.attendance import (
    IMPORT_MAX_ROWS,
    AttendanceEntry,
    _read_rows,
    check_entry,
    import_attendance,
    record_attendance,
)
from jiangxin.platform.cultivation.actions.leave import (
    decide_leave,
    request_leave,
)
from jiangxin.platform.cultivation.actions.reports import (
    evaluate_report,
    submit_report,
)
from jiangxin.platform.cultivation.common_training import (
    CENT,
    FALSE_WORDS,
    IMPORT_COLUMNS,
    ONE_DECIMAL,
    PROGRAM,
    REPORT_MAX_BYTES,
    REPORT_TYPES,
    SCORE_MAX,
    TRUE_WORDS,
    ZERO,
    ImportFailure,
    city_leads,
    trainee_users,
    unit_experts,
    unit_users,
)
from jiangxin.platform.cultivation.selectors.training import (
    approved_plan,
    attendance_template_xlsx,
    can_decide_leave,
    completion_check,
    enrolment_sessions,
    expert_reports,
    import_errors_xlsx,
    mean_score,
    pending_leave_for,
    reports_awaiting,
    session_overview,
    session_trainees,
    training_file,
    training_file_xlsx,
    unit_sessions,
    unrecorded_sessions,
    visible_leave,
    visible_reports,
)

__all__ = [
    "CENT",
    "FALSE_WORDS",
    "IMPORT_COLUMNS",
    "IMPORT_MAX_ROWS",
    "ONE_DECIMAL",
    "PROGRAM",
    "REPORT_MAX_BYTES",
    "REPORT_TYPES",
    "SCORE_MAX",
    "TRUE_WORDS",
    "ZERO",
    "AttendanceEntry",
    "CultivationError",
    "ImportFailure",
    "_read_rows",
    "approved_plan",
    "attendance_template_xlsx",
    "can_decide_leave",
    "check_entry",
    "city_leads",
    "completion_check",
    "decide_leave",
    "enrolment_sessions",
    "evaluate_report",
    "expert_reports",
    "import_attendance",
    "import_errors_xlsx",
    "mean_score",
    "pending_leave_for",
    "record_attendance",
    "reports_awaiting",
    "request_leave",
    "session_overview",
    "session_trainees",
    "submit_report",
    "trainee_users",
    "training_file",
    "training_file_xlsx",
    "unit_experts",
    "unit_sessions",
    "unit_users",
    "unrecorded_sessions",
    "visible_leave",
    "visible_reports",
]
