"""Preparing a cohort: the training plan check (第九条、第十七条) and the mentor check (第十六条)."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any, Self

from pydantic import BaseModel, Field, model_validator

from jiangxin.policy.errors import FactsError
from jiangxin.policy.facts import Facts
from jiangxin.policy.levels import SKILL_RANK, SkillLevel
from jiangxin.policy.outcome import Outcome, Trace
from jiangxin.policy.parameters import ParameterSet, Shares
from jiangxin.policy.registry import computation
from jiangxin.programs.jiangsu_technician import PROGRAM
from jiangxin.programs.jiangsu_technician.operations.common import (
    _STRICT,
    _ZERO,
    ART_9,
    ART_16,
    ART_17,
    _status,
    _unique,
    last_day_of_period,
)

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
