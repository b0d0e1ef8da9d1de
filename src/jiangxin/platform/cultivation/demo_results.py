"""Cultivation-year demo, results part (idempotent); called by cultivation.demo.load_cultivation_demo().

For the demo year (skipped quietly when absent): one deferral granted, the 南京 unit's trainees graded (scores
high enough that the 30% caps bind; the trainees under 70% of hours are failed), one discipline incident with
its ban and notice, the 南京 unit accepted on 附件4 with its per-head funding posted to the ledger, the unit's
expense ledger with one meal line outside the canteen, and some questionnaire answers. The 苏州 unit is left
ungraded and unaccepted so a visitor can run those steps.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

DEMO_UNIT = "南京技师学院（示例承训单位）"
OFFICE_USERNAME = "demo_office_js"
UNIT_USERNAME = "demo_training_js"
TRAINEE_USERNAME = "demo_trainee_js"
FINANCE_BUREAU = "南京市财政局"
#: 附件4 item scores for the demo acceptance, in the rubric's order
ACCEPTANCE_SCORES = ("5", "4.5", "4", "5", "4.5", "4", "5", "4", "4.5", "4", "5", "4.5", "4", "4", "4.5", "5", "5",
                     "4", "4.5", "4")


def _user(username: str) -> Any:
    from jiangxin.platform.accounts.models import User

    return User.objects.filter(username=username, is_active=True).first()


def load() -> None:
    from jiangxin.platform.cultivation.models import CultivationYear, UnitGrading, YearStatus
    from jiangxin.platform.orgs.models import Organisation

    year = CultivationYear.objects.filter(year=2026).first()
    unit = Organisation.objects.filter(name=DEMO_UNIT).first()
    office, unit_user = _user(OFFICE_USERNAME), _user(UNIT_USERNAME)
    if year is None or unit is None or office is None or unit_user is None or year.status == YearStatus.CLOSED:
        return
    if UnitGrading.objects.filter(year=year, training_unit=unit).exists():
        return
    with transaction.atomic():
        _deferral(year, unit, office)
        if not _grading(year, unit, unit_user):
            return
        _incident(year, unit, unit_user)
        _acceptance(year, unit, office)
        _expenses(year, unit, unit_user)
        _surveys(year, unit)


def _enrolments(year: Any, unit: Any) -> list[Any]:
    from jiangxin.platform.cultivation.selectors.results import gradable_enrolments

    return list(gradable_enrolments(year, unit).exclude(person__accounts__username=TRAINEE_USERNAME))


def _deferral(year: Any, unit: Any, office: Any) -> None:
    """A trainee's request (as the trainee would file it) decided by the province office."""
    from jiangxin.platform.cultivation.actions.deferral import decide_deferral

    enrolments = _enrolments(year, unit)
    if len(enrolments) < 3:
        return
    e = enrolments[-1]
    e.deferral_outcome = {"state": "pending", "request": {"reason": "health", "detail": "手术后需休养三个月",
                                                          "requested_on": f"{year.year}-06-20"}}
    e.save(update_fields=["deferral_outcome"])
    decide_deferral(office, e, approve=True)


def _grading(year: Any, unit: Any, unit_user: Any) -> bool:
    from jiangxin.platform.cultivation.actions.grading import grade_unit
    from jiangxin.platform.cultivation.selectors.results import (
        approved_plan,
        grading_rows,
    )

    rows = grading_rows(year, unit)
    if not rows or approved_plan(year, unit) is None:
        return False
    scores = {r["enrolment"].pk: Decimal(97 - 2 * i) for i, r in enumerate(rows)}
    grade_unit(unit_user, year, unit, scores)
    return True


def _incident(year: Any, unit: Any, unit_user: Any) -> None:
    from jiangxin.platform.cultivation.actions.incidents import record_incident
    from jiangxin.platform.cultivation.models import Enrolment

    e = (Enrolment.objects.filter(year=year, major__training_unit=unit, status="graded", employer__isnull=False)
         .exclude(person__accounts__username=TRAINEE_USERNAME).order_by("person__name").first())
    if e is None:
        return
    record_incident(unit_user, year, kind="trainee_discipline", description="实训期间多次无故缺席并代签考勤",
                      decided_on=dt.date(year.year, 6, 12), enrolment=e, notify_employer=True)


