"""The results part of the Jiangsu cultivation demo: grading with caps, an incident with its ban, a deferral,
one unit accepted with funding on the ledger, expenses with a violation, answers; the second unit left open."""

from __future__ import annotations

import io
from typing import Any

import fixtures_apps
import pytest
from django.core.management import call_command
from django.test import Client

from jiangxin.platform.accounts.models import User
from jiangxin.platform.cultivation.models import (
    Enrolment,
    Expense,
    Incident,
    SurveyResponse,
    UnitAcceptance,
    UnitGrading,
)
from jiangxin.platform.cultivation.services_results import posted_entries, spending_outcome
from jiangxin.platform.ledger.models import EntryKind, LedgerEntry

pytestmark = pytest.mark.django_db
media = fixtures_apps.media


def _load() -> None:
    call_command("load_programs", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())


def test_demo_runs_the_results_of_the_year_once_and_leaves_the_second_unit_open(media: Any) -> None:
    _load()
    grading = UnitGrading.objects.get()
    assert "grade_cap" in {s["rule"] for s in grading.outcome["trace"]}
    assert Enrolment.objects.filter(status="deferred").count() == 1
    incident = Incident.objects.get()
    assert incident.ban_ids
    acceptance = UnitAcceptance.objects.get()
    assert acceptance.training_unit == grading.training_unit and acceptance.total
    entries = posted_entries(acceptance.year, acceptance.training_unit)
    assert all(e.kind == EntryKind.PER_HEAD for e in entries)
    assert entries.count() == acceptance.passing_a + acceptance.passing_b > 0
    outcome = spending_outcome(acceptance.year, acceptance.training_unit)
    assert outcome["value"]["rejected_lines"]
    assert SurveyResponse.objects.filter(kind="satisfaction").exists()
    assert SurveyResponse.objects.filter(kind="employer").exists()
    office = Client()
    office.force_login(User.objects.get(username="demo_office_js"))
    unit = acceptance.training_unit.pk
    for url in ("/cultivation/results/", f"/cultivation/results/acceptance/{unit}/", "/cultivation/results/surveys/",
                f"/cultivation/results/grading/{unit}/", f"/cultivation/results/expenses/?unit={unit}",
                "/cultivation/results/incidents/", f"/cultivation/results/incidents/{incident.pk}/",
                "/cultivation/results/deferrals/"):
        assert office.get(url).status_code == 200, url
    counts = [m.objects.count() for m in (UnitGrading, Incident, UnitAcceptance, Expense, SurveyResponse, LedgerEntry)]
    _load()
    assert [m.objects.count() for m in (UnitGrading, Incident, UnitAcceptance, Expense, SurveyResponse,
                                        LedgerEntry)] == counts


def test_jiangsu_第二十二条_on_the_demo_the_trainee_cannot_choose_a_major_of_the_accepted_unit(media: Any) -> None:
    """Issue 11: on a fresh demo the trainee who has not chosen yet is refused a major of the accepted unit (and
    never appears in its locked grading list), while a unit still open takes the choice."""
    from jiangxin.platform.cultivation.models import Major
    from jiangxin.platform.cultivation.services_results import grading_rows

    _load()
    acceptance = UnitAcceptance.objects.get()
    trainee = User.objects.get(username="demo_trainee_js")
    enrolment = Enrolment.objects.get(person=trainee.person, year=acceptance.year)
    assert enrolment.major_id is None
    locked = Major.objects.filter(year=acceptance.year, training_unit=acceptance.training_unit,
                                  published=True).first()
    open_major = Major.objects.filter(year=acceptance.year, published=True).exclude(
        training_unit=acceptance.training_unit).first()
    assert locked is not None and open_major is not None
    c = Client()
    c.force_login(trainee)
    refused = c.post("/cultivation/choose/", {"major": locked.pk, "expect": "choosing"})
    assert refused.status_code == 400 and "江苏卓越技师办法 第二十二条" in refused.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.major_id is None
    assert enrolment.pk not in {r["enrolment"].pk for r in grading_rows(acceptance.year, acceptance.training_unit)}
    chosen = c.post("/cultivation/choose/", {"major": open_major.pk, "expect": "choosing"})
    assert chosen.status_code in (200, 302)
    enrolment.refresh_from_db()
    assert enrolment.major_id == open_major.pk
