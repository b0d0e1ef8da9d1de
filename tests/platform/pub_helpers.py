"""Helpers for the publicity / documents tests (PUBLICITY helper)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from jiangxin.platform.applications.models import Application
from jiangxin.platform.review.models import Case
from jiangxin.platform.rounds.models import Program, Round, RoundStatus
from jiangxin.policy.workflow import load_workflow


def academy_round(world: Any, year: int | None = None) -> Round:
    today = timezone.localdate()
    program = Program.objects.get(key="nanchang_academy")
    return Round.objects.create(program=program, year=year or today.year, title="工匠学院评定批次",
                                organiser=world.orgs["nanchang"], opens=today - dt.timedelta(days=60),
                                closes=today - dt.timedelta(days=30), status=RoundStatus.CLOSED,
                                notice_reference="洪工发〔2026〕1号")


def application(world: Any, rnd: Round, *, title: str, org: str = "unit_a", user: str = "unit_a",
                person: Any = None, status: str = "recommended") -> Application:
    """An application whose review case waits at the round's publicity stage (only such cases go on a notice)."""
    app = Application.objects.create(
        round=rnd, kind="individual" if person is not None else "unit", title=title,
        applicant_org=world.orgs[org], applicant_person=person, applicant_user=world.users[user], status=status)
    if status == "recommended":
        at_publicity(app)
    return app


def at_publicity(app: Application) -> Application:
    """Open the application's review case at its round's publicity stage (only such cases go on a notice)."""
    rnd = app.round
    stage = load_workflow(rnd.program.key).first_of_kind("publicity")
    if stage is not None:
        Case.objects.create(application=app, round=rnd, program=rnd.program.key, stage=stage.key)
    return app
