"""The satisfaction and employer surveys (江苏卓越技师办法 第十二条, 第二十二条, 附件2, 附件3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record
from jiangxin.platform.cultivation import surveys
from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.common_results import GRADABLE
from jiangxin.platform.cultivation.models import CultivationYear, Enrolment, SurveyKind, SurveyResponse
from jiangxin.platform.cultivation.selectors.results import employer_years, survey_open
from jiangxin.platform.cultivation.transitions import action


def _clean_answers(items: Iterable[surveys.Item], answers: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for item in items:
        value = answers.get(item.key)
        if item.kind == "rating":
            if value not in surveys.RATING_LABELS:
                raise CultivationError(f"请为“{item.label}”选择评价。")
            clean[item.key] = value
        elif item.kind == "count":
            try:
                number = int(value or 0)
            except (TypeError, ValueError) as exc:
                raise CultivationError(f"“{item.label}”须填写人数。") from exc
            if number < 0:
                raise CultivationError(f"“{item.label}”不能为负数。")
            clean[item.key] = number
        else:
            clean[item.key] = str(value or "").strip()[:2000]
    return clean


@action("cultivation.submit_satisfaction")
def submit_satisfaction(actor: Any, enrolment: Enrolment, answers: Mapping[str, Any]) -> SurveyResponse:
    """附件2: each trainee answers once a year."""
    person = getattr(actor, "person", None)
    if getattr(actor, "role", "") != Role.TRAINEE or person is None or person.pk != enrolment.person_id:
        raise CultivationError(gettext("只能填写本人的满意度问卷。"))
    if not survey_open(enrolment.year):
        raise CultivationError(gettext("满意度调查尚未开始或已结束。"))
    if enrolment.status not in GRADABLE or enrolment.major_id is None:
        raise CultivationError(gettext("只有本学年参训的培育对象可以填写。"))
    if SurveyResponse.objects.filter(year=enrolment.year, kind=SurveyKind.SATISFACTION,
                                     enrolment=enrolment).exists():
        raise CultivationError(gettext("您已填写过本学年的满意度问卷。"))
    clean = _clean_answers(surveys.SATISFACTION_ITEMS, answers)
    with transaction.atomic():
        response = SurveyResponse.objects.create(year=enrolment.year, kind=SurveyKind.SATISFACTION,
                                                 training_unit=enrolment.training_unit, enrolment=enrolment,
                                                 answers=clean, respondent=actor)
        record("cultivation.survey.satisfaction", response, actor=actor,
               summary=f"{enrolment.year.year}学年满意度问卷（{enrolment.training_unit}）")
    return response


@action("cultivation.submit_employer_survey")
def submit_employer_survey(actor: Any, year: CultivationYear, answers: Mapping[str, Any]) -> SurveyResponse:
    """附件3: each employer with staff in the plan answers once a year."""
    if not employer_years(actor).filter(pk=year.pk).exists():
        raise CultivationError(gettext("只有有职工参加本学年培育计划的用人单位可以填写。"))
    if not survey_open(year):
        raise CultivationError(gettext("用人单位调查尚未开始或已结束。"))
    employer = actor.organisation
    if SurveyResponse.objects.filter(year=year, kind=SurveyKind.EMPLOYER, employer=employer).exists():
        raise CultivationError(gettext("本单位已填写过本学年的调查问卷。"))
    clean = _clean_answers(surveys.EMPLOYER_ITEMS, answers)
    with transaction.atomic():
        response = SurveyResponse.objects.create(year=year, kind=SurveyKind.EMPLOYER, employer=employer,
                                                 answers=clean, respondent=actor)
        record("cultivation.survey.employer", response, actor=actor, summary=f"{year.year}学年用人单位调查（{employer}）")
    return response
