"""Annual assessment pages go through the registered transitions: a form rendered before the assessment or the
round moved on is refused with a message and not applied twice."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from test_assessments_flow import W, example, pdf, w  # noqa: F401  (w: the fixture)

from jiangxin.platform.assessments.models import AssessmentStatus, RoundStatus

pytestmark = pytest.mark.django_db


def test_a_stale_score_and_a_second_publication_are_refused(w: W, client_for: Any,  # noqa: F811
                                                            settings: Any) -> None:
    settings.JIANGXIN_TRANSITIONS_CHECK = "raise"  # the pages change state only inside registered transitions
    office = client_for(w.office)
    program = w.programs["nanchang_academy"]
    office.post("/assessments/rounds/new/", {"program": program.pk, "year": 2026, "opens": "2026-07-01",
                                             "self_report_due": "2026-12-15", "reference": "洪工字〔2026〕1号"})
    rnd = program.assessment_rounds.get(year=2026)
    a = rnd.assessments.get(designation=w.d["academy_a"])
    unit = client_for(w.unit_a)
    unit.post(f"/assessments/{a.pk}/submit/", {"self_report": "自评", "summary": "总结", "self_report_file": pdf(),
                                              "expect": "pending"})
    a.refresh_from_db()
    assert a.status == AssessmentStatus.SUBMITTED
    late = unit.post(f"/assessments/{a.pk}/submit/", {"self_report": "改", "summary": "改", "expect": "pending"},
                     follow=True)
    assert "状态已发生变化" in late.content.decode()
    entries = json.dumps(example("nanchang_academy", "annual_score"), ensure_ascii=False)
    office.post(f"/assessments/{a.pk}/score/", {"entries": entries, "expect": "submitted"})
    a.refresh_from_db()
    assert a.status == AssessmentStatus.SCORED and a.total == Decimal("86.5")
    office.post(f"/assessments/rounds/{rnd.pk}/publish/", {"expect": "open"})
    rnd.refresh_from_db()
    published_at = rnd.published_at
    assert rnd.status == RoundStatus.PUBLISHED
    again = office.post(f"/assessments/rounds/{rnd.pk}/publish/", {"expect": "open"}, follow=True)
    assert "状态已发生变化" in again.content.decode()
    stale = office.post(f"/assessments/{a.pk}/score/", {"entries": entries, "expect": "submitted"}, follow=True)
    assert "状态已发生变化" in stale.content.decode()
    rnd.refresh_from_db()
    a.refresh_from_db()
    assert rnd.published_at == published_at and a.status == AssessmentStatus.PUBLISHED and a.summary == "总结"
