"""The assessments app's public surface. Annual assessments: open a round, remind, submit, score through the
program's computation, publish.

Every transition is one function in ``transaction.atomic()`` with a role check and an audit record; views
never write models. Scores, grades and the pass/fail decision come only from the computation's Outcome.
The registered transitions (``assessments.transitions``) call these functions.

This module only re-exports; the code lives in

- ``assessments.base``: ``AssessmentError`` and the role and status constants;
- ``assessments.profiles``: what each program declares (``Profile``, the rubric, the prefill-source registry);
- ``assessments.selectors``: reading (visible rounds and assessments, eligible designations, reminders due,
  prefill, running the computation, grades, the results the ledger reads);
- ``assessments.actions.rounds``: a round (open, sync, publish);
- ``assessments.actions.assessments``: one assessment (remind, submit, score, acknowledge);
- ``assessments.actions._common``: the internals both share (office and holder checks, notifications).
"""

from __future__ import annotations

from jiangxin.platform.assessments.actions.assessments import acknowledge, score, send_reminders, submit
from jiangxin.platform.assessments.actions.rounds import open_round, publish, sync_round
from jiangxin.platform.assessments.base import (
    ASSESSED_STATUSES,
    DEFAULT_REMINDER_DAYS,
    OFFICE_ROLES,
    UNIT_ROLES,
    AssessmentError,
)
from jiangxin.platform.assessments.profiles import (
    PREFILL_SOURCES,
    Profile,
    prefill_source,
    profile_for,
    profiles,
    register_prefill_source,
    reminder_days,
    rubric_key,
    rubric_of,
)
from jiangxin.platform.assessments.selectors import (
    as_of,
    assessment_for,
    due_for_reminder,
    eligible_designations,
    filer_org,
    grade_of,
    is_office,
    prefill,
    results_for_year,
    run_computation,
    timing_warnings,
    visible_assessments,
    visible_rounds,
)

__all__ = [
    "ASSESSED_STATUSES", "DEFAULT_REMINDER_DAYS", "OFFICE_ROLES", "PREFILL_SOURCES", "UNIT_ROLES",
    "AssessmentError", "Profile", "acknowledge", "as_of", "assessment_for", "due_for_reminder",
    "eligible_designations", "filer_org", "grade_of", "is_office", "open_round", "prefill", "prefill_source",
    "profile_for", "profiles", "publish", "register_prefill_source", "reminder_days", "results_for_year",
    "rubric_key", "rubric_of", "run_computation", "score", "send_reminders", "submit", "sync_round",
    "timing_warnings", "visible_assessments", "visible_rounds",
]
