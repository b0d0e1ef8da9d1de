"""Who may be nominated: certificates, the routes of 第六条, contest places and the exclusions."""

from __future__ import annotations

import enum
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Outcome, Status, Trace, cite
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.registry import computation
from jiangxin.programs.ganzhou_craftsman import PROGRAM
from jiangxin.programs.ganzhou_craftsman.rules.common import (
    _STRICT,
    ART_6,
    ART_6_CONTEST,
    ART_6_EXCLUDED,
    ART_6_NEGATIVE,
    ART_6_ROUTES,
    DOC,
    I_CERTIFICATE,
    I_FRAUD_BAR,
)

# --------------------------------------------------------------------------------------------- eligibility


class CertificateLevel(enum.StrEnum):
    """Vocational qualification / skill level certificate (职业资格或职业技能等级证书)."""

    NONE = "无"
    JUNIOR = "初级工"               # 五级
    INTERMEDIATE = "中级工"         # 四级
    SENIOR = "高级工"               # 三级（第六条门槛）
    TECHNICIAN = "技师"             # 二级
    SENIOR_TECHNICIAN = "高级技师"  # 一级
    SPECIAL_TECHNICIAN = "特级技师"  # 新八级之特级
    CHIEF_TECHNICIAN = "首席技师"   # 新八级之首席


_LEVEL_RANK = {level: i for i, level in enumerate(CertificateLevel)}


class Route(enum.StrEnum):
    """Routes (一)–(六) of 第六条: reviewers' judgements, confirmed with evidence."""

    CRAFT_SPECIALTY = "工艺专长"      # （一）
    SUPERB_SKILL = "高超技能"         # （二）
    LEADING_ROLE = "领军作用"         # （三）
    HERITAGE = "传承技艺"             # （四）
    INNOVATION = "创新业绩"           # （五）
    KEY_TECHNOLOGY = "关键技术"       # （六）


_ROUTE_CLAUSE = {Route.CRAFT_SPECIALTY: "（一）", Route.SUPERB_SKILL: "（二）", Route.LEADING_ROLE: "（三）",
                 Route.HERITAGE: "（四）", Route.INNOVATION: "（五）", Route.KEY_TECHNOLOGY: "（六）"}
_ROUTE_CITE = {route: cite(DOC, "第六条", clause) for route, clause in _ROUTE_CLAUSE.items()}


class ContestLevel(enum.StrEnum):
    """Level of a vocational skills contest (职业技能大赛级别)."""

    NATIONAL = "national"                    # 全国（国家级）大赛
    PROVINCIAL_CLASS1 = "provincial_class1"  # 省级一类
    PROVINCIAL_CLASS2 = "provincial_class2"  # 省级二类
    CITY_CLASS1 = "city_class1"              # 市级一类
    OTHER = "other"                          # 其他（市级二类、县级、行业内部等：不计入）


class RouteConfirmation(BaseModel):
    model_config = _STRICT

    route: Route = Field(description="条件（一）–（六）之一：工艺专长/高超技能/领军作用/传承技艺/创新业绩/关键技术")
    confirmed_by: str | None = Field(
        default=None, min_length=1,
        description="确认该条件的评审人或审核单位（由评审环节的确认记录填入，申报人不填写）")
    evidence_refs: list[str] = Field(min_length=1, description="证明材料编号（至少一项）")


class ContestPlacing(BaseModel):
    model_config = _STRICT

    contest: str = Field(min_length=1, description="大赛名称")
    level: ContestLevel = Field(description="大赛级别 national/provincial_class1/provincial_class2/city_class1/other")
    place: int = Field(ge=1, description="个人名次（第几名，1起）")
    year: int = Field(ge=1950, le=2100, description="获奖年份")
    evidence_ref: str = Field(min_length=1, description="获奖证书等证明材料编号")


class CertificateException(BaseModel):
    model_config = _STRICT

    approved_by: str = Field(min_length=1, description="批准例外的单位（“原则上”要求的例外）")
    reason: str = Field(min_length=1, description="例外理由")
    evidence_refs: list[str] = Field(min_length=1, description="证明材料编号")


class EligibilityFacts(Facts):
    works_in_ganzhou: bool = Field(description="在赣州市行政区域内工作")
    lives_in_ganzhou: bool = Field(description="在赣州市行政区域内居住")
    prc_citizen: bool = Field(description="中华人民共和国公民")
    front_line_technical_work: bool = Field(description="从事生产服务一线技术技能工作")
    good_conduct_confirmed: bool = Field(description="品德条件（爱国、职业道德、敬业精神）经审核确认")
    certificate_level: CertificateLevel = Field(description="最高职业资格/职业技能等级证书等级；无则填“无”")
    farmer_title_equivalent_confirmed: bool = Field(
        description="持有职业农民职称证书且经审核确认相当于高级工及以上")
    certificate_exception: CertificateException | None = Field(
        default=None, description="证书等级不足时经批准的例外（解释 I-TIME-03）；无则省略")
    routes: list[RouteConfirmation] = Field(description="经评审确认的条件（一）–（六）")
    contest_placings: list[ContestPlacing] = Field(description="职业技能大赛名次（条件（七））")
    national_talent_programme: bool = Field(description="已入选国家级人才计划")
    provincial_double_thousand: bool = Field(description="已入选省“双千计划”")
    provincial_double_high: bool = Field(description="已入选省“双高工程”高技能领军人才")
    other_provincial_talent_project: bool = Field(description="已入选其他省级以上人才工程")
    talent_catalogue_class: Literal["A", "B", "C", "D", "E"] | None = Field(
        description="赣州市人才目录类别（A最高）")
    criminal_record: bool = Field(description="有刑事犯罪记录")
    ip_infringement: bool = Field(description="有知识产权侵权行为，或因涉嫌侵权处于调查中")
    serious_misconduct: bool = Field(description="有其他严重违法违规或违反职业道德行为且造成恶劣影响")
    previously_revoked_for_fraud: bool = Field(description="曾因弄虚作假等骗取称号被撤销“赣州工匠”称号")

    @model_validator(mode="after")
    def _exception_only_when_needed(self) -> EligibilityFacts:
        adequate = _LEVEL_RANK[self.certificate_level] >= _LEVEL_RANK[CertificateLevel.SENIOR]
        if self.certificate_exception is not None and (adequate or self.farmer_title_equivalent_confirmed):
            raise ValueError("certificate_exception: only for a certificate below 高级工 without an equivalent "
                             "farmer title; omit it otherwise")
        return self


