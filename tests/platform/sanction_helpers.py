"""Helpers for the sanction and ledger-cap tests: published annual assessment results on the records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jiangxin.platform.assessments.models import Assessment, AssessmentRound, AssessmentStatus
from jiangxin.platform.rounds.models import Program
from jiangxin.platform.rounds.services import sync_programs


def published(designation: Any, year: int, passed: bool) -> Assessment:
    """A published annual assessment of ``designation`` for ``year`` (passed or failed), as the records hold it."""
    sync_programs()
    program = Program.objects.get(key=designation.program)
    rnd, _ = AssessmentRound.objects.get_or_create(
        program=program, year=year,
        defaults={"organiser": designation.scope_org, "opens": dt.date(year, 11, 1),
                  "self_report_due": dt.date(year, 11, 30), "status": "published"})
    return Assessment.objects.create(round=rnd, designation=designation, status=AssessmentStatus.PUBLISHED,
                                     passed=passed, total=None)
