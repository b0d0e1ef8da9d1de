"""江苏省卓越技师培育计划 — running a cohort: training plan, mentors, grading with caps, sanctions,
deferral, the spending split of the subsidy and the per-head funding (第九条至第二十四条)."""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jiangxin.policy.deadlines import add_months, window
from jiangxin.policy.errors import FactsError, ParameterError
from jiangxin.policy.facts import Facts
from jiangxin.policy.levels import SKILL_RANK, SkillLevel
from jiangxin.policy.outcome import Outcome, Status, Trace, cite
from jiangxin.policy.parameters import Bands, Duration, DurationUnit, ParameterSet, Shares
from jiangxin.policy.registry import computation
from jiangxin.policy.selection import cap_grades
from jiangxin.programs.jiangsu_technician import PROGRAM
from jiangxin.programs.jiangsu_technician.rules import Track

DOC = "jiangsu_technician"
ART_2_FUNDING = cite(DOC, "第二条", "（补助标准与跟踪年限）")
ART_9 = cite(DOC, "第九条")
ART_10 = cite(DOC, "第十条")
ART_10_MEALS = cite(DOC, "第十条", "（用餐补贴）")
ART_10_REMOTE = cite(DOC, "第十条", "（交通和住宿补贴）")
ART_16 = cite(DOC, "第十六条")
ART_17 = cite(DOC, "第十七条")
ART_20 = cite(DOC, "第二十条")
ART_21_COMPLETION = cite(DOC, "第二十一条", "（学分学时不足）")
ART_21_TRAINEE = cite(DOC, "第二十一条", "（违反培训纪律）")
ART_21_EMPLOYER = cite(DOC, "第二十一条", "（用人单位不支持参训）")
ART_22 = cite(DOC, "第二十二条")
ART_24 = cite(DOC, "第二十四条")

_STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
_ZERO = Decimal(0)
_CENT = Decimal("0.01")


def _unique(keys: Iterable[str], field: str) -> None:
    dupes = sorted(k for k, n in Counter(keys).items() if n > 1)
    if dupes:
        raise FactsError([(field, f"each key once (repeated: {', '.join(dupes)})")])


def _status(trace: Trace, ok: Status = Status.PASSED, bad: Status = Status.FAILED) -> Status:
    return bad if any(s.passed is False for s in trace.steps) else ok


def last_day_of_period(start: dt.date, duration: Duration) -> dt.date:
    """Last day included in a period of months/years whose first day is ``start`` (I-JS-07, I-JS-09).

    The period ends the day before the anniversary (1 March + 5 months → 31 July); when the anniversary
    day does not exist in the final month (29 February + 3 years, 31 January + 5 months) the period ends on
    that month's last day, as the Civil Code counts periods (民法典第二百零二条).
    """
    if duration.unit not in (DurationUnit.MONTHS, DurationUnit.YEARS):
        return window(start, duration, first_day_counts=True).end
    months = duration.amount * (12 if duration.unit is DurationUnit.YEARS else 1)
    anniversary = add_months(start, months)
    return anniversary if anniversary.day != start.day else anniversary - dt.timedelta(days=1)


def _share(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole).quantize(Decimal("0.0001")) if whole else _ZERO


# =========================================================================================================
# training_plan_check — 第九条 (first three quarters, span ≤ 5 months), 第十七条 (4:6, online theory)


class SessionKind(enum.StrEnum):
    THEORY = "theory"      # 理论学习
    PRACTICE = "practice"  # 实操实训


class Delivery(enum.StrEnum):
    ONSITE = "onsite"    # 现场
    ONLINE = "online"    # 仅线上
    BLENDED = "blended"  # 现场为主，异地培育对象可线上参加


class Session(BaseModel):
    model_config = _STRICT

    key: str = Field(min_length=1, description="课程/环节编号 (session key)")
    kind: SessionKind = Field(description="theory 理论学习 / practice 实操实训")
    start: dt.date = Field(description="开始日期 (first day)")
    end: dt.date = Field(description="结束日期 (last day, included)")
    hours: Decimal = Field(gt=0, description="学时 (hours)")
    delivery: Delivery = Field(description="onsite 现场 / online 仅线上 / blended 现场且异地学员可线上")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise FactsError([(f"sessions[{self.key}].end", f"a date on or after start {self.start}")])
        return self


