"""赣州工匠: eligibility, ranking with county-level priority, publicity, reward, cultivation, revocation.

Judgements the measures leave to reviewers (routes (一)–(六) of 第六条, conduct, equivalence of a
farmer's title) are facts entered and confirmed by staff with evidence references; what the text
states as numbers (contest places, catalogue classes, quota, reward, periods) is computed here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jiangxin.policy.errors import ParameterError, UnsetParameterError
from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Outcome, Status, Trace, cite
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.publicity import parameter_window
from jiangxin.policy.registry import computation
from jiangxin.policy.selection import Candidate, rank, select_within_quota
from jiangxin.policy.workdays import working_days_between
from jiangxin.programs.ganzhou_craftsman import PROGRAM

DOC = "ganzhou_craftsman"
ART_5 = cite(DOC, "第五条")
ART_6 = cite(DOC, "第六条")
ART_6_ROUTES = cite(DOC, "第六条", "（一）至（七）")
ART_6_CONTEST = cite(DOC, "第六条", "（七）")
ART_6_EXCLUDED = cite(DOC, "第六条", "第二款")
ART_6_PRIORITY = cite(DOC, "第六条", "第二款（同等条件优先）")
ART_6_NEGATIVE = (cite(DOC, "第六条", "第三款第1项"), cite(DOC, "第六条", "第三款第2项"),
                  cite(DOC, "第六条", "第三款第3项"))
ART_7_REVIEW = cite(DOC, "第七条", "（三）")
ART_7_PUBLICITY = cite(DOC, "第七条", "（四）")
ART_8 = cite(DOC, "第八条")
ART_10 = cite(DOC, "第十条")
ART_11 = cite(DOC, "第十一条")
ART_12 = cite(DOC, "第十二条")
ART_12_FRAUD = cite(DOC, "第十二条", "第二款")
I_CERTIFICATE = cite("interpretation", "I-TIME-03")
I_CATALOGUE = cite("interpretation", "I-TIME-04")
I_FRAUD_BAR = cite("interpretation", "I-TIME-09")
I_LOCATION = cite("interpretation", "I-TIME-10")

_STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


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


# ------------------------------------------------------------------------------------------------ ranking


class RankingCandidate(BaseModel):
    model_config = _STRICT

    key: str = Field(min_length=1, description="候选人编号（唯一）")
    score: Decimal = Field(ge=0, description="评审专家评分")
    county_level_craftsman: bool = Field(description="已获评县级工匠（同等条件下优先）")


class RankingFacts(Facts):
    year: int = Field(ge=2000, le=2100, description="选拔年度")
    candidates: list[RankingCandidate] = Field(min_length=1, description="经推荐、复审的参评人员及评分")
    selected_before: int | None = Field(
        default=None, ge=0, description="此前各年度已选拔“赣州工匠”人数（用于对照第五条累计目标，可省略）")

    @model_validator(mode="after")
    def _unique_keys(self) -> RankingFacts:
        keys = [c.key for c in self.candidates]
        if len(set(keys)) != len(keys):
            dup = next(k for k in keys if keys.count(k) > 1)
            raise ValueError(f"candidates: key {dup!r} appears twice; every candidate needs a unique key")
        return self


@computation(PROGRAM, "ranking", "赣州工匠评审排序与名额", ART_7_REVIEW, RankingFacts)
def ranking(facts: RankingFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Rank by expert score; county-level craftsmen first among equal scores; cut at the annual quota."""
    t = Trace()
    quota = params.get("annual_quota", facts.as_of)
    ranked = rank([Candidate(c.key, c.score, 1 if c.county_level_craftsman else 0) for c in facts.candidates])
    t.add("rank", ART_6_PRIORITY, [(r.key, r.rank) for r in ranked],
          inputs={"candidates": len(ranked)}, note="分数相同者县级工匠优先")
    t.add("annual_quota", quota.citation, int(quota.value), parameters={quota.name: quota.value},
          note=("“15名左右”取15（I-TIME-02），主管部门可按年度通知调整" if quota.interpretation
                else "主管部门年度通知设定"))
    selection = select_within_quota(ranked, int(quota.value), t, ART_5)
    value: dict[str, Any] = {
        "ranking": [{"key": r.key, "rank": r.rank, "score": r.score, "county_level_craftsman": r.priority == 1,
                     "tied": r.tied} for r in ranked],
        **selection.to_dict(),
    }
    target = params.get("cumulative_target", facts.as_of)
    count, by_year = int(target.value["count"]), int(target.value["by_year"])
    if facts.selected_before is not None:
        total = facts.selected_before + len(selection.selected)
        t.add("cumulative_target", target.citation,
              {"selected_total": total, "target": count, "by_year": by_year, "remaining": max(count - total, 0)},
              inputs={"selected_before": facts.selected_before, "selected_now": len(selection.selected),
                      "year": facts.year}, note="仅供参考：第五条累计目标")
    else:
        t.add("cumulative_target", target.citation, {"target": count, "by_year": by_year},
              note="仅供参考：第五条累计目标")
    return Outcome(value, Status.OK, t.steps)


