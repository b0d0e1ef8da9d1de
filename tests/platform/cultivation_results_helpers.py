"""Helpers for the cultivation results tests: attendance rows, scores, the 附件4 item scores."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jiangxin.platform.cultivation.models import Attendance, Enrolment, YearStatus
from jiangxin.platform.cultivation.services_results import rubric_items


def attend(enrolment: Enrolment, plan: Any, share: Decimal = Decimal(1)) -> None:
    """Attendance for every session of the plan: ``share`` of its hours and credits."""
    for session in plan.sessions.all():
        Attendance.objects.update_or_create(enrolment=enrolment, session=session, defaults={
            "hours": (session.hours * share).quantize(Decimal("0.1")),
            "credits": (session.credits * share).quantize(Decimal("0.1"))})


def attend_all(y: Any) -> None:
    for e in y.enrolments:
        attend(e, y.plan)


def to_grading(y: Any) -> None:
    y.year.status = YearStatus.GRADING
    y.year.save(update_fields=["status"])


def item_scores(value: str = "4.5") -> dict[str, str]:
    return {i["key"]: value for i in rubric_items()}
