"""Discipline sanctions (第二十一条) and deferral to the next year (第二十四条)."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any, Self

from pydantic import BaseModel, Field, model_validator

from jiangxin.policy.errors import FactsError
from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Outcome, Status, Trace
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.registry import computation
from jiangxin.programs.jiangsu_technician import PROGRAM
from jiangxin.programs.jiangsu_technician.operations.common import (
    _STRICT,
    _ZERO,
    ART_21_EMPLOYER,
    ART_21_TRAINEE,
    ART_24,
    _unique,
    last_day_of_period,
)

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
