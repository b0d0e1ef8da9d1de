"""The assessments app's shared ground: who runs and who files an annual assessment, which designations are
assessed, and ``AssessmentError``.
"""

from __future__ import annotations

from jiangxin.platform.accounts.roles import Role

#: roles that run assessments (the park office runs 镇江's)
OFFICE_ROLES = (Role.OFFICE, Role.PARK_OFFICE)
#: roles that file a designation's self-assessment
UNIT_ROLES = (Role.UNIT, Role.TRAINING_UNIT)
#: designation statuses that are assessed
ASSESSED_STATUSES = ("active", "yellow_card", "cycle_complete")  # assessed yearly after the cycle too

DEFAULT_REMINDER_DAYS = 7


class AssessmentError(Exception):
    """A refused action, with a Chinese message (and per-field problems when scoring input is bad)."""

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []
