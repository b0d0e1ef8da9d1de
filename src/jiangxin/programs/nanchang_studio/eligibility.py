"""The six conditions (第二条), the exclusions (第六条), the application route (第七条) and bans (第十五条).

Every condition is checked and every failure is returned with its article. Conditions that need a
reviewer's judgement (a stable team, a demonstration role…) are facts the reviewer confirms; what can
be counted (honours and their level, projects per year, recognised results) is counted here.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Citation, Outcome, Status, Trace, cite
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.registry import computation
from jiangxin.programs.nanchang_studio import PROGRAM

__all__ = ["EligibilityFacts", "Honour", "InnovationResult", "Level", "eligibility", "leader_check"]

DOC = "nanchang_studio"
ART_2 = cite(DOC, "第二条")
ART_2_1 = cite(DOC, "第二条", "（一）")
ART_2_2 = cite(DOC, "第二条", "（二）")
ART_2_3 = cite(DOC, "第二条", "（三）")
ART_2_4 = cite(DOC, "第二条", "（四）")
ART_2_5 = cite(DOC, "第二条", "（五）")
ART_2_6 = cite(DOC, "第二条", "（六）")
ART_6 = cite(DOC, "第六条")
ART_7 = cite(DOC, "第七条")
ART_15_1 = cite(DOC, "第十五条", "第一款")
ART_15_2 = cite(DOC, "第十五条", "第二款")


class Level(StrEnum):
    """Level of the body that conferred an honour or named a studio (级别)."""

    GRASSROOTS = "grassroots"  # 基层（单位）
    COUNTY = "county"          # 县区级
    CITY = "city"              # 市级
    PROVINCIAL = "provincial"  # 省级
    NATIONAL = "national"      # 全国


LEVEL_ORDER: dict[Level, int] = {lv: i for i, lv in enumerate(Level)}

HonourKind = Literal["洪城工匠", "洪城技师", "赣鄱工匠", "能工巧匠", "劳动模范", "五一劳动奖章",
                     "其他同类荣誉", "行业职业技能带头人", "职工技术创新能手"]

#: Titles whose level is fixed by the title itself (Jiangxi provincial / Nanchang city titles).
FIXED_LEVEL: dict[str, Level] = {"赣鄱工匠": Level.PROVINCIAL, "能工巧匠": Level.PROVINCIAL,
                                 "洪城工匠": Level.CITY, "洪城技师": Level.CITY}
#: Titles that qualify through the level of the honour (市级（含）以上).
LEVELLED = frozenset({"洪城工匠", "洪城技师", "赣鄱工匠", "能工巧匠", "劳动模范", "五一劳动奖章", "其他同类荣誉"})
#: The alternative route: an industry skill leader or an innovation能手, no level printed (I-SEL-04).
ALTERNATIVE = frozenset({"行业职业技能带头人", "职工技术创新能手"})


class Honour(BaseModel):
    """One honour held by the proposed leader (领衔人荣誉)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: HonourKind = Field(description="荣誉称号: one of the titles of 第二条（一）, 其他同类荣誉 (another title of "
                                         "the same kind, reviewer-confirmed), or the alternative route "
                                         "行业职业技能带头人 / 职工技术创新能手")
    level: Level | None = Field(None, description="授予级别 level of the conferring body: grassroots, county, city, "
                                                  "provincial, national. Required for 劳动模范, 五一劳动奖章 and "
                                                  "其他同类荣誉; fixed by the title for 赣鄱工匠/能工巧匠 "
                                                  "(provincial) and 洪城工匠/洪城技师 (city)")

    @model_validator(mode="after")
    def _level(self) -> Honour:
        fixed = FIXED_LEVEL.get(self.kind)
        if fixed is not None and self.level is not None and self.level != fixed:
            raise ValueError(f"level: {self.kind} is always {fixed.value}, got {self.level.value}")
        if self.kind in LEVELLED and fixed is None and self.level is None:
            raise ValueError(f"level: required for {self.kind} (grassroots, county, city, provincial or national)")
        return self

    def effective_level(self) -> Level | None:
        return FIXED_LEVEL.get(self.kind, self.level)


ResultKind = Literal["专利", "科技奖励", "科技类核心期刊论文", "其他认定成果"]


