"""A training unit's mentors (江苏卓越技师办法 第十六条): registering them and assigning one to each trainee.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.common_setup import (
    MENTOR_SKILL_LEVELS,
    _open,
    _require_unit,
    citations,
    failed_steps,
)
from jiangxin.platform.cultivation.models import Enrolment, Mentor
from jiangxin.platform.cultivation.selectors.setup import mentor_outcome
from jiangxin.platform.cultivation.transitions import action


@action("cultivation.register_mentor")
def register_mentor(actor: Any, *, name: str, title: str, skill_level: str = "", specialty: str = "",
                    mentor: Mentor | None = None) -> Mentor:
    unit = _require_unit(actor, mentor.training_unit if mentor else None)
    name = (name or "").strip()
    if not name:
        raise CultivationError(gettext("请填写指导教师姓名。"))
    if skill_level and skill_level not in MENTOR_SKILL_LEVELS:
        raise CultivationError(gettext("职业技能等级不在可选范围内。"))
    with transaction.atomic():
        before = snapshot(mentor) if mentor else None
        mentor = mentor or Mentor(training_unit=unit)
        mentor.name, mentor.title, mentor.skill_level, mentor.specialty = name, title, skill_level, specialty
        mentor.save()
        record("cultivation.mentor_save", mentor, actor=actor, summary=f"指导教师：{mentor.name}", before=before,
               after=snapshot(mentor))
    return mentor


@action("cultivation.assign_mentor")
def assign_mentor(actor: Any, enrolment: Enrolment, mentor: Mentor, *, enterprise_mentor: str = "") -> Enrolment:
    """One qualified mentor per trainee (第十六条); an unqualified mentor is refused with the citation."""
    unit = _require_unit(actor, enrolment.training_unit)
    _open(enrolment.year)
    if mentor.training_unit_id != unit.pk or not mentor.active:
        raise CultivationError(gettext("请选择本单位在岗的指导教师。"))
    outcome = mentor_outcome([enrolment], {enrolment.pk: mentor}, {enrolment.pk: enterprise_mentor.strip()})
    bad = failed_steps(outcome)
    if bad:
        raise CultivationError(f"{mentor.name} 不符合指导教师条件（须副高级及以上职称或高级技师及以上职业技能等级，"
                               f"{citations(bad)}）。")
    with transaction.atomic():
        before = {"mentor": enrolment.mentor.name if enrolment.mentor else None,
                  "enterprise_mentor": enrolment.enterprise_mentor}
        enrolment.mentor = mentor
        enrolment.enterprise_mentor = enterprise_mentor.strip()
        enrolment.save(update_fields=["mentor", "enterprise_mentor"])
        record("cultivation.mentor_assign", enrolment, actor=actor,
               summary=f"{enrolment.person.name} 的指导教师：{mentor.name}", before=before,
               after={"mentor": mentor.name, "enterprise_mentor": enrolment.enterprise_mentor})
    return enrolment
