"""The setup part of the cultivation demo: a 2026 year with two training units, city leads, ten A and ten B
trainees (most have chosen, two remote), mentors, approved plans, the year in training; demo_trainee_js has
not chosen yet; loading again changes nothing."""

from __future__ import annotations

import io
from typing import Any

import fixtures_apps
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from jiangxin.platform.accounts.models import User
from jiangxin.platform.cultivation import demo_setup
from jiangxin.platform.cultivation.models import (
    CityLead,
    CultivationYear,
    Enrolment,
    EnrolmentStatus,
    Major,
    PlanStatus,
    TrainingPlan,
    YearStatus,
)
from jiangxin.platform.demo.data import DEMO_PASSWORD, LOGINS

pytestmark = pytest.mark.django_db
media = fixtures_apps.media


def test_demo_opens_the_2026_year_with_choices_mentors_and_approved_plans(media: Any) -> None:
    call_command("load_programs", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    year = CultivationYear.objects.get(year=2026)
    assert year.status == YearStatus.TRAINING
    enrolments = Enrolment.objects.filter(year=year)
    assert enrolments.filter(track="A").count() >= 10 and enrolments.filter(track="B").count() >= 10
    chosen = enrolments.filter(major__isnull=False)
    assert chosen.count() >= enrolments.count() - 2 and chosen.filter(remote=True).count() >= 2
    assert not chosen.filter(mentor__isnull=True).exists()
    assert Major.objects.filter(year=year, published=True).count() == 4
    assert set(TrainingPlan.objects.filter(year=year).values_list("status", flat=True)) == {PlanStatus.APPROVED}
    lead = User.objects.get(username="demo_lead_js")
    assert CityLead.objects.get(year=year, user=lead).city_bureau.name == "南京市人力资源和社会保障局"
    assert lead.check_password(DEMO_PASSWORD) and "demo_lead_js" in [u for u, *_ in LOGINS]
    trainee = User.objects.get(username="demo_trainee_js")
    mine = Enrolment.objects.get(year=year, person=trainee.person)
    assert mine.major is None and mine.status == EnrolmentStatus.CHOOSING
    c = Client()
    c.force_login(trainee)
    assert 'id="choose-link"' in c.get(reverse("cultivation:home")).content.decode()
    pages = [reverse("cultivation:home"), reverse("cultivation:majors"), reverse("cultivation:plans")]
    for username, extra in (("demo_office_js", [reverse("cultivation:year", args=[year.pk]),
                                                reverse("cultivation:unit_trainees"),
                                                reverse("cultivation:choices_export")]),
                            ("demo_lead_js", [reverse("cultivation:unit_trainees")]),
                            ("demo_training_js", [reverse("cultivation:unit_trainees"),
                                                  reverse("cultivation:mentors")])):
        c.force_login(User.objects.get(username=username))
        for url in [*pages, *extra]:
            response = c.get(url, follow=True)
            assert response.status_code == 200, (username, url)
    c.force_login(User.objects.get(username="demo_lead_js"))
    plan = TrainingPlan.objects.get(year=year, training_unit__name=demo_setup.NANJING_UNIT)
    assert "已锁定" in c.get(reverse("cultivation:plan", args=[plan.pk])).content.decode()
    counts = (Enrolment.objects.count(), Major.objects.count(), TrainingPlan.objects.count())
    demo_setup.load()
    assert (Enrolment.objects.count(), Major.objects.count(), TrainingPlan.objects.count()) == counts
