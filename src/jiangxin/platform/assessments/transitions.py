"""Annual assessment transitions (年度考核状态流转): the pages change a round or an assessment only through these.

Each is the registered face of the service function of the same name in ``assessments.actions`` (re-exported by
``assessments.services``; it keeps its ``(actor, record, ...)`` signature for the yearly run and the demo
loaders); the service still does its own scope checks and computations, the registry adds the role, the
from-state under a row lock, stale-form refusal and the transaction.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.assessments import services
from jiangxin.platform.assessments.models import (
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    RoundStatus,
)
from jiangxin.platform.core.transitions import SYSTEM, track, transition

A = AssessmentStatus
OFFICE = (Role.OFFICE, Role.PARK_OFFICE, SYSTEM)
UNITS = (Role.UNIT, Role.TRAINING_UNIT)
ROUND = "assessments.AssessmentRound"
ONE = "assessments.Assessment"
CITES = ("南昌工匠学院办法 第二十三条；南昌创新工作室办法 第十四条；镇江技能大师产业创新园意见 五（二）、附件2；"
         "赣州工匠办法 第十一条")

track(AssessmentRound, "status")
track(Assessment, "status")


@transition("assessments.open_round", title=_("开启年度考核"), record=ROUND, target=RoundStatus.OPEN, roles=OFFICE,
            guard="assessments.profiles.profile_for（项目是否规定年度考核）", citation=CITES)
def open_round(program: Any, *, actor: Any, **kwargs: Any) -> AssessmentRound:
    return services.open_round(actor, program, **kwargs)


@transition("assessments.sync_round", title=_("补充考核对象"), record=ROUND, sources=(RoundStatus.OPEN,),
            target=RoundStatus.OPEN, roles=OFFICE, guard="assessments.selectors.eligible_designations",
            citation=CITES)
def sync_round(rnd: AssessmentRound, *, actor: Any) -> int:
    return services.sync_round(actor, rnd)


@transition("assessments.submit", title=_("提交自评材料"), record=ONE, sources=(A.PENDING, A.SUBMITTED),
            target=A.SUBMITTED, roles=UNITS, guard="考核批次进行中、材料齐全", citation=CITES)
def submit(assessment: Assessment, *, actor: Any, **kwargs: Any) -> Assessment:
    return services.submit(actor, assessment, **kwargs)


@transition("assessments.score", title=_("评分"), record=ONE, sources=(A.SUBMITTED, A.SCORED), target=A.SCORED,
            roles=OFFICE, guard="nanchang_academy/annual_score；nanchang_studio/assessment_score；"
                                "zhenjiang_park/evaluation", citation=CITES)
def score(assessment: Assessment, *, actor: Any, entries: dict[str, Any]) -> Assessment:
    return services.score(actor, assessment, entries)


@transition("assessments.acknowledge", title=_("年度报告备案确认"), record=ONE, sources=(A.SUBMITTED,),
            target=A.PUBLISHED, roles=OFFICE, guard="assessments.profiles.profile_for（不评分的项目）",
            citation="赣州工匠办法 第十一条")
def acknowledge(assessment: Assessment, *, actor: Any, note: str = "") -> Assessment:
    return services.acknowledge(actor, assessment, note=note)


@transition("assessments.publish", title=_("公布考核结果"), record=ROUND, sources=(RoundStatus.OPEN,),
            target=RoundStatus.PUBLISHED, roles=OFFICE, guard="已评分的考核", citation=CITES)
def publish(rnd: AssessmentRound, *, actor: Any) -> int:
    return services.publish(actor, rnd)
