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