# ---------------------------------------------------------------------------------------------- publicity


class PublicityFacts(Facts):
    start: dt.date = Field(description="公示发布日期")
    planned_end: dt.date | None = Field(default=None, description="拟定公示截止日（可省略；给出时检查是否满足最短期限）")


@computation(PROGRAM, "publicity_window", "拟入选名单公示期", ART_7_PUBLICITY, PublicityFacts)
def publicity_window(facts: PublicityFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """At least 5 working days on the official calendar; whether the posting day counts is I-TIME-05."""
    t = Trace()
    pw = parameter_window(facts.start, facts.as_of, params, duration="publicity_period",
                          first_day_counts="publicity_first_day_counts")
    w, period, first = pw.window, pw.duration, pw.first_day_counts
    t.add("publicity_window", ART_7_PUBLICITY, w, inputs={"start": facts.start},
          parameters={period.name: period.value, first.name: first.value})
    value: dict[str, Any] = {"start": w.start, "end": w.end, "earliest_publication": w.end + dt.timedelta(days=1)}
    status = Status.OK
    if facts.planned_end is not None:
        days = working_days_between(w.start, facts.planned_end)
        ok = t.check("planned_end_meets_minimum", ART_7_PUBLICITY, facts.planned_end >= w.end,
                     inputs={"planned_end": facts.planned_end, "working_days": days},
                     parameters={period.name: period.value})
        value["planned_end_ok"] = ok
        value["planned_working_days"] = days
        status = Status.PASSED if ok else Status.FAILED
    return Outcome(value, status, t.steps)


# ------------------------------------------------------------------------------------------------- reward


class RewardFacts(Facts):
    craftsmen: int = Field(ge=1, description="本年度确定的“赣州工匠”人数")


@computation(PROGRAM, "reward", "一次性奖励", ART_8, RewardFacts)
def reward(facts: RewardFacts, params: ParameterSet) -> Outcome[dict[str, Decimal | int]]:
    """A one-off reward per craftsman; the total for the year's craftsmen."""
    t = Trace()
    amount = params.get("reward_amount", facts.as_of)
    per_person = Decimal(amount.value)
    total = per_person * facts.craftsmen
    t.add("reward_total", ART_8, total, inputs={"craftsmen": facts.craftsmen},
          parameters={amount.name: per_person})
    return Outcome({"per_person": per_person, "craftsmen": facts.craftsmen, "total": total}, Status.OK, t.steps)


# ------------------------------------------------------------------------------------------- cultivation


class CultivationFacts(Facts):
    title_date: dt.date = Field(description="确定为“赣州工匠”（市政府批准）之日")


def _cultivation(title_date: dt.date, params: ParameterSet, t: Trace) -> tuple[dt.date, dt.date]:
    pw = parameter_window(title_date, title_date, params, duration="cultivation_period",
                          first_day_counts="cultivation_first_day_counts")
    w, period, first = pw.window, pw.duration, pw.first_day_counts
    t.add("cultivation_period", ART_10, w, inputs={"title_date": title_date},
          parameters={period.name: period.value, first.name: first.value})
    return w.start, w.end


def _report_due(params: ParameterSet, on: dt.date) -> tuple[int, int] | None:
    """Office-set month and day (``MM-DD``) by which the report on a year is due the following year."""
    try:
        raw = str(params.value("annual_report_due", on))
    except UnsetParameterError:
        return None
    month, sep, day = raw.partition("-")
    if not (sep and month.isdigit() and day.isdigit() and 1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        raise ParameterError(f"{DOC}.annual_report_due: expected a month-day such as 01-31, got {raw!r}")
    return int(month), int(day)


@computation(PROGRAM, "cultivation_period", "三年培养期与年度报送", ART_10, CultivationFacts)
def cultivation_period(facts: CultivationFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """The 3-year cultivation period from the title date, and the yearly reports the unit sends."""
    t = Trace()
    start, end = _cultivation(facts.title_date, params, t)
    spec = _report_due(params, facts.as_of)
    due_set = spec is not None
    reports = []
    for year in range(start.year, end.year + 1):
        due = None
        if spec is not None:
            month, day = spec
            due = dt.date(year + 1, month, min(day, calendar.monthrange(year + 1, month)[1]))
        reports.append({"year": year, "covers_from": max(start, dt.date(year, 1, 1)),
                        "covers_to": min(end, dt.date(year, 12, 31)), "due": due})
    t.add("annual_reports", ART_11, [r["year"] for r in reports], inputs={"start": start, "end": end},
          note="按自然年度报送（I-TIME-07）" + ("" if due_set else "；报送截止日办法未规定，待主管部门设定"))
    return Outcome({"start": start, "end": end, "reports": reports}, Status.OK, t.steps)


# -------------------------------------------------------------------------------------------- revocation


class RevocationGround(enum.StrEnum):
    PENALTY = "行政或刑事处罚"             # 第十二条（一）
    DISCIPLINE = "撤职或留党察看以上处分"   # （二）
    PUBLIC_MORALS = "严重违反社会公德"      # （三）
    SPEECH_OR_IP = "不当言论或知识产权处罚"  # （四）
    LEFT_GANZHOU = "调离赣州"               # （五）
    OTHER_VIOLATION = "其他违纪违法"        # （六）
    FRAUD = "骗取称号"                      # 第二款


_GROUND_CITE = {g: cite(DOC, "第十二条", c) for g, c in zip(
    list(RevocationGround)[:6], ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"], strict=True)}
_GROUND_CITE[RevocationGround.FRAUD] = ART_12_FRAUD


class RevocationEvent(BaseModel):
    model_config = _STRICT

    ground: RevocationGround = Field(description="情形：第十二条（一）–（六）或骗取称号")
    date: dt.date = Field(description="情形发生（或处罚决定）日期")
    verified: bool = Field(description="已经市人社局核实")
    evidence_refs: list[str] = Field(min_length=1, description="证明材料编号")
    suspected_crime: bool = Field(default=False, description="涉嫌犯罪（骗取称号情形必填：需移交司法机关）")

    @model_validator(mode="after")
    def _fraud_states_crime(self) -> RevocationEvent:
        if self.ground is RevocationGround.FRAUD and "suspected_crime" not in self.model_fields_set:
            raise ValueError("suspected_crime: required (true or false) when the ground is 骗取称号")
        return self


class RevocationFacts(Facts):
    title_date: dt.date = Field(description="确定为“赣州工匠”之日")
    reward_paid: Decimal = Field(ge=0, description="已发放的一次性奖励金额（元）")
    events: list[RevocationEvent] = Field(description="已报告的情形")

    @model_validator(mode="after")
    def _events_not_in_future(self) -> RevocationFacts:
        for i, e in enumerate(self.events):
            if e.date > self.as_of:
                raise ValueError(f"events.{i}.date: {e.date.isoformat()} is after as_of "
                                 f"{self.as_of.isoformat()}; a reported event cannot be in the future")
        return self


@computation(PROGRAM, "revocation", "撤销称号与追回", ART_12, RevocationFacts)
def revocation(facts: RevocationFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Grounds (一)–(六) revoke when verified and within the cultivation period; fraud also recovers."""
    t = Trace()
    start, end = _cultivation(facts.title_date, params, t)
    hits: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []
    fraud = False
    refer = False
    for e in facts.events:
        citation = _GROUND_CITE[e.ground]
        is_fraud = e.ground is RevocationGround.FRAUD
        in_period = start <= e.date <= end
        counts = is_fraud or in_period
        entry = {"ground": e.ground, "date": e.date, "citation": citation, "evidence": e.evidence_refs}
        if not counts:
            t.add("ground_outside_cultivation_period", citation, False,
                  inputs={"ground": e.ground, "date": e.date, "period": [start, end]},
                  note="情形不在培养期内，不构成本条撤销事由")
            continue
        if not e.verified:
            pending.append(entry)
            t.add("ground_pending_verification", citation, False, inputs={"ground": e.ground, "date": e.date},
                  note="须经市人社局核实")
            continue
        hits.append(entry)
        fraud = fraud or is_fraud
        refer = refer or (is_fraud and e.suspected_crime)
        t.add("ground_verified", citation, True,
              inputs={"ground": e.ground, "date": e.date, "evidence": e.evidence_refs},
              note="" if in_period else "骗取称号不限于培养期（I-TIME-08）")
    revoked = bool(hits)
    recovery = facts.reward_paid if fraud else Decimal(0)
    t.add("revocation", ART_12_FRAUD if fraud else ART_12,
          {"revoked": revoked, "recover_certificate": fraud, "recover_amount": recovery},
          inputs={"grounds": len(hits), "pending": len(pending), "reward_paid": facts.reward_paid})
    value = {"revoked": revoked, "grounds": hits, "pending": pending, "recover_certificate": fraud,
             "recover_amount": recovery, "refer_to_judiciary": refer, "cultivation_period": [start, end]}
    return Outcome(value, Status.FAILED if revoked else Status.PASSED, t.steps)


__all__ = ["ART_11", "CertificateLevel", "ContestLevel", "RevocationGround", "Route", "cultivation_period",
           "eligibility", "publicity_window", "ranking", "revocation", "reward"]
