"""Demo: the 2026 annual assessment rounds for the demo designations.

Call :func:`load_assessments_demo` after ``load_designations_demo`` (and ``load_park_demo``). It opens the 2026
rounds of 南昌工匠学院 (Q4), 创新工作室 (office pass mark 80), 镇江园区 (office pass mark 120) and 赣州 (filing),
files the units' self-reports where the demo has a unit login, scores them through the computations (entries =
the program's worked example overlaid with the unit's own work records) and publishes the academy's results.
Running it twice changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import transaction

from jiangxin.platform.accounts.models import User
from jiangxin.platform.assessments import services
from jiangxin.platform.assessments.models import Assessment, AssessmentRound
from jiangxin.platform.rounds.models import Program

YEAR = 2026

#: program → (office login(s) tried in order, opens, self-report due, office parameters, publish)
ROUNDS: dict[str, tuple[tuple[str, ...], dt.date, dt.date, dict[str, Any], bool]] = {
    "nanchang_academy": (("demo_office_nc",), dt.date(YEAR, 10, 10), dt.date(YEAR, 12, 15), {}, True),
    "nanchang_studio": (("demo_office_nc",), dt.date(YEAR, 11, 2), dt.date(YEAR, 12, 20),
                        {"scoring_assessment_pass_mark": 80}, False),
    "zhenjiang_park": (("demo_park_zj", "demo_office_zj"), dt.date(YEAR, 11, 16), dt.date(YEAR, 12, 25),
                       {"evaluation_pass_mark": 120}, False),
    "ganzhou_craftsman": (("demo_office_gz",), dt.date(YEAR, 11, 2), dt.date(YEAR, 12, 31), {}, False),
}


def _example(program: str) -> dict[str, Any]:
    from jiangxin.policy.registry import get_computation

    comp = get_computation(program, services.profile_for(program).computation)
    raw = json.loads(comp.example_file.read_text(encoding="utf-8"))
    facts: dict[str, Any] = dict(raw.get("facts", raw))
    facts.pop("as_of", None)
    if "days_on_site" in facts:  # re-date the example's monthly log to the assessed year
        facts["days_on_site"] = {f"{YEAR}-{k[5:]}": v for k, v in facts["days_on_site"].items()}
    return facts


def _unit_user(org: Any) -> User | None:
    if org is None:
        return None
    return User.objects.filter(organisation=org, role__in=services.UNIT_ROLES, is_active=True).order_by("pk").first()


def _office(usernames: tuple[str, ...]) -> User | None:
    return User.objects.filter(username__in=usernames, role__in=services.OFFICE_ROLES).order_by("username").first()


def _overlay(base: dict[str, Any], records: dict[str, Any]) -> dict[str, Any]:
    """The example's entries with the unit's record-backed entries laid over them (nested items merged)."""
    out = dict(base)
    for key, value in records.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _overlay(out[key], value)
        elif value not in ({}, [], None):
            out[key] = value
    return out


def _score(office: User, a: Assessment) -> None:
    base = _example(a.round.program.key)
    prefilled, _ = services.prefill(a)
    overlaid = _overlay(base, prefilled)
    try:
        services.score(office, a, overlaid)
    except services.AssessmentError:  # the unit's own records do not fit the example: score the example alone
        services.score(office, a, base)


def load_assessments_demo(say: Any = None) -> list[Assessment]:
    """Open the 2026 rounds and file/score/publish some assessments of the demo designations."""
    say = say or (lambda text: None)
    if AssessmentRound.objects.filter(year=YEAR, reference="演示年度考核").exists():
        say("年度考核演示数据已存在，未做任何改动。\n")
        return []
    touched: list[Assessment] = []
    with transaction.atomic():
        for key, (logins, opens, due, params, publish) in ROUNDS.items():
            office = _office(logins)
            program = Program.objects.filter(key=key).first()
            if office is None or program is None or AssessmentRound.objects.filter(program=program,
                                                                                   year=YEAR).exists():
                continue
            rnd = services.open_round(office, program, year=YEAR, opens=opens, self_report_due=due,
                                      office_parameters=params, reference="演示年度考核")
            for a in rnd.assessments.select_related("designation"):
                unit = _unit_user(services.filer_org(a.designation))
                if unit is None:
                    continue
                services.submit(unit, a, self_report=f"{a.designation.name}{YEAR}年度自评：按计划完成各项任务（演示）。",
                                summary=f"{YEAR}年度工作总结（演示）：培训、竞赛、攻关与经费使用情况见台账。")
                if services.profile_for(key).scored:
                    _score(office, a)
                else:
                    services.acknowledge(office, a, note="材料齐全（演示）")
                touched.append(a)
            if publish and rnd.assessments.filter(status="scored").exists():
                services.publish(office, rnd)
    say(f"年度考核：{len(touched)} 个已提交（工匠学院结果已公布）\n")
    return touched

