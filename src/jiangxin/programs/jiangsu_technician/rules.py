"""江苏省卓越技师培育计划 — eligibility of a candidate (A/B class) and the size of each class.

Hot path: ``eligibility`` must decide with its full trace in a few microseconds, so citations are
module constants, parameter values are memoised by the parameter set itself (per name and date, and the
eligibility bundle per date through ``ParameterSet.derive``) and the function works
on an already-validated facts model (pydantic only runs at the boundary, in ``parse_facts``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections import Counter
from decimal import Decimal
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jiangxin.policy.deadlines import add_years
from jiangxin.policy.errors import FactsError, ParameterError
from jiangxin.policy.facts import Facts
from jiangxin.policy.levels import SKILL_RANK, SkillLevel
from jiangxin.policy.outcome import Outcome, Status, Step, Trace, cite
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.registry import computation
from jiangxin.policy.retirement import OriginalAge, statutory_retirement
from jiangxin.programs.jiangsu_technician import PROGRAM

DOC = "jiangsu_technician"
ART_2 = cite(DOC, "第二条")
ART_2_LEVEL = cite(DOC, "第二条", "（人选技能等级）")
ART_2_AGE = cite(DOC, "第二条", "（距法定退休年龄）")
ART_2_QUOTA = cite(DOC, "第二条", "（每年每类人数）")
ART_3_A = cite(DOC, "第三条", "（A类直接认定）")
ART_3_B = cite(DOC, "第三条", "（B类评选条件）")
ART_21_EMPLOYER = cite(DOC, "第二十一条", "（用人单位不支持参训）")
ART_21_TRAINEE = cite(DOC, "第二十一条", "（违反培训纪律）")
ART_23_SUBSIDY = cite(DOC, "第二十三条", "（原企业首席技师补助）")
ART_23_GAP = cite(DOC, "第二十三条", "（再次参加间隔）")
I_JS_08 = cite("interpretation", "I-JS-08")


class Track(enum.StrEnum):
    """培育类别: A 类 (直接认定) or B 类 (评选产生)."""

    A = "A"
    B = "B"


class Sex(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"




class Route(enum.StrEnum):
    """入选途径: 高级技师及以上 (main) or 技师 admitted as 特别优秀 (exceptional)."""

    MAIN = "main"
    EXCEPTIONAL = "exceptional"


_STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class LeadingTalentRecognition(BaseModel):
    """A 类: the staff-confirmed finding that the person is a 高技能领军人才 (苏办发〔2019〕20号)."""

    model_config = _STRICT

    criterion: str = Field(min_length=1, description="认定情形：所符合的高技能领军人才范围条目 (which criterion)")
    confirmed_by: str = Field(min_length=1, description="确认人：核实该认定的经办人员 (staff who confirmed it)")


class ChiefTechnicianConditions(BaseModel):
    """B 类: the staff-confirmed finding on the 江苏省企业首席技师 conditions (苏人社发〔2022〕101号)."""

    model_config = _STRICT

    met: bool = Field(description="是否符合企业首席技师资格条件 (conditions met)")
    confirmed_by: str = Field(min_length=1, description="确认人：核实资格条件的经办人员 (staff who confirmed)")
    note: str = Field(default="", description="说明：核实情况备注 (optional note)")


class OutstandingFinding(BaseModel):
    """特别优秀: the staff-confirmed finding that lets a 技师 be admitted (第二条)."""

    model_config = _STRICT

    reason: str = Field(min_length=1, description="特别优秀的事实依据 (why the technician is outstanding)")
    confirmed_by: str = Field(min_length=1, description="确认人 (staff who confirmed the finding)")


class Period(BaseModel):
    """A closed date range [start, end] (both days included)."""

    model_config = _STRICT

    start: dt.date = Field(description="起始日 (first day, included)")
    end: dt.date = Field(description="截止日 (last day, included)")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise FactsError([("end", f"a date on or after start {self.start.isoformat()}"
                                      f" (got {self.end.isoformat()})")])
        return self

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class ExternalBan(Period):
    """A ban on taking part imposed under another provision (e.g. 弄虚作假), entered by staff (I-JS-08)."""

    reason: str = Field(min_length=1, description="禁入事由，如弄虚作假 (reason, e.g. fraud)")
    imposed_by: str = Field(min_length=1, description="作出决定的机关及文号 (authority and document reference)")


class PreviousParticipation(BaseModel):
    """An earlier participation in the plan (第二十三条)."""

    model_config = _STRICT

    plan_year: int = Field(ge=2000, le=2100, description="前次培育计划实施年度 (plan year)")
    ended_on: dt.date = Field(description="前次培育计划结束日期 (day the earlier plan ended, incl. tracking)")


class EligibilityFacts(Facts):
    plan_year: int = Field(ge=2000, le=2100, description="培育计划实施年度 (plan year; age is counted to 1 January)")
    track: Track = Field(description="培育类别 A 或 B (class)")
    birth_date: dt.date = Field(description="出生日期 (date of birth)")
    sex: Sex = Field(description="性别 male/female")
    original_retirement_age: Literal[60, 55, 50] = Field(
        description="原法定退休年龄：男60；女50或55 (original statutory retirement age)")
    skill_level: SkillLevel = Field(description="职业技能等级 (skill level held)")
    outstanding: OutstandingFinding | None = Field(
        default=None, description="特别优秀认定（技师入选时必填）(staff finding letting a 技师 in)")
    leading_talent: LeadingTalentRecognition | None = Field(
        default=None, description="A类：高技能领军人才认定情况 (absent = not recognised)")
    chief_technician: ChiefTechnicianConditions | None = Field(
        default=None, description="B类：企业首席技师资格条件核实情况 (absent = not verified)")
    received_former_chief_subsidy: bool = Field(
        description="是否已享受原江苏省企业首席技师一次性补助 (received the former one-time subsidy)")
    former_subsidy_exception: str | None = Field(
        default=None, min_length=1,
        description="省级主管部门准予例外的决定文号（第二十三条原则上）(office decision allowing an exception)")
    previous_participations: list[PreviousParticipation] = Field(
        default_factory=list, description="此前参加培育计划情况 (earlier participations)")
    recommended_on: dt.date = Field(description="用人单位推荐日期 (date the employer recommended the candidate)")
    employer_recommendation_ban: Period | None = Field(
        default=None, description="用人单位被限制推荐职工的期间（第二十一条）(employer's ban period)")
    trainee_award_ban: Period | None = Field(
        default=None, description="本人省级评选表彰限制期（第二十一条；不影响参训）(award ban, not an entry ban)")
    external_bans: list[ExternalBan] = Field(
        default_factory=list, description="其他规定作出的参训禁入决定，如弄虚作假 (other entry bans)")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems: list[tuple[str, str]] = []
        if self.sex is Sex.MALE and self.original_retirement_age != 60:
            problems.append(("original_retirement_age", f"60 for a man (got {self.original_retirement_age})"))
        if self.sex is Sex.FEMALE and self.original_retirement_age == 60:
            problems.append(("original_retirement_age", "50 or 55 for a woman (got 60)"))
        if self.birth_date >= dt.date(self.plan_year, 1, 1):
            problems.append(("birth_date", f"a date before 1 January {self.plan_year}"))
        if self.track is Track.A and (self.chief_technician is not None or self.former_subsidy_exception):
            problems.append(("chief_technician", "only for track B (leave it out for track A)"))
        if self.track is Track.B and self.leading_talent is not None:
            problems.append(("leading_talent", "only for track A (leave it out for track B)"))
        if self.former_subsidy_exception and not self.received_former_chief_subsidy:
            problems.append(("former_subsidy_exception", "only when received_former_chief_subsidy is true"))
        if problems:
            raise FactsError(problems)
        return self


@dataclasses.dataclass(frozen=True, slots=True)
class EligibilityResult:
    eligible: bool
    track: str
    route: str | None
    retirement_date: dt.date
    retirement_margin_until: dt.date  # the retirement date must be on or after this day


def shift_years(day: dt.date, years: int) -> dt.date:
    """``add_years`` with a fast path for the common case (no 29 February to clamp)."""
    if day.month != 2 or day.day != 29:
        return day.replace(year=day.year + years)
    return add_years(day, years)


@dataclasses.dataclass(frozen=True, slots=True)
class _EligibilityParams:
    main_rank: int
    exceptional_rank: int
    margin_years: int
    gap_years: int
    subsidy_bars_b: bool
    level_parameters: dict[str, Any]
    margin_parameters: dict[str, Any]
    gap_parameters: dict[str, Any]
    subsidy_parameters: dict[str, Any]


def _eligibility_params(params: ParameterSet, on: dt.date) -> _EligibilityParams:
    """The parameters eligibility reads, checked and shaped once per (set, date) via ``params.derive``."""
    main_min = params.get("skill_level_main_minimum", on)
    exc_min = params.get("skill_level_exceptional_minimum", on)
    margin = params.get("retirement_margin", on)
    gap = params.get("participation_gap", on)
    bars = params.get("former_chief_subsidy_bars_b", on)
    for level in (main_min, exc_min):
        if level.value not in SKILL_RANK:
            raise ParameterError(f"{level.name}: expected one of {list(SKILL_RANK)}, got {level.value!r}")
    bundle = _EligibilityParams(
        SKILL_RANK[main_min.value], SKILL_RANK[exc_min.value], margin.value.amount, gap.value.amount,
        bool(bars.value), {main_min.name: main_min.value, exc_min.name: exc_min.value},
        {margin.name: margin.value}, {gap.name: gap.value}, {bars.name: bars.value})
    return bundle


_NO_RECOGNITION = "未录入经确认的高技能领军人才认定"
_NO_CONDITIONS = "未录入经确认的企业首席技师资格条件核实"
_AWARD_BAN_NOTE = "不影响参训"


@computation(PROGRAM, "eligibility", "卓越技师培育人选资格", ART_2, EligibilityFacts)
def eligibility(facts: EligibilityFacts, params: ParameterSet) -> Outcome[EligibilityResult]:
    """Check every admission condition of one candidate and return all that fail (第二、三、二十一、二十三条).

    Hot path: steps are built directly (``Step(rule, citation, result, inputs, parameters, passed, note)``,
    the same records ``Trace.check``/``Trace.add`` make) to stay within the 30 µs budget.
    """
    steps: list[Step] = []
    add = steps.append
    p = params.derive(_eligibility_params, facts.as_of)
    plan_year = facts.plan_year
    reference = dt.date(plan_year, 1, 1)
    track = facts.track
    is_b = track is _TRACK_B

    # 第三条: the basis of the class.
    if is_b:
        cond = facts.chief_technician
        ok_basis = cond is not None and cond.met
        add(Step("b_chief_technician_conditions", ART_3_B, ok_basis,
                 {"met": cond.met, "confirmed_by": cond.confirmed_by} if cond else None, None, ok_basis,
                 "" if cond else _NO_CONDITIONS))
    else:
        rec = facts.leading_talent
        ok_basis = rec is not None
        add(Step("a_leading_talent_recognised", ART_3_A, ok_basis,
                 {"criterion": rec.criterion, "confirmed_by": rec.confirmed_by} if rec else None, None, ok_basis,
                 "" if rec else _NO_RECOGNITION))

    # 第二条: skill level — 高级技师 or above, or 技师 when confirmed 特别优秀 (I-JS-04).
    level = facts.skill_level
    rank = SKILL_RANK[level]
    outstanding = facts.outstanding
    route: str | None = None
    if rank >= p.main_rank:
        route = "main"
    elif rank >= p.exceptional_rank and outstanding is not None:
        route = "exceptional"
    ok_level = route is not None
    add(Step("skill_level", ART_2_LEVEL, ok_level,
             {"skill_level": level, "outstanding_confirmed_by": outstanding.confirmed_by if outstanding else None},
             p.level_parameters, ok_level, route or ""))

    # 第二条: at least 5 years (included) to the statutory retirement date, counted at 1 January (I-JS-03).
    birth = facts.birth_date
    original = facts.original_retirement_age
    retirement = statutory_retirement(birth, _ORIGINAL_AGE[original])
    retire_on = retirement.retirement_date
    until = dt.date(plan_year + p.margin_years, 1, 1)
    add(Step("statutory_retirement_date", retirement.citation, retire_on,
             {"birth_date": birth, "original_age": original,
              "age": (retirement.age_years, retirement.age_months)}))
    ok_margin = retire_on >= until
    add(Step("retirement_margin", ART_2_AGE, ok_margin,
             {"reference_date": reference, "retirement_date": retire_on, "required_until": until},
             p.margin_parameters, ok_margin))
    ok_all = ok_basis and ok_level and ok_margin

    # 第二十三条: B is closed (原则上, I-JS-05) to those who had the former one-time subsidy.
    if is_b:
        received = facts.received_former_chief_subsidy
        exception = facts.former_subsidy_exception
        ok = not (p.subsidy_bars_b and received and not exception)
        add(Step("b_no_former_chief_subsidy", ART_23_SUBSIDY, ok,
                 {"received_former_chief_subsidy": received, "exception": exception},
                 p.subsidy_parameters, ok))
        ok_all = ok_all and ok

    # 第二十三条: 3 years (included) since the end of any earlier participation (I-JS-06).
    previous = facts.previous_participations
    if previous:
        last_end = max(x.ended_on for x in previous) if len(previous) > 1 else previous[0].ended_on
        allowed_from = shift_years(last_end, p.gap_years)
        ok = allowed_from <= reference
        add(Step("participation_gap", ART_23_GAP, ok,
                 {"last_ended_on": last_end, "reference_date": reference, "allowed_from": allowed_from},
                 p.gap_parameters, ok))
        ok_all = ok_all and ok

    # 第二十一条: an employer banned from recommending makes the candidacy inadmissible (I-JS-07).
    recommended_on = facts.recommended_on
    ban = facts.employer_recommendation_ban
    if ban is None:
        add(Step("employer_not_banned_from_recommending", ART_21_EMPLOYER, True,
                 {"recommended_on": recommended_on}, None, True))
    else:
        ok = not (ban.start <= recommended_on <= ban.end)
        add(Step("employer_not_banned_from_recommending", ART_21_EMPLOYER, ok,
                 {"recommended_on": recommended_on, "ban": (ban.start, ban.end)}, None, ok))
        ok_all = ok_all and ok
    # 第二十一条: a trainee's 3-year ban concerns provincial awards, not entry (I-JS-07): recorded only.
    award_ban = facts.trainee_award_ban
    if award_ban is not None:
        add(Step("trainee_award_ban_is_not_an_entry_ban", ART_21_TRAINEE, _AWARD_BAN_NOTE,
                 {"ban": (award_ban.start, award_ban.end)}))
    # I-JS-08: entry bans imposed under other provisions (e.g. 弄虚作假) are honoured.
    for i, xban in enumerate(facts.external_bans):
        ok = not (xban.start <= recommended_on <= xban.end)
        add(Step("external_entry_ban", I_JS_08, ok,
                 {"index": i, "reason": xban.reason, "imposed_by": xban.imposed_by,
                  "ban": (xban.start, xban.end), "recommended_on": recommended_on}, None, ok))
        ok_all = ok_all and ok

    result = EligibilityResult(ok_all, track, route, retire_on, until)
    return Outcome(result, _ELIGIBLE if ok_all else _INELIGIBLE, steps)


_ELIGIBLE = Status.ELIGIBLE
_INELIGIBLE = Status.INELIGIBLE
_TRACK_B = Track.B
_ORIGINAL_AGE = {60: OriginalAge.MALE_60, 55: OriginalAge.FEMALE_55, 50: OriginalAge.FEMALE_50}


# ---------------------------------------------------------------------------------------------------------
# class_size: 第二条 — no more than 100 per class per year (100 included).


class CohortMember(BaseModel):
    model_config = _STRICT

    key: str = Field(min_length=1, description="人选编号 (candidate key, unique in the plan year)")
    track: Track = Field(description="培育类别 A 或 B")
    route: Route = Field(description="入选途径：main 高级技师及以上；exceptional 特别优秀技师")


class ClassSizeFacts(Facts):
    plan_year: int = Field(ge=2000, le=2100, description="培育计划实施年度 (plan year)")
    members: list[CohortMember] = Field(description="当年度拟纳入培育的人选名单（两类合并）(the year's roster)")

    @model_validator(mode="after")
    def _unique(self) -> Self:
        counts = Counter(m.key for m in self.members)
        dupes = sorted(k for k, n in counts.items() if n > 1)
        if dupes:
            raise FactsError([("members", f"each key once across both classes (repeated: {', '.join(dupes)})")])
        return self


@computation(PROGRAM, "class_size", "每类年度培育人数", ART_2_QUOTA, ClassSizeFacts)
def class_size(facts: ClassSizeFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Count each class against its yearly quota; warn when 特别优秀技师 are not a minority (I-JS-04)."""
    trace = Trace()
    on = dt.date(facts.plan_year, 1, 1)
    quota = params.get("class_quota", on)
    main_share = params.get("main_route_min_share", on)
    value: dict[str, Any] = {}
    for track in Track:
        members = [m for m in facts.members if m.track is track]
        count = len(members)
        exceptional = sum(1 for m in members if m.route is Route.EXCEPTIONAL)
        ok = trace.check(f"class_{track.value}_within_quota", ART_2_QUOTA, count <= quota.value,
                         inputs={"track": track, "count": count}, parameters={quota.name: quota.value})
        main_ok = count == 0 or Decimal(count - exceptional) > main_share.value * count
        if not main_ok:
            trace.add(f"class_{track.value}_mainly_senior_technicians", main_share.citation, "提示",
                      inputs={"count": count, "exceptional": exceptional},
                      parameters={main_share.name: main_share.value},
                      note="高级技师及以上人选未过半（提示，不作为不合格）")
        value[track.value] = {"count": count, "quota": int(quota.value), "within_quota": ok,
                              "exceptional": exceptional, "mainly_senior": main_ok}
    failed = any(s.passed is False for s in trace.steps)
    return Outcome(value, Status.FAILED if failed else Status.PASSED, trace.steps)
