"""The training part of the cultivation demo: attendance (two trainees below 70 %), one pending and one
approved leave, reports mostly scored by demo_expert_js; loading twice changes nothing; no year, no data."""

from __future__ import annotations

from typing import Any

import pytest
from cultivation_helpers import make_year

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.cultivation import demo_training
from jiangxin.platform.cultivation import services_training as services
from jiangxin.platform.cultivation.models import (
    Attendance,
    LeaveRequest,
    ReportEvaluation,
    RequestStatus,
    ResearchReport,
)
from jiangxin.platform.demo.data import DEMO_PASSWORD, LOGINS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_year(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    y = make_year(n_a=6, n_b=4)
    y.unit.name = demo_training.DEMO_UNIT
    y.unit.save()
    y.trainee_user.username = demo_training.TRAINEE_USERNAME
    y.trainee_user.save()
    return y


def test_demo_fills_attendance_leave_and_reports_once(demo_year: Any) -> None:
    y = demo_year
    demo_training.load()
    counts = (Attendance.objects.count(), LeaveRequest.objects.count(), ResearchReport.objects.count(),
              ReportEvaluation.objects.count())
    demo_training.load()
    assert (Attendance.objects.count(), LeaveRequest.objects.count(), ResearchReport.objects.count(),
            ReportEvaluation.objects.count()) == counts

    assert counts[0] == 4 * 10
    below = [e for e in y.enrolments if services.training_file(e)["below_minimum"]]
    assert len(below) == 2
    statuses = sorted(LeaveRequest.objects.values_list("status", flat=True))
    assert statuses == [RequestStatus.APPROVED, RequestStatus.PENDING]
    assert LeaveRequest.objects.get(status=RequestStatus.PENDING).enrolment.person == y.trainee_user.person

    expert = User.objects.get(username=demo_training.EXPERT_USERNAME)
    assert expert.role == Role.EXPERT and expert.organisation == y.unit
    assert expert.check_password(DEMO_PASSWORD)
    assert "demo_expert_js" in [u for u, *_ in LOGINS]
    assert not ResearchReport.objects.filter(enrolment__person=y.trainee_user.person).exists()
    assert 0 < counts[3] < counts[2] == 7  # most reports scored, some left for the expert
    assert services.reports_awaiting(expert, y.year).count() == counts[2] - counts[3]
    assert all(r.score is not None for r in ResearchReport.objects.filter(evaluations__isnull=False))


def test_demo_does_nothing_without_the_setup_parts_year(db: None) -> None:
    demo_training.load()
    assert not User.objects.filter(username=demo_training.EXPERT_USERNAME).exists()
    assert not Attendance.objects.exists()