def _contest_route(facts: EligibilityFacts, params: ParameterSet, trace: Trace) -> bool:
    top = params.get("contest_top_places", facts.as_of)
    met = False
    for p in facts.contest_placings:
        limit = top.value.get(p.level.value)
        ok = limit is not None and p.place <= int(limit)
        met = met or ok
        trace.add("contest_placing", ART_6_CONTEST, ok,
                  inputs={"contest": p.contest, "level": p.level, "place": p.place, "year": p.year,
                          "evidence": p.evidence_ref},
                  parameters={"top_places": limit},
                  note="" if limit is not None else "该级别大赛不在条件（七）所列范围内")
    return met


@computation(PROGRAM, "eligibility", "赣州工匠参评资格", ART_6, EligibilityFacts)
def eligibility(facts: EligibilityFacts, params: ParameterSet) -> Outcome[bool]:
    """Every condition of 第六条 checked in turn; every failure is reported with its citation."""
    t = Trace()
    on = facts.as_of
    ok = t.check("works_or_lives_in_ganzhou", ART_6, facts.works_in_ganzhou or facts.lives_in_ganzhou,
                 inputs={"works": facts.works_in_ganzhou, "lives": facts.lives_in_ganzhou},
                 note="工作或居住其一即可（I-TIME-10）")
    ok &= t.check("prc_citizen", ART_6, facts.prc_citizen)
    ok &= t.check("front_line_technical_work", ART_6, facts.front_line_technical_work)
    ok &= t.check("good_conduct", ART_6, facts.good_conduct_confirmed)

    level_ok = _LEVEL_RANK[facts.certificate_level] >= _LEVEL_RANK[CertificateLevel.SENIOR]
    certificate_inputs: dict[str, Any] = {"level": facts.certificate_level,
                                          "farmer_title_equivalent": facts.farmer_title_equivalent_confirmed}
    if level_ok or facts.farmer_title_equivalent_confirmed:
        ok &= t.check("certificate_senior_worker_or_above", ART_6, True, inputs=certificate_inputs)
    else:
        allowed = params.get("certificate_exception_allowed", on)
        exc = facts.certificate_exception
        if exc is not None and allowed.value is True:
            ok &= t.check("certificate_senior_worker_or_above", I_CERTIFICATE, True,
                          inputs={**certificate_inputs, "exception_by": exc.approved_by,
                                  "reason": exc.reason, "evidence": exc.evidence_refs},
                          parameters={allowed.name: allowed.value},
                          note="证书等级不足，按“原则上”经批准的例外通过")
        else:
            ok &= t.check("certificate_senior_worker_or_above", ART_6, False, inputs=certificate_inputs,
                          parameters={allowed.name: allowed.value},
                          note="需高级工及以上证书或相当等级的职业农民职称")

    routes_met: list[str] = []
    for r in facts.routes:
        t.add("route_confirmed", _ROUTE_CITE[r.route], True,
              inputs={"route": r.route, "confirmed_by": r.confirmed_by, "evidence": r.evidence_refs})
        routes_met.append(_ROUTE_CLAUSE[r.route])
    if _contest_route(facts, params, t):
        routes_met.append("（七）")
    ok &= t.check("at_least_one_route", ART_6_ROUTES, bool(routes_met), inputs={"routes_met": routes_met})

    ok &= t.check("not_in_national_talent_programme", ART_6_EXCLUDED, not facts.national_talent_programme)
    ok &= t.check("not_in_provincial_double_thousand", ART_6_EXCLUDED, not facts.provincial_double_thousand)
    ok &= t.check("not_in_provincial_double_high", ART_6_EXCLUDED, not facts.provincial_double_high)
    ok &= t.check("not_in_other_provincial_talent_project", ART_6_EXCLUDED,
                  not facts.other_provincial_talent_project)
    excluded = params.get("talent_catalogue_excluded_classes", on)
    cls = facts.talent_catalogue_class
    ok &= t.check("not_in_talent_catalogue_class_d_or_above", ART_6_EXCLUDED,
                  cls is None or cls not in str(excluded.value), inputs={"class": cls},
                  parameters={excluded.name: excluded.value}, note="D类以上含D类（I-TIME-04）")

    ok &= t.check("no_criminal_record", ART_6_NEGATIVE[0], not facts.criminal_record)
    ok &= t.check("no_ip_infringement", ART_6_NEGATIVE[1], not facts.ip_infringement)
    ok &= t.check("no_serious_misconduct", ART_6_NEGATIVE[2], not facts.serious_misconduct)

    bar = params.get("fraud_revocation_bars_reapplication", on)
    barred = bool(bar.value) and facts.previously_revoked_for_fraud
    ok &= t.check("not_barred_after_fraud_revocation", I_FRAUD_BAR, not barred,
                  inputs={"previously_revoked_for_fraud": facts.previously_revoked_for_fraud},
                  parameters={bar.name: bar.value})
    return Outcome(ok, Status.ELIGIBLE if ok else Status.INELIGIBLE, t.steps)