class InnovationResult(BaseModel):
    """An innovation result that has been recognised (获得认定的创新成果)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ResultKind = Field(description="成果类别: 专利 patent, 科技奖励 science award, 科技类核心期刊论文 core-journal "
                                         "paper, 其他认定成果 another recognised result (reviewer-confirmed)")
    title: str = Field(min_length=1, description="成果名称 title of the result")
    year: int = Field(ge=1949, le=2200, description="认定年份 year the result was recognised")


PriorNaming = Literal["none", "grassroots", "county", "city", "provincial", "national",
                      "city_ecwhs_union", "city_direct_grassroots_union"]
UnitForm = Literal["innovation_team", "established_department", "rd_institution", "established_work_group"]


def leader_check(honours: Sequence[Honour], profile_confirmed: bool, exception_basis: str | None,
                 min_level: Level, trace: Trace, citation: Citation = ART_2_1, rule: str = "leader") -> bool:
    """第二条（一）: a listed honour at the minimum level or above (or the alternative route), plus the
    reviewer's confirmation of the leader's profile. Two checks, so both failures are listed."""
    qualifying = [h for h in honours
                  if h.kind in ALTERNATIVE
                  or (h.kind in LEVELLED and LEVEL_ORDER[h.effective_level() or Level.GRASSROOTS]
                      >= LEVEL_ORDER[min_level])]
    by_honour = bool(qualifying) or bool(exception_basis)
    note = ""
    if not qualifying and exception_basis:
        note = f"原则上: exception recorded by the office: {exception_basis} (I-SEL-03)"
    inputs: dict[str, Any] = {"honours": [f"{h.kind}({(h.effective_level() or '-')})" for h in honours],
                              "qualifying": [h.kind for h in qualifying]}
    trace.check(f"{rule}_honour", citation, by_honour, inputs=inputs,
                parameters={"eligibility_leader_min_level": min_level.value}, note=note)
    trace.check(f"{rule}_profile", citation, profile_confirmed,
                inputs={"profile_confirmed": profile_confirmed})
    return by_honour and profile_confirmed


class EligibilityFacts(Facts):
    """Facts for the 参评资格审查 of a proposed 示范性创新工作室."""

    # 第二条 general
    general_requirements_confirmed: bool = Field(
        description="有计划、有活动、有成果、有培训且取得经济社会效益 (第二条 intro), confirmed by the reviewer")
    # （一）
    leader_honours: list[Honour] = Field(description="领衔人所获荣誉 honours of the proposed leader (may be empty)")
    leader_profile_confirmed: bool = Field(
        description="领衔人专长、技能、创新与管理能力、业绩及行业影响 confirmed by the reviewer (第二条（一）)")
    leader_exception_basis: str | None = Field(
        None, min_length=1, description="原则上: the office's recorded reason for accepting a leader without a listed "
                                        "honour (I-SEL-03); null when none")
    # （二）
    team_confirmed: bool = Field(description="相对固定的团队、结构合理、协作氛围 confirmed by the reviewer (第二条（二）)")
    # （三）
    has_fixed_venue: bool = Field(description="固定活动场所 a fixed venue (第二条（三）)")
    has_equipment: bool = Field(description="配套设施设备 facilities and equipment for innovation (第二条（三）)")
    has_dedicated_funds: bool = Field(description="专项工作经费 dedicated funds (第二条（三）)")
    has_management_rules: bool = Field(description="科学管理制度 management rules (第二条（三）)")
    # （四）
    innovation_projects_by_year: dict[int, Annotated[int, Field(ge=0)]] = Field(
        min_length=1, description="每年创新课题或攻关项目数 year → number of innovation projects, for every year the "
                                  "reviewer examines (I-SEL-05)")
    recognised_results: list[InnovationResult] = Field(
        description="获得认定的创新成果 recognised innovation results (patents, science awards, core-journal papers…)")
    research_capacity_confirmed: bool = Field(
        description="明确的攻关课题和创新目标、较好效益 confirmed by the reviewer (第二条（四）)")
    # （五）
    demonstration_confirmed: bool = Field(description="示范引领作用 demonstration role confirmed by the reviewer (第二条（五）)")
    # （六）
    prior_naming: PriorNaming = Field(
        description="已命名级别 the union that already named the studio: none, grassroots, county, city, provincial, "
                    "national, city_ecwhs_union (市教科文卫体工会), city_direct_grassroots_union (市直属基层工会)")
    filed_with_city_union: bool | None = Field(
        None, description="报市总工会经济技术部备案: required (true/false) when prior_naming is city_ecwhs_union or "
                          "city_direct_grassroots_union; null otherwise")
    # 第六条
    unit_form: UnitForm = Field(
        description="组织形式: innovation_team (创新团队), established_department (有建制的科室), rd_institution "
                    "(研发机构), established_work_group (有建制的班组)")
    # 第七条
    applied_by_unit_union: bool = Field(description="由所在单位工会提出申请 the application comes from the unit's union")
    party_admin_approved: bool = Field(description="所在单位党政认可 approved by the unit's party and administration")
    # 第十五条
    fraud_found: bool = Field(description="弄虚作假 fraud found in this or any earlier application or assessment")
    previously_revoked: bool = Field(description="曾被撤销命名并摘牌 the studio's naming was revoked before")

    @field_validator("innovation_projects_by_year")
    @classmethod
    def _years_not_after_as_of(cls, value: dict[int, int], info: ValidationInfo) -> dict[int, int]:
        """A field of its own (not the cross check below) so that an incomplete draft is checked too."""
        as_of = info.data.get("as_of")
        if as_of is None:  # not given (or itself refused): nothing to compare with
            return value
        late = [year for year in value if year > as_of.year]
        if late:
            raise ValueError(f"a year at or before the year of as_of ({as_of.year}); year {late[0]} is after as_of")
        return value

    @model_validator(mode="after")
    def _cross(self) -> EligibilityFacts:
        needs_filing = self.prior_naming in {"city_ecwhs_union", "city_direct_grassroots_union"}
        if needs_filing and self.filed_with_city_union is None:
            raise ValueError("filed_with_city_union: true or false is required when prior_naming is "
                             f"{self.prior_naming}")
        if not needs_filing and self.filed_with_city_union is not None:
            raise ValueError("filed_with_city_union: only for prior_naming city_ecwhs_union or "
                             "city_direct_grassroots_union; use null")
        return self


COUNTY_OR_ABOVE = frozenset({"county", "city", "provincial", "national"})


@computation(PROGRAM, "eligibility", "创新工作室参评资格", ART_2, EligibilityFacts)
def eligibility(facts: EligibilityFacts, params: ParameterSet) -> Outcome[bool]:
    """Check the six conditions, exclusions, application route and bans; list every failure."""
    on = facts.as_of
    t = Trace()
    min_level = params.get("eligibility_leader_min_level", on)
    min_projects = params.get("eligibility_min_projects_per_year", on)
    min_results = params.get("eligibility_min_recognised_results", on)

    ok = t.check("general_requirements", ART_2, facts.general_requirements_confirmed,
                 inputs={"confirmed": facts.general_requirements_confirmed})
    ok &= leader_check(facts.leader_honours, facts.leader_profile_confirmed, facts.leader_exception_basis,
                        Level(min_level.value), t)
    ok &= t.check("team", ART_2_2, facts.team_confirmed, inputs={"confirmed": facts.team_confirmed})
    for rule, value in (("venue", facts.has_fixed_venue), ("equipment", facts.has_equipment),
                        ("funds", facts.has_dedicated_funds), ("management_rules", facts.has_management_rules)):
        ok &= t.check(rule, ART_2_3, value, inputs={rule: value})
    need = int(min_projects.value)
    short_years = sorted(y for y, n in facts.innovation_projects_by_year.items() if n < need)
    ok &= t.check("projects_every_year", ART_2_4, not short_years,
                  inputs={"by_year": {str(y): n for y, n in sorted(facts.innovation_projects_by_year.items())},
                          "years_short": short_years},
                  parameters={min_projects.name: min_projects.value})
    n_results = len(facts.recognised_results)
    ok &= t.check("recognised_results", ART_2_4, n_results >= min_results.value,
                  inputs={"count": n_results, "kinds": sorted({r.kind for r in facts.recognised_results})},
                  parameters={min_results.name: min_results.value})
    ok &= t.check("research_capacity", ART_2_4, facts.research_capacity_confirmed,
                  inputs={"confirmed": facts.research_capacity_confirmed})
    ok &= t.check("demonstration", ART_2_5, facts.demonstration_confirmed,
                  inputs={"confirmed": facts.demonstration_confirmed})
    if facts.prior_naming in COUNTY_OR_ABOVE:
        base = True
    elif facts.prior_naming in {"city_ecwhs_union", "city_direct_grassroots_union"}:
        base = bool(facts.filed_with_city_union)
    else:
        base = False
    ok &= t.check("creation_basis", ART_2_6, base,
                  inputs={"prior_naming": facts.prior_naming, "filed_with_city_union": facts.filed_with_city_union},
                  note="I-SEL-06" if facts.prior_naming.startswith("city_") else "")
    ok &= t.check("not_an_established_unit", ART_6, facts.unit_form == "innovation_team",
                  inputs={"unit_form": facts.unit_form})
    ok &= t.check("applied_by_unit_union", ART_7, facts.applied_by_unit_union,
                  inputs={"applied_by_unit_union": facts.applied_by_unit_union})
    ok &= t.check("party_admin_approved", ART_7, facts.party_admin_approved,
                  inputs={"party_admin_approved": facts.party_admin_approved})
    ok &= t.check("no_fraud_ban", ART_15_1, not facts.fraud_found, inputs={"fraud_found": facts.fraud_found},
                  note="permanent ban" if facts.fraud_found else "")
    ok &= t.check("not_previously_revoked", ART_15_2, not facts.previously_revoked,
                  inputs={"previously_revoked": facts.previously_revoked})
    return Outcome(ok, Status.ELIGIBLE if ok else Status.INELIGIBLE, t.steps)