def _acceptance(year: Any, unit: Any, office: Any) -> None:
    from jiangxin.platform.cultivation.actions.acceptance import assess_unit
    from jiangxin.platform.cultivation.actions.funding import post_funding
    from jiangxin.platform.cultivation.selectors.results import (
        rubric_items,
    )

    scores = {item["key"]: value for item, value in zip(rubric_items(), ACCEPTANCE_SCORES, strict=True)}
    acceptance = assess_unit(office, year, unit, item_scores=scores, finance_bureau=FINANCE_BUREAU,
                               provincial_assessor="省人社厅 王处长", city_assessor="南京市人社局 李科长")
    post_funding(office, acceptance)


def _expenses(year: Any, unit: Any, unit_user: Any) -> None:
    from jiangxin.platform.cultivation.actions.funding import record_expense
    from jiangxin.platform.cultivation.selectors.results import (
        gradable_enrolments,
    )

    enrolments = list(gradable_enrolments(year, unit))
    remote = next((e for e in enrolments if e.remote), None)
    y = year.year
    lines: list[dict[str, Any]] = [
        {"category": "teaching", "amount": "98000", "spent_on": dt.date(y, 7, 25), "description": "授课与指导课酬"},
        {"category": "consumables", "amount": "52000", "spent_on": dt.date(y, 6, 30), "description": "焊材与实训耗材"},
        {"category": "meals", "amount": "6800", "spent_on": dt.date(y, 7, 22), "description": "培训期间学员工作餐",
         "at_unit_canteen": True, "trainee_only": True},
        {"category": "meals", "amount": "1200", "spent_on": dt.date(y, 7, 21), "description": "结业交流聚餐（校外餐厅）",
         "at_unit_canteen": False, "trainee_only": False},
    ]
    if remote is not None:
        lines += [
            {"category": "lodging", "amount": "4500", "spent_on": dt.date(y, 7, 22), "description": "异地学员住宿",
             "enrolment": remote},
            {"category": "transport", "amount": "900", "spent_on": dt.date(y, 7, 22), "description": "异地学员往返交通",
             "enrolment": remote},
        ]
    for line in lines:
        record_expense(unit_user, year, unit, amount=Decimal(line.pop("amount")), **line)


def _surveys(year: Any, unit: Any) -> None:
    """Answers as trainees and an employer gave them (demo trainees have no accounts of their own)."""
    from jiangxin.platform.cultivation import surveys
    from jiangxin.platform.cultivation.models import Enrolment, SurveyKind, SurveyResponse

    ratings = [key for key, _label in surveys.RATINGS]
    graded = list(Enrolment.objects.filter(year=year, major__training_unit=unit, status="graded")
                  .exclude(person__accounts__username=TRAINEE_USERNAME).order_by("person__name")[:8])
    for i, e in enumerate(graded):
        answers: dict[str, Any] = {item.key: ratings[(i + n) % 3 if (i + n) % 5 else 0]
                                   for n, item in enumerate(surveys.RATING_ITEMS)}
        answers["suggestions"] = "希望增加企业现场教学" if i % 3 == 0 else ""
        SurveyResponse.objects.get_or_create(year=year, kind=SurveyKind.SATISFACTION, enrolment=e,
                                             defaults={"training_unit": unit, "answers": answers})
    employer = next((e.employer for e in graded if e.employer is not None), None)
    if employer is not None:
        answers = {item.key: "" for item in surveys.EMPLOYER_ITEMS if item.kind == "text"}
        answers.update({item.key: 0 for item in surveys.EMPLOYER_ITEMS if item.kind == "count"})
        answers.update(occupation_1="焊工", occupation_1_senior_technician=4, occupation_1_technician=15,
                       occupation_1_senior_worker=38, occupation_1_demand="高强钢焊接、焊接机器人编程",
                       technical_problems="厚板焊接变形控制", development_difficulties="高技能人才外流",
                       staff_evaluation="参训职工攻关能力明显提升")
        SurveyResponse.objects.get_or_create(year=year, kind=SurveyKind.EMPLOYER, employer=employer,
                                             defaults={"answers": answers})
