"""Helpers for the publicity / documents tests (PUBLICITY helper)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from jiangxin.platform.applications.models import Application
from jiangxin.platform.rounds.models import Program, Round, RoundStatus


def academy_round(world: Any, year: int | None = None) -> Round:
    today = timezone.localdate()
    program = Program.objects.get(key="nanchang_academy")
    return Round.objects.create(program=program, year=year or today.year, title="工匠学院评定批次",
                                organiser=world.orgs["nanchang"], opens=today - dt.timedelta(days=60),
                                closes=today - dt.timedelta(days=30), status=RoundStatus.CLOSED,
                                notice_reference="洪工发〔2026〕1号")


def application(world: Any, rnd: Round, *, title: str, org: str = "unit_a", user: str = "unit_a",
                person: Any = None, status: str = "recommended") -> Application:
    return Application.objects.create(
        round=rnd, kind="individual" if person is not None else "unit", title=title,
        applicant_org=world.orgs[org], applicant_person=person, applicant_user=world.users[user], status=status)
