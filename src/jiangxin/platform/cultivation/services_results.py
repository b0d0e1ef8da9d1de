"""The results part of a cultivation year: the public surface kept for the views, demo loaders, other apps and
tests that import it.

The code lives by what it changes: :mod:`.actions.grading`, :mod:`.actions.incidents`, :mod:`.actions.deferral`,
:mod:`.actions.acceptance` (the unit's score and certificates), :mod:`.actions.funding` (funding and expenses),
:mod:`.actions.surveys`; reading in :mod:`.selectors.results`; shared helpers in :mod:`.common_results`.
"""

from __future__ import annotations

from jiangxin.platform.cultivation.actions.acceptance import (
    assess_unit,
    certificate_number,
)
from jiangxin.platform.cultivation.actions.deferral import (
    decide_deferral,
    request_deferral,
    returning_from_deferral,
)
from jiangxin.platform.cultivation.actions.funding import (
    post_funding,
    record_expense,
)
from jiangxin.platform.cultivation.actions.grading import (
    grade_unit,
)
from jiangxin.platform.cultivation.actions.incidents import (
    record_incident,
)
from jiangxin.platform.cultivation.actions.surveys import (
    submit_employer_survey,
    submit_satisfaction,
)
from jiangxin.platform.cultivation.common_results import (
    BAN_PROGRAMS,
    BAN_REASONS,
    DEFAULT_GRADE_BANDS,
    GRADABLE,
    GRADE_BANDS_REFERENCE,
    NEEDS_TRAINEE,
    PROGRAM,
    RUBRIC_ITEMS,
    SURVEY_PHASES,
    ZERO,
    _require_office,
    is_locked,
)
from jiangxin.platform.cultivation.selectors.results import (
    answered_satisfaction,
    approved_plan,
    can_decide_deferral,
    can_see_unit,
    certificate_docx,
    decided_deferrals,
    employer_answered,
    employer_years,
    expenses_xlsx,
    gradable_enrolments,
    grading_rows,
    incident_bans,
    my_enrolments,
    overview,
    pending_deferrals,
    posted_entries,
    rubric_items,
    spending_outcome,
    survey_open,
    survey_summary,
    units_of_year,
    visible_incidents,
    visible_units,
)

__all__ = [
    "BAN_PROGRAMS",
    "BAN_REASONS",
    "DEFAULT_GRADE_BANDS",
    "GRADABLE",
    "GRADE_BANDS_REFERENCE",
    "NEEDS_TRAINEE",
    "PROGRAM",
    "RUBRIC_ITEMS",
    "SURVEY_PHASES",
    "ZERO",
    "_require_office",
    "answered_satisfaction",
    "approved_plan",
    "assess_unit",
    "can_decide_deferral",
    "can_see_unit",
    "certificate_docx",
    "certificate_number",
    "decide_deferral",
    "decided_deferrals",
    "employer_answered",
    "employer_years",
    "expenses_xlsx",
    "gradable_enrolments",
    "grade_unit",
    "grading_rows",
    "incident_bans",
    "is_locked",
    "my_enrolments",
    "overview",
    "pending_deferrals",
    "post_funding",
    "posted_entries",
    "record_expense",
    "record_incident",
    "request_deferral",
    "returning_from_deferral",
    "rubric_items",
    "spending_outcome",
    "submit_employer_survey",
    "submit_satisfaction",
    "survey_open",
    "survey_summary",
    "units_of_year",
    "visible_incidents",
    "visible_units",
]
