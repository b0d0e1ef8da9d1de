"""What the results actions and selectors share (江苏卓越技师办法 第二十条 … 第二十四条): the part's constants,
running a ``jiangsu_technician`` computation, whom to notify, who may act and whether a year is locked.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext
from pydantic import ValidationError

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.cultivation.access import CultivationError, is_province_office, training_unit_of
from jiangxin.platform.cultivation.models import (
    CultivationYear,
    EnrolmentStatus,
    ExpenseCategory,
    UnitAcceptance,
    YearStatus,
)
from jiangxin.platform.orgs.models import Jurisdiction, Organisation
from jiangxin.policy.errors import CalendarYearUnknownError, FactsError, PolicyError
from jiangxin.policy.registry import get_computation

PROGRAM = "jiangsu_technician"


ZERO = Decimal("0")


#: 第二十条 names five grades but no score lines; the platform's default bands (I-JS-R1), passed to the
#: core as the office-set ``grade_bands`` parameter
DEFAULT_GRADE_BANDS: dict[str, Any] = {"below": "不合格", "bands": [
    {"min": 60, "label": "基本合格"}, {"min": 70, "label": "合格"}, {"min": 80, "label": "良好"},
    {"min": 90, "label": "优秀"}]}


GRADE_BANDS_REFERENCE = "平台默认分档（I-JS-R1）"


#: enrolments a unit grades: in training or already graded (deferred, withdrawn and undecided ones are not)
GRADABLE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.GRADED)


#: phases in which trainees answer the 附件2 questionnaire and employers 附件3 (I-JS-R5)
SURVEY_PHASES = (YearStatus.TRAINING, YearStatus.GRADING, YearStatus.ACCEPTANCE)


#: which ban program each measure of discipline_sanctions is recorded under (I-JS-07, I-JS-R2)
BAN_PROGRAMS = {"provincial_award_ban": "jiangsu_awards", "recommendation_ban": PROGRAM,
                "talent_carrier_ban": "jiangsu_carriers"}


BAN_REASONS = {"provincial_award_ban": "培育期间违反培训纪律，限期内不参评省级技能人才评选表彰",
               "recommendation_ban": "无正当理由不支持职工参训，限期内不得推荐职工参加培育计划",
               "talent_carrier_ban": "无正当理由不支持职工参训，限期内不参评省级人才载体建设项目"}


def _run(name: str, facts: Mapping[str, Any], overrides: Mapping[str, Any] | None = None,
         reference: str = "") -> dict[str, Any]:
    try:
        outcome = get_computation(PROGRAM, name).run(dict(facts), overrides=overrides, reference=reference)
    except CalendarYearUnknownError:
        raise  # the page says plainly which calendar year is missing (workcalendar middleware)
    except (FactsError, ValidationError, PolicyError) as exc:
        raise CultivationError(f"数据不完整或不合规，无法计算：{_chinese(exc)}") from exc
    data = outcome.to_dict()
    data["computation"] = f"{PROGRAM}/{name}"
    return data


def _chinese(exc: Exception) -> str:
    text = str(exc)
    for line in text.splitlines():
        if any("\u4e00" <= ch <= "\u9fff" for ch in line):
            return line.strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


def _citation(outcome: Mapping[str, Any], rule: str | None = None) -> str:
    for step in outcome.get("trace", []):
        if rule is None or step.get("rule") == rule:
            return str(step.get("citation", {}).get("label", ""))
    return ""


def _province_office_users() -> QuerySet[User]:
    return User.objects.filter(role=Role.OFFICE, is_active=True, organisation__jurisdiction=Jurisdiction.JIANGSU,
                               organisation__parent__isnull=True)


def _unit_users(unit: Organisation) -> QuerySet[User]:
    return User.objects.filter(role=Role.TRAINING_UNIT, organisation=unit, is_active=True)


def _person_users(person: Any) -> QuerySet[User]:
    return User.objects.filter(person=person, is_active=True)


def _lead_users(year: CultivationYear, bureau: Organisation | None) -> QuerySet[User]:
    return User.objects.filter(cultivation_leads__year=year, cultivation_leads__city_bureau=bureau)


def _require_unit_or_office(actor: Any, unit: Organisation) -> None:
    if is_province_office(actor):
        return
    own = training_unit_of(actor)
    if own is None or own.pk != unit.pk:
        raise CultivationError(gettext("只有该承训单位或省级主管部门可以办理。"))


def _require_office(actor: Any) -> None:
    if not is_province_office(actor):
        raise CultivationError(gettext("只有省级主管部门可以办理。"))


def is_locked(year: CultivationYear, unit: Organisation) -> bool:
    """After the provincial acceptance the unit's grades are final."""
    return UnitAcceptance.objects.filter(year=year, training_unit=unit, assessed_at__isnull=False).exists()


RUBRIC_ITEMS: list[dict[str, Any]] = []


NEEDS_TRAINEE = (ExpenseCategory.TRANSPORT, ExpenseCategory.LODGING)
