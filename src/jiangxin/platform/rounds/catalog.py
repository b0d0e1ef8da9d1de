"""Platform-side facts about each program: who runs it, who applies, which computation decides
eligibility and which conditions evidence is filed under. The rules themselves stay in the policy core."""

from __future__ import annotations

import dataclasses

from django.utils.translation import get_language, gettext, gettext_noop

from jiangxin.platform.accounts.roles import Role


@dataclasses.dataclass(frozen=True)
class Condition:
    key: str
    label: str
    article: str


@dataclasses.dataclass(frozen=True)
class ProgramInfo:
    jurisdiction: str
    #: "unit" (an organisation applies) or "individual" (a person applies)
    applicant: str
    #: the registry computation that checks eligibility, tried in order (first one registered is used)
    eligibility: tuple[str, ...]
    #: conditions evidence files are filed under
    conditions: tuple[Condition, ...]
    #: roles that may apply
    applicant_roles: frozenset[str]
    #: roles (at the authority level of the jurisdiction) that run rounds
    office_roles: frozenset[str] = frozenset({Role.OFFICE})


OTHER = Condition("other", gettext_noop("其他材料"), "")

PROGRAM_INFO: dict[str, ProgramInfo] = {
    "nanchang_academy": ProgramInfo(
        "nanchang", "unit", ("application_admissible", "naming_eligibility", "eligibility"),
        (Condition("annex1", gettext_noop("命名评定材料"), "附件1"), Condition("plan", gettext_noop("建设方案"), "第七条"), OTHER),
        frozenset({Role.UNIT, Role.TRAINING_UNIT})),
    "nanchang_studio": ProgramInfo(
        "nanchang", "unit", ("eligibility",),
        (Condition("c1", gettext_noop("领衔人荣誉与能力"), "第二条（一）"), Condition("c2", gettext_noop("团队结构"), "第二条（二）"),
         Condition("c3", gettext_noop("场所设备经费制度"), "第二条（三）"), Condition("c4", gettext_noop("创新课题与成果"), "第二条（四）"),
         Condition("c5", gettext_noop("示范引领作用"), "第二条（五）"), Condition("c6", gettext_noop("命名创建基础"), "第二条（六）"), OTHER),
        frozenset({Role.UNIT})),
    "zhenjiang_park": ProgramInfo(
        "zhenjiang", "unit", ("entry_eligibility",),
        (Condition("leader", gettext_noop("领衔人条件"), "三（一）1"), Condition("support", gettext_noop("创业意愿与设备经费"), "三（一）2"),
         Condition("plan", gettext_noop("工作规划与项目"), "三（一）3"), Condition("recommendation", gettext_noop("单位推荐意见"), "附件1"),
         OTHER),
        frozenset({Role.UNIT}), frozenset({Role.OFFICE, Role.PARK_OFFICE})),
    "ganzhou_craftsman": ProgramInfo(
        "ganzhou", "individual", ("eligibility",),
        (Condition("skill", gettext_noop("技能等级证书"), ""), Condition("achievements", gettext_noop("业绩与荣誉"), ""), OTHER),
        frozenset({Role.INDIVIDUAL})),
    "jiangsu_technician": ProgramInfo(
        "jiangsu", "individual", ("eligibility",),
        (Condition("skill", gettext_noop("技能等级证书"), "第二条"), Condition("track", gettext_noop("A/B类认定材料"), "第三条"),
         Condition("recommendation", gettext_noop("用人单位推荐"), "第二条"), OTHER),
        frozenset({Role.INDIVIDUAL, Role.TRAINEE})),
}


def info(program_key: str) -> ProgramInfo:
    return PROGRAM_INFO[program_key]


def condition_choices(program_key: str) -> list[tuple[str, str]]:
    """Evidence conditions in the reader's language; Chinese pages add the article of the rules they rest on
    (English pages leave out the Chinese article reference: the option text cannot mark it as such)."""
    english = (get_language() or "").lower().startswith("en")
    return [(c.key, f"{gettext(c.label)}（{c.article}）" if c.article and not english else gettext(c.label))
            for c in PROGRAM_INFO[program_key].conditions]
