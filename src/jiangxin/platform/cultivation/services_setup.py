"""Setting up a cultivation year (江苏卓越技师办法 第七条, 第九条, 第十二条, 第十六条, 第十七条, 第二十三条): the public
surface of the set-up part, kept for the views, demo loaders and tests that import it.

The code lives by what it changes: :mod:`.actions.year` (the year and its phases, city leads),
:mod:`.actions.enrolment`, :mod:`.actions.majors`, :mod:`.actions.choices`, :mod:`.actions.mentors`,
:mod:`.actions.plans`; reading in :mod:`.selectors.setup`; shared helpers in :mod:`.common_setup`.
"""

from __future__ import annotations

from jiangxin.platform.cultivation.actions.choices import (
    choose_major,
    record_choice,
)
from jiangxin.platform.cultivation.actions.enrolment import (
    CohortResult,
    enrol,
    enrol_cohort,
)
from jiangxin.platform.cultivation.actions.majors import (
    publish_major,
    save_major,
)
from jiangxin.platform.cultivation.actions.mentors import (
    assign_mentor,
    register_mentor,
)
from jiangxin.platform.cultivation.actions.plans import (
    SESSION_FIELDS,
    decide_plan,
    delete_session,
    recheck_plan,
    save_plan,
    save_session,
    submit_plan,
)
from jiangxin.platform.cultivation.actions.year import (
    advance_phase,
    assign_city_lead,
    open_year,
    set_year_dates,
)
from jiangxin.platform.cultivation.common_setup import (
    MENTOR_SKILL_LEVELS,
    PHASES,
    PROGRAM,
    _require_office,
    citations,
    failed_steps,
)
from jiangxin.platform.cultivation.selectors.setup import (
    CHOICE_HEADERS,
    ENTRY_RULES,
    REFUSAL_TEXT,
    check_entry,
    choice_open,
    choice_rows,
    choices_xlsx,
    city_bureaus,
    entry_facts,
    entry_refusals,
    mentor_facts,
    mentor_outcome,
    mentor_qualification,
    next_phase,
    phase_blockers,
    plan_facts,
    plan_totals,
    plan_warnings,
    plans_awaiting,
    previous_participations,
    published_majors,
    refusal_message,
    trainee_key,
    training_units,
    unit_enrolments,
    visible_plans,
)

__all__ = [
    "CHOICE_HEADERS",
    "ENTRY_RULES",
    "MENTOR_SKILL_LEVELS",
    "PHASES",
    "PROGRAM",
    "REFUSAL_TEXT",
    "SESSION_FIELDS",
    "CohortResult",
    "_require_office",
    "advance_phase",
    "assign_city_lead",
    "assign_mentor",
    "check_entry",
    "choice_open",
    "choice_rows",
    "choices_xlsx",
    "choose_major",
    "citations",
    "city_bureaus",
    "decide_plan",
    "delete_session",
    "enrol",
    "enrol_cohort",
    "entry_facts",
    "entry_refusals",
    "failed_steps",
    "mentor_facts",
    "mentor_outcome",
    "mentor_qualification",
    "next_phase",
    "open_year",
    "phase_blockers",
    "plan_facts",
    "plan_totals",
    "plan_warnings",
    "plans_awaiting",
    "previous_participations",
    "publish_major",
    "published_majors",
    "recheck_plan",
    "record_choice",
    "refusal_message",
    "register_mentor",
    "save_major",
    "save_plan",
    "save_session",
    "set_year_dates",
    "submit_plan",
    "trainee_key",
    "training_units",
    "unit_enrolments",
    "visible_plans",
]
