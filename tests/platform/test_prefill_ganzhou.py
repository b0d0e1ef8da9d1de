"""The Ganzhou individual application is prefilled from the person registry (人员库): the certificate level from
the registered skill level, and work in Ganzhou when the registered employer is a Ganzhou organisation; what the
registry does not know stays for the applicant to answer."""

from __future__ import annotations

from typing import Any

import fixtures_apps
import pytest

from jiangxin.platform.applications.models import Application

media = fixtures_apps.media
world = fixtures_apps.world
pytestmark = pytest.mark.django_db


def test_ganzhou_application_prefills_certificate_level_and_work_in_ganzhou(world: Any) -> None:
    person = world.users["indiv_1"].person
    person.employer = world.orgs["zhanggong"]
    person.save()
    world.client("indiv_1").post(f"/applications/new/{world.rounds['ganzhou'].pk}/")
    app = Application.objects.get(applicant_user=world.users["indiv_1"])
    assert app.facts["certificate_level"] == "技师"
    assert app.facts["works_in_ganzhou"] is True
    assert "lives_in_ganzhou" not in app.facts and "criminal_record" not in app.facts


def test_no_yes_is_prefilled_without_a_ganzhou_employer_or_work_city(world: Any) -> None:
    person = world.users["indiv_2"].person
    person.employer = world.orgs["nanjing"]
    person.residence_city = "赣州市章贡区"
    person.save()
    world.client("indiv_2").post(f"/applications/new/{world.rounds['ganzhou'].pk}/")
    app = Application.objects.get(applicant_user=world.users["indiv_2"])
    assert "works_in_ganzhou" not in app.facts and app.facts["lives_in_ganzhou"] is True
    assert app.facts["certificate_level"] == "高级技师"
