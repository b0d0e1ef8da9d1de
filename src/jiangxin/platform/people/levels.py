"""Skill levels (新八级职业技能等级) and professional title levels, as choices shared by every app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiangxin.policy.levels import SKILL_RANK as POLICY_RANK
from jiangxin.policy.levels import SkillLevel as PolicyLevel


class SkillLevel(models.TextChoices):
    """新八级: the eight-step vocational skill ladder, highest first as Chinese forms list it.

    Order and names come from the policy core's ladder (``jiangxin.policy.levels``): compare with
    ``SKILL_RANK``, hand the rules ``POLICY_NAME`` (never the translated label).
    """

    CHIEF_TECHNICIAN = "chief_technician", _("首席技师")
    MASTER_TECHNICIAN = "master_technician", _("特级技师")
    SENIOR_TECHNICIAN = "senior_technician", _("高级技师")
    TECHNICIAN = "technician", _("技师")
    SENIOR = "senior", _("高级工")
    INTERMEDIATE = "intermediate", _("中级工")
    JUNIOR = "junior", _("初级工")
    APPRENTICE = "apprentice", _("学徒工")


#: the policy core's name of each level (what the rules' facts expect)
POLICY_NAME: dict[str, str] = {
    SkillLevel.CHIEF_TECHNICIAN: PolicyLevel.CHIEF_TECHNICIAN.value,
    SkillLevel.MASTER_TECHNICIAN: PolicyLevel.SPECIAL_TECHNICIAN.value,
    SkillLevel.SENIOR_TECHNICIAN: PolicyLevel.SENIOR_TECHNICIAN.value,
    SkillLevel.TECHNICIAN: PolicyLevel.TECHNICIAN.value,
    SkillLevel.SENIOR: PolicyLevel.SENIOR.value,
    SkillLevel.INTERMEDIATE: PolicyLevel.INTERMEDIATE.value,
    SkillLevel.JUNIOR: PolicyLevel.JUNIOR.value,
    SkillLevel.APPRENTICE: PolicyLevel.APPRENTICE.value,
}
#: rank of each skill level (0 = 学徒工 … 7 = 首席技师), for "at least 技师" style comparisons
SKILL_RANK: dict[str, int] = {str(code): POLICY_RANK[name] for code, name in POLICY_NAME.items()}


def skill_at_least(level: str, minimum: str) -> bool:
    """True when ``level`` is ``minimum`` or higher (以上 includes the level itself)."""
    if level not in SKILL_RANK or minimum not in SKILL_RANK:
        return False
    return SKILL_RANK[level] >= SKILL_RANK[minimum]


class TitleLevel(models.TextChoices):
    """专业技术职称 level."""

    NONE = "none", _("无")
    JUNIOR = "junior", _("初级")
    INTERMEDIATE = "intermediate", _("中级")
    VICE_SENIOR = "vice_senior", _("副高级")
    SENIOR = "senior", _("正高级")


TITLE_RANK: dict[str, int] = {value: i for i, value in enumerate(TitleLevel.values)}


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class OriginalRetirementAge(models.IntegerChoices):
    """Original statutory retirement age (before the 2024 NPCSC decision); see policy.retirement.OriginalAge."""

    MALE_60 = 60, _("60周岁（男职工）")
    FEMALE_55 = 55, _("55周岁（女干部/管理技术岗位）")
    FEMALE_50 = 50, _("50周岁（女工人）")