class TrainingPlanFacts(Facts):
    plan_year: int = Field(ge=2000, le=2100, description="培育计划实施年度（学年）(plan year)")
    sessions: list[Session] = Field(min_length=1, description="培训安排：理论学习与实操实训各环节 (sessions)")
    local_trainees: int = Field(ge=0, description="本地参训的培育对象人数 (trainees from the unit's own city)")
    remote_trainees: int = Field(ge=0, description="异地参训的培育对象人数 (trainees from other cities)")

    @model_validator(mode="after")
    def _check(self) -> Self:
        _unique((s.key for s in self.sessions), "sessions")
        if self.local_trainees + self.remote_trainees < 1:
            raise FactsError([("local_trainees", "local_trainees + remote_trainees of at least 1")])
        return self


@computation(PROGRAM, "training_plan_check", "培训安排审核", ART_9, TrainingPlanFacts)
def training_plan_check(facts: TrainingPlanFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Check a unit's training plan: window, span, 4:6 balance (warning only) and online delivery."""
    trace = Trace()
    on = dt.date(facts.plan_year, 1, 1)
    season = params.get("training_window", on)
    year_start = on
    month_end = last_day_of_period(on, season.value)
    outside = [s for s in facts.sessions if s.start < year_start or s.end > month_end]
    for s in outside:
        trace.check("session_in_first_three_quarters", ART_9, False,
                    inputs={"session": s.key, "start": s.start, "end": s.end,
                            "allowed": (year_start, month_end)},
                    parameters={season.name: season.value})
    if not outside:
        trace.check("session_in_first_three_quarters", ART_9, True,
                    inputs={"sessions": len(facts.sessions), "allowed": (year_start, month_end)},
                    parameters={season.name: season.value})

    span = params.get("training_span_max", on)
    first = min(s.start for s in facts.sessions)
    last = max(s.end for s in facts.sessions)
    latest = last_day_of_period(first, span.value)
    trace.check("span_at_most_five_months", ART_9, last <= latest,
                inputs={"first_day": first, "last_day": last, "latest_allowed": latest},
                parameters={span.name: span.value})

    shares = params.get("theory_practice_shares", on)
    tolerance = params.get("theory_share_tolerance", on)
    parts: Shares = shares.value
    target = parts.parts[0] / sum(parts.parts, _ZERO)
    theory = sum((s.hours for s in facts.sessions if s.kind is SessionKind.THEORY), _ZERO)
    practice = sum((s.hours for s in facts.sessions if s.kind is SessionKind.PRACTICE), _ZERO)
    theory_share = theory / (theory + practice)
    balanced = abs(theory_share - target) <= tolerance.value
    warnings: list[str] = []
    if not balanced:
        warnings.append("理论与实操学时偏离4:6")
    trace.add("theory_practice_balance", ART_17, "符合" if balanced else "提示：偏离4:6（不作为不合格）",
              inputs={"theory_hours": theory, "practice_hours": practice,
                      "theory_share": theory_share.quantize(Decimal("0.0001"))},
              parameters={shares.name: parts, tolerance.name: tolerance.value})

    online_bad = False
    for s in facts.sessions:
        if s.kind is SessionKind.PRACTICE and s.delivery is not Delivery.ONSITE:
            online_bad = True
            trace.check("practice_is_onsite", ART_17, False,
                        inputs={"session": s.key, "delivery": s.delivery},
                        note="只有理论学习可线上参加 (I-JS-10)")
        elif s.kind is SessionKind.THEORY and s.delivery is Delivery.ONLINE and facts.local_trainees:
            online_bad = True
            trace.check("online_theory_only_for_remote_trainees", ART_17, False,
                        inputs={"session": s.key, "local_trainees": facts.local_trainees},
                        note="本地培育对象需现场参加；可改为 blended (I-JS-10)")
    if not online_bad:
        trace.check("online_delivery_allowed", ART_17, True,
                    inputs={"remote_trainees": facts.remote_trainees, "local_trainees": facts.local_trainees})

    value = {"first_day": first, "last_day": last, "latest_allowed_day": latest,
             "window": (year_start, month_end), "theory_hours": theory, "practice_hours": practice,
             "theory_share": theory_share.quantize(Decimal("0.0001")), "warnings": warnings}
    return Outcome(value, _status(trace), trace.steps)


# =========================================================================================================
# mentor_check — 第十六条: one qualified mentor per trainee; an enterprise co-mentor is optional.


class Title(enum.StrEnum):
    """专业技术职称级别, lowest first."""

    NONE = "无"
    JUNIOR = "初级"
    INTERMEDIATE = "中级"
    ASSOCIATE_SENIOR = "副高级"
    SENIOR = "正高级"


TITLE_RANK: dict[str, int] = {t.value: i for i, t in enumerate(Title)}


class Mentor(BaseModel):
    model_config = _STRICT

    name: str = Field(min_length=1, description="指导教师姓名 (mentor's name)")
    title: Title = Field(description="职称级别：无/初级/中级/副高级/正高级 (professional title)")
    skill_level: SkillLevel | None = Field(default=None, description="职业技能等级（如有）(skill level, if any)")


class TraineeMentors(BaseModel):
    model_config = _STRICT

    trainee: str = Field(min_length=1, description="培育对象编号 (trainee key)")
    mentors: list[Mentor] = Field(description="承训单位配备的指导教师 (mentors assigned by the training unit)")
    enterprise_mentor: str | None = Field(default=None, min_length=1,
                                          description="企校双师中的企业导师（可选）(optional enterprise co-mentor)")


class MentorFacts(Facts):
    trainees: list[TraineeMentors] = Field(min_length=1, description="每名培育对象的指导教师配备 (per trainee)")

    @model_validator(mode="after")
    def _check(self) -> Self:
        _unique((t.trainee for t in self.trainees), "trainees")
        return self


@computation(PROGRAM, "mentor_check", "指导教师配备审核", ART_16, MentorFacts)
def mentor_check(facts: MentorFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Each trainee has exactly one unit mentor with 副高级 title or 高级技师 level or above (I-JS-11)."""
    trace = Trace()
    on = facts.as_of
    count = params.get("mentor_count", on)
    min_title = params.get("mentor_min_title", on)
    min_level = params.get("mentor_min_skill_level", on)
    title_rank = TITLE_RANK[min_title.value]
    level_rank = SKILL_RANK[min_level.value]
    value: dict[str, Any] = {}
    for t in facts.trainees:
        n = len(t.mentors)
        ok_count = trace.check("one_mentor_per_trainee", ART_16, n == count.value,
                               inputs={"trainee": t.trainee, "mentors": n},
                               parameters={count.name: count.value})
        qualified = True
        for m in t.mentors:
            ok = TITLE_RANK[m.title] >= title_rank or (
                m.skill_level is not None and SKILL_RANK[m.skill_level] >= level_rank)
            qualified &= trace.check("mentor_qualified", ART_16, ok,
                                     inputs={"trainee": t.trainee, "mentor": m.name, "title": m.title,
                                             "skill_level": m.skill_level},
                                     parameters={min_title.name: min_title.value,
                                                 min_level.name: min_level.value})
        value[t.trainee] = {"mentors": n, "one_mentor": ok_count, "qualified": qualified and n > 0,
                            "enterprise_mentor": t.enterprise_mentor}
    return Outcome(value, _status(trace), trace.steps)


# =========================================================================================================
# trainee_grading — 第二十条 (five grades, 优秀/良好 ≤ 30% each), 第二十一条 (< 70% credits or hours → 不合格)


class Grade(enum.StrEnum):
    EXCELLENT = "优秀"
    GOOD = "良好"
    PASS = "合格"
    BASIC_PASS = "基本合格"
    FAIL = "不合格"


GRADE_ORDER: tuple[str, ...] = tuple(g.value for g in Grade)


class TraineeResult(BaseModel):
    model_config = _STRICT

    key: str = Field(min_length=1, description="培育对象编号 (trainee key)")
    track: Track = Field(description="培育类别 A 或 B")
    score: Decimal = Field(ge=0, description="承训单位量化打分（考勤、研修报告、综合表现）(quantified score)")
    credits_earned: Decimal = Field(ge=0, description="年度累计学分 (credits earned this year)")
    credits_required: Decimal = Field(gt=0, description="年度要求学分 (credits required)")
    hours_attended: Decimal = Field(ge=0, description="参训学时 (hours attended this year)")
    hours_required: Decimal = Field(gt=0, description="要求学时 (hours required)")


class GradingFacts(Facts):
    plan_year: int = Field(ge=2000, le=2100, description="学年 (year graded)")
    training_unit: str = Field(min_length=1, description="承训单位 (training unit whose trainees are graded)")
    trainees: list[TraineeResult] = Field(
        min_length=1, description="本学年该承训单位的全部培育对象（已延期者不列入）(all trainees graded)")

    @model_validator(mode="after")
    def _check(self) -> Self:
        _unique((t.key for t in self.trainees), "trainees")
        return self


def _grade_bands(params: ParameterSet, on: dt.date) -> tuple[Any, Bands]:
    bands = params.get("grade_bands", on)
    value: Bands = bands.value
    labels = {b.label for b in value.bands} | {value.below}
    unknown = labels - set(GRADE_ORDER)
    if unknown:
        raise ParameterError(f"grade_bands: labels must be among {list(GRADE_ORDER)}, got {sorted(unknown)}")
    return bands, value


@computation(PROGRAM, "trainee_grading", "培育对象年度评定", ART_20, GradingFacts)
def trainee_grading(facts: GradingFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Score → grade by the office's bands, forced 不合格 under 70%, then the 30% caps; count passes."""
    trace = Trace()
    on = dt.date(facts.plan_year, 1, 1)
    bands_param, bands = _grade_bands(params, on)
    ratio = params.get("min_completion_ratio", on)
    caps_param = params.get("grade_caps", on)
    basic = params.get("basic_pass_counts_as_passing", on)
    min_ratio: Decimal = ratio.value

    per: dict[str, dict[str, Any]] = {}
    items: list[tuple[str, Decimal, str]] = []
    for t in facts.trainees:
        proposed = bands.label_for(t.score)
        reasons = [f"分数{t.score}按分档为{proposed}"]
        trace.add("score_band", bands_param.citation, proposed, inputs={"trainee": t.key, "score": t.score},
                  parameters={bands_param.name: bands})
        credits_short = t.credits_earned < min_ratio * t.credits_required
        hours_short = t.hours_attended < min_ratio * t.hours_required
        trace.check("completion_at_least_70_percent", ART_21_COMPLETION, not (credits_short or hours_short),
                    inputs={"trainee": t.key, "credits": (t.credits_earned, t.credits_required),
                            "hours": (t.hours_attended, t.hours_required)},
                    parameters={ratio.name: min_ratio})
        grade = proposed
        if credits_short:
            reasons.append(f"学分{t.credits_earned}/{t.credits_required}不足{min_ratio:%}，直接认定不合格")
        if hours_short:
            reasons.append(f"学时{t.hours_attended}/{t.hours_required}不足{min_ratio:%}，直接认定不合格")
        if credits_short or hours_short:
            grade = Grade.FAIL.value
        per[t.key] = {"track": t.track.value, "score": t.score, "proposed": proposed,
                      "forced_fail": credits_short or hours_short, "reasons": reasons}
        items.append((t.key, t.score, grade))

    caps = {str(k): Decimal(v) for k, v in caps_param.value.items()}
    final = cap_grades(items, caps, GRADE_ORDER, trace, ART_20)
    passing_grades = {Grade.EXCELLENT.value, Grade.GOOD.value, Grade.PASS.value}
    if basic.value is True:
        passing_grades.add(Grade.BASIC_PASS.value)
    trace.add("passing_grades", basic.citation, sorted(passing_grades, key=GRADE_ORDER.index),
              parameters={basic.name: basic.value, caps_param.name: caps})

    counts = dict.fromkeys(GRADE_ORDER, 0)
    by_track = {"A": 0, "B": 0}
    for key, _score, before_cap in items:
        row = per[key]
        grade = final[key]
        if grade != before_cap:
            row["reasons"].append(f"{before_cap}比例超过上限，按分数由{before_cap}调为{grade}")
        row["grade"] = grade
        row["passing"] = grade in passing_grades
        counts[grade] += 1
        if row["passing"]:
            by_track[row["track"]] += 1
    value = {"training_unit": facts.training_unit, "trainees": per, "counts": counts,
             "passing_count": by_track["A"] + by_track["B"], "passing_by_track": by_track}
    return Outcome(value, Status.OK, trace.steps)


# =========================================================================================================
# discipline_sanctions — 第二十一条


class IncidentKind(enum.StrEnum):
    TRAINEE_DISCIPLINE = "trainee_discipline"    # 培育对象参训态度不端正、违反培训纪律
    EMPLOYER_NO_SUPPORT = "employer_no_support"  # 用人单位不支持培育对象参训


class Incident(BaseModel):
    model_config = _STRICT

    key: str = Field(min_length=1, description="事件编号 (incident key)")
    kind: IncidentKind = Field(description="trainee_discipline 违反培训纪律 / employer_no_support 单位不支持参训")
    subject: str = Field(min_length=1, description="培育对象或用人单位名称 (trainee or employer)")
    employer: str | None = Field(default=None, min_length=1, description="培育对象的工作单位（违纪事件必填）")
    decided_on: dt.date = Field(description="认定日期 (day the finding was made; bans start that day)")
    notify_employer: bool | None = Field(
        default=None, description="是否通报至工作单位（视情决定，违纪事件必填）(staff decision)")
    award_ban_exception: str | None = Field(
        default=None, min_length=1, description="不适用3年限制的例外决定文号（原则上条款，可选）")
    without_good_reason: bool | None = Field(
        default=None, description="单位是否无正当理由（单位事件必填）(employer had no good reason)")

    @model_validator(mode="after")
    def _check(self) -> Self:
        problems = []
        if self.kind is IncidentKind.TRAINEE_DISCIPLINE:
            if self.employer is None:
                problems.append((f"incidents[{self.key}].employer", "the trainee's employer"))
            if self.notify_employer is None:
                problems.append((f"incidents[{self.key}].notify_employer", "true or false (staff decide)"))
            if self.without_good_reason is not None:
                problems.append((f"incidents[{self.key}].without_good_reason", "only for employer_no_support"))
        else:
            if self.without_good_reason is None:
                problems.append((f"incidents[{self.key}].without_good_reason", "true or false"))
            for name in ("employer", "notify_employer", "award_ban_exception"):
                if getattr(self, name) is not None:
                    problems.append((f"incidents[{self.key}].{name}", "only for trainee_discipline"))
        if problems:
            raise FactsError(problems)
        return self


class SanctionFacts(Facts):
    incidents: list[Incident] = Field(min_length=1, description="违纪或不支持参训事件 (incidents)")

    @model_validator(mode="after")
    def _check(self) -> Self:
        _unique((i.key for i in self.incidents), "incidents")
        return self


@computation(PROGRAM, "discipline_sanctions", "违纪与不支持参训的处理", ART_21_TRAINEE, SanctionFacts)
def discipline_sanctions(facts: SanctionFacts, params: ParameterSet) -> Outcome[list[dict[str, Any]]]:
    """Measures and 3-year ban periods (start = finding day, end = day before its 3rd anniversary; I-JS-07)."""
    trace = Trace()
    measures: list[dict[str, Any]] = []
    for inc in facts.incidents:
        duration = params.get("sanction_ban_duration", inc.decided_on)
        ban_end = last_day_of_period(inc.decided_on, duration.value)
        pars = {duration.name: duration.value}
        if inc.kind is IncidentKind.TRAINEE_DISCIPLINE:
            if inc.notify_employer:
                measures.append({"incident": inc.key, "subject": inc.subject, "measure": "notify_employer",
                                 "to": inc.employer, "notified_on": inc.decided_on})
                trace.add("notify_employer", ART_21_TRAINEE, inc.employer,
                          inputs={"incident": inc.key, "trainee": inc.subject})
            if inc.award_ban_exception:
                trace.add("provincial_award_ban", ART_21_TRAINEE, "例外：不限制",
                          inputs={"incident": inc.key, "exception": inc.award_ban_exception})
            else:
                measures.append({"incident": inc.key, "subject": inc.subject,
                                 "measure": "provincial_award_ban", "start": inc.decided_on, "end": ban_end})
                trace.add("provincial_award_ban", ART_21_TRAINEE, (inc.decided_on, ban_end),
                          inputs={"incident": inc.key, "trainee": inc.subject, "decided_on": inc.decided_on},
                          parameters=pars, note="不影响参加培育计划 (I-JS-07)")
        elif inc.without_good_reason:
            for measure in ("recommendation_ban", "talent_carrier_ban"):
                measures.append({"incident": inc.key, "subject": inc.subject, "measure": measure,
                                 "start": inc.decided_on, "end": ban_end})
                trace.add(measure, ART_21_EMPLOYER, (inc.decided_on, ban_end),
                          inputs={"incident": inc.key, "employer": inc.subject, "decided_on": inc.decided_on},
                          parameters=pars)
        else:
            trace.add("employer_had_good_reason", ART_21_EMPLOYER, "不处理",
                      inputs={"incident": inc.key, "employer": inc.subject})
    return Outcome(measures, Status.OK, trace.steps)


# =========================================================================================================
# deferral — 第二十四条: once per person, to the next year; hours and credits start again from zero.


class DeferralReason(enum.StrEnum):
    WORK = "work"      # 工作
    FAMILY = "family"  # 家庭
    HEALTH = "health"  # 身体
    OTHER = "other"    # 其他特殊原因


class DeferralFacts(Facts):
    trainee: str = Field(min_length=1, description="培育对象编号 (trainee key)")
    plan_year: int = Field(ge=2000, le=2100, description="当年度（无法完成培训考核的学年）(current plan year)")
    reason: DeferralReason = Field(description="延期原因：work 工作 / family 家庭 / health 身体 / other 其他")
    reason_detail: str = Field(min_length=1, description="原因说明 (what happened)")
    requested_on: dt.date = Field(description="申请日期 (day the request was made)")
    previous_deferral_years: list[int] = Field(
        default_factory=list, description="此前已获延期的学年 (years previously deferred)")
    hours_attended: Decimal = Field(ge=0, description="当年度已参训学时（不结转）(hours so far, not carried)")
    credits_earned: Decimal = Field(ge=0, description="当年度已获学分（不结转）(credits so far, not carried)")

    @model_validator(mode="after")
    def _check(self) -> Self:
        later = [y for y in self.previous_deferral_years if y > self.plan_year]
        if later:
            raise FactsError([("previous_deferral_years", f"years up to {self.plan_year} (got {later})")])
        return self


@computation(PROGRAM, "deferral", "延期申请", ART_24, DeferralFacts)
def deferral(facts: DeferralFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Grant a deferral to the next year at most once per person; nothing is carried over (I-JS-14)."""
    trace = Trace()
    maximum = params.get("max_deferrals", dt.date(facts.plan_year, 1, 1))
    trace.add("special_reason", ART_24, facts.reason.value, inputs={"detail": facts.reason_detail})
    trace.check("requested_within_plan_year", ART_24, facts.requested_on.year == facts.plan_year,
                inputs={"requested_on": facts.requested_on, "plan_year": facts.plan_year})
    used = len(facts.previous_deferral_years)
    trace.check("at_most_one_deferral", ART_24, used < maximum.value,
                inputs={"previous_deferral_years": facts.previous_deferral_years},
                parameters={maximum.name: maximum.value})
    granted = not any(s.passed is False for s in trace.steps)
    value = {"trainee": facts.trainee, "granted": granted,
             "deferred_to_year": facts.plan_year + 1 if granted else None,
             "hours_carried_over": _ZERO, "credits_carried_over": _ZERO,
             "hours_not_counted": facts.hours_attended, "credits_not_counted": facts.credits_earned}
    trace.add("hours_and_credits_not_carried_over", ART_24, {"hours": _ZERO, "credits": _ZERO},
              inputs={"hours_attended": facts.hours_attended, "credits_earned": facts.credits_earned})
    return Outcome(value, Status.ELIGIBLE if granted else Status.INELIGIBLE, trace.steps)


# =========================================================================================================
# spending_split — 第十条: teaching + consumables ≥ 80%; transport, meals, lodging (and the like) ≤ 20%.


class ExpenseCategory(enum.StrEnum):
    TEACHING = "teaching"        # 教学支出
    CONSUMABLES = "consumables"  # 实操实训耗材
    TRANSPORT = "transport"      # 往返交通补贴
    MEALS = "meals"              # 用餐补贴
    LODGING = "lodging"          # 住宿补贴
    OTHER = "other"              # 其他补贴（计入不超过20%部分）


CORE = frozenset({ExpenseCategory.TEACHING, ExpenseCategory.CONSUMABLES})


class ExpenseLine(BaseModel):
    model_config = _STRICT

    key: str = Field(min_length=1, description="支出明细编号 (ledger line key)")
    category: ExpenseCategory = Field(description="支出类别 teaching/consumables/transport/meals/lodging/other")
    amount: Decimal = Field(ge=0, decimal_places=2, description="金额（元）(yuan)")
    trainee: str | None = Field(default=None, min_length=1, description="受益培育对象（补贴类）(trainee)")
    remote_trainee: bool | None = Field(
        default=None, description="是否异地参训（交通、住宿必填）(trainee came from another city)")
    at_unit_canteen: bool | None = Field(
        default=None, description="是否在承训单位食堂用餐（餐费必填）(meal at the unit's canteen)")
    trainee_only: bool | None = Field(
        default=None, description="是否仅限培育对象本人（餐费必填）(meal for the trainee alone)")

    @model_validator(mode="after")
    def _check(self) -> Self:
        problems = []
        if self.category is ExpenseCategory.MEALS:
            for name in ("at_unit_canteen", "trainee_only"):
                if getattr(self, name) is None:
                    problems.append((f"lines[{self.key}].{name}", "true or false for a meals line"))
        if self.category in (ExpenseCategory.TRANSPORT, ExpenseCategory.LODGING) and self.remote_trainee is None:
            problems.append((f"lines[{self.key}].remote_trainee", f"true or false for a {self.category} line"))
        if problems:
            raise FactsError(problems)
        return self


class SpendingFacts(Facts):
    plan_year: int = Field(ge=2000, le=2100, description="学年 (year)")
    training_unit: str = Field(min_length=1, description="承训单位 (training unit)")
    lines: list[ExpenseLine] = Field(min_length=1, description="补助经费支出明细台账 (ledger lines)")

    @model_validator(mode="after")
    def _check(self) -> Self:
        _unique((x.key for x in self.lines), "lines")
        if sum((x.amount for x in self.lines), _ZERO) <= 0:
            raise FactsError([("lines", "at least one line with a positive amount")])
        return self


@computation(PROGRAM, "spending_split", "补助经费支出结构", ART_10, SpendingFacts)
def spending_split(facts: SpendingFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Shares of the subsidy spent by category, and every line that breaks the meal/transport/lodging rules."""
    trace = Trace()
    on = dt.date(facts.plan_year, 1, 1)
    core_min = params.get("teaching_min_share", on)
    support_max = params.get("support_max_share", on)
    by_category = dict.fromkeys((c.value for c in ExpenseCategory), _ZERO.quantize(_CENT))
    for x in facts.lines:
        by_category[x.category.value] += x.amount
    total = sum(by_category.values(), _ZERO)
    core = by_category["teaching"] + by_category["consumables"]
    support = total - core
    trace.check("teaching_and_consumables_at_least_80_percent", ART_10, core >= core_min.value * total,
                inputs={"teaching_and_consumables": core, "total": total, "share": _share(core, total)},
                parameters={core_min.name: core_min.value})
    trace.check("support_at_most_20_percent", ART_10, support <= support_max.value * total,
                inputs={"support": support, "total": total, "share": _share(support, total)},
                parameters={support_max.name: support_max.value})

    rejected: list[dict[str, Any]] = []

    def reject(line: ExpenseLine, rule: str, citation: Any, reason: str) -> None:
        rejected.append({"key": line.key, "category": line.category.value, "amount": line.amount,
                         "rule": rule, "reason": reason})
        trace.check(rule, citation, False, inputs={"line": line.key, "amount": line.amount,
                                                   "trainee": line.trainee})

    for x in facts.lines:
        if x.category is ExpenseCategory.MEALS:
            if not x.at_unit_canteen:
                reject(x, "meal_at_unit_canteen", ART_10_MEALS, "用餐补贴仅限承训单位食堂")
            if not x.trainee_only:
                reject(x, "meal_for_trainee_only", ART_10_MEALS, "用餐补贴仅限培育对象本人")
        elif x.category is ExpenseCategory.TRANSPORT and not x.remote_trainee:
            reject(x, "transport_only_for_remote_trainees", ART_10_REMOTE, "交通补贴仅限异地参训培育对象")
        elif x.category is ExpenseCategory.LODGING and not x.remote_trainee:
            reject(x, "lodging_only_for_remote_trainees", ART_10_REMOTE, "住宿补贴仅限异地参训培育对象")
    if not rejected:
        trace.check("support_lines_within_scope", ART_10, True,
                    inputs={"lines": sum(1 for x in facts.lines if x.category not in CORE)})
    value = {"training_unit": facts.training_unit, "total": total, "by_category": by_category,
             "teaching_and_consumables": core, "support": support,
             "teaching_share": _share(core, total), "support_share": _share(support, total),
             "rejected_lines": rejected}
    return Outcome(value, _status(trace), trace.steps)


# =========================================================================================================
# funding — 第二条 (A 10,000 / B 8,000 per person per year, 2 tracking years), 第二十二条 (paid per passing
# trainee to the training unit through the finance bureau where the unit is).


class PassingCount(BaseModel):
    model_config = _STRICT

    year: int = Field(ge=2000, le=2100, description="学年 (year assessed)")
    track: Track = Field(description="培育类别 A 或 B")
    passing: int = Field(ge=0, description="验收合格人数 (trainees who passed that year)")


class FundingFacts(Facts):
    plan_year: int = Field(ge=2000, le=2100, description="该批培育对象的实施年度 (cohort's first plan year)")
    training_unit: str = Field(min_length=1, description="承训单位（收款单位）(training unit, the payee)")
    finance_bureau: str = Field(min_length=1, description="承训单位所在地财政部门（拨付渠道）(paying bureau)")
    results: list[PassingCount] = Field(min_length=1, description="各学年各类验收合格人数 (passing counts)")

    @model_validator(mode="after")
    def _check(self) -> Self:
        _unique((f"{r.year}/{r.track.value}" for r in self.results), "results")
        return self


@computation(PROGRAM, "funding", "培育经费核拨", ART_22, FundingFacts)
def funding(facts: FundingFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """Per passing trainee and year, at the rate in force on 1 January of that year (I-JS-16)."""
    trace = Trace()
    years = params.get("tracking_years", dt.date(facts.plan_year, 1, 1))
    last_year = facts.plan_year + int(years.value) - 1
    lines: list[dict[str, Any]] = []
    total = _ZERO
    for r in sorted(facts.results, key=lambda r: (r.year, r.track.value)):
        in_window = trace.check("within_tracking_years", ART_2_FUNDING,
                                facts.plan_year <= r.year <= last_year,
                                inputs={"year": r.year, "track": r.track, "first": facts.plan_year,
                                        "last": last_year},
                                parameters={years.name: years.value})
        rates = params.get("funding_rate", dt.date(r.year, 1, 1))
        rate = Decimal(rates.value[r.track.value])
        amount = (rate * r.passing).quantize(_CENT) if in_window else _ZERO.quantize(_CENT)
        trace.add("per_passing_trainee", rates.citation, amount,
                  inputs={"year": r.year, "track": r.track, "passing": r.passing},
                  parameters={rates.name: rate})
        lines.append({"year": r.year, "track": r.track.value, "passing": r.passing, "rate": rate,
                      "amount": amount})
        total += amount
    trace.add("payment_route", ART_22, {"payee": facts.training_unit, "via": facts.finance_bureau},
              inputs={"total": total})
    value = {"lines": lines, "total": total, "payee": facts.training_unit, "via": facts.finance_bureau}
    return Outcome(value, _status(trace, Status.OK), trace.steps)
