"""The benefits of a resident studio (四（二）–（五）)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, model_validator

from jiangxin.policy.errors import UnsetParameterError
from jiangxin.policy.outcome import Citation, Outcome, Status, Trace
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.registry import computation
from jiangxin.programs.zhenjiang_park import PROGRAM
from jiangxin.programs.zhenjiang_park.rules.common import (
    ENTRY,
    PRIORITY_AWARD,
    PRIORITY_HIRE,
    REWARD,
    SUBSIDY,
    ParkFacts,
)

# ---------------------------------------------------------------------------------------------------------
# 8. 优惠政策 四（二）–（五）


class BenefitFacts(ParkFacts):
    admission_date: dt.date = Field(description="入驻日期 — the day the studio was admitted")
    exit_date: dt.date | None = Field(default=None,
                                      description="取消入驻日期 — the day residency ended, if it has")
    upgraded_to_business: bool = Field(
        description="升级为技能创业 — the studio has become a skill-based business (技能创业)")
    outstanding_in: list[Literal["传授技艺", "人才培养", "竞赛指导"]] = Field(
        description="业绩突出方面 — areas where the office judged results outstanding (may be empty)")

    @model_validator(mode="after")
    def _dates(self) -> BenefitFacts:
        if self.exit_date is not None and self.exit_date < self.admission_date:
            raise ValueError("exit_date must not be before admission_date")
        return self


def _amount(params: ParameterSet, name: str, on: dt.date, trace: Trace, citation: Citation) -> Decimal | None:
    try:
        value = params.get(name, on)
    except UnsetParameterError:
        trace.add(name, citation, None, note="not set by the policy: 依据相关政策，由主管部门设定")
        return None
    trace.add(name, value.citation, value.value, parameters={name: value.value})
    amount: Decimal = value.value
    return amount


@computation(PROGRAM, "benefits", "入驻优惠政策", SUBSIDY, BenefitFacts)
def benefits(facts: BenefitFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """四（二）–（五）: start-up subsidy, performance reward, priority hire/examiner, priority recommendation."""
    trace = Trace()
    resident = facts.admission_date <= facts.as_of and (facts.exit_date is None or facts.as_of < facts.exit_date)
    trace.check("resident", ENTRY, resident,
                inputs={"admission_date": facts.admission_date, "exit_date": facts.exit_date})
    subsidy = resident and facts.upgraded_to_business
    trace.add("startup_subsidy", SUBSIDY, subsidy, inputs={"upgraded_to_business": facts.upgraded_to_business})
    subsidy_amount = _amount(params, "startup_subsidy_amount", facts.as_of, trace, SUBSIDY) if subsidy else None
    reward = resident and bool(facts.outstanding_in)
    trace.add("performance_reward", REWARD, reward, inputs={"outstanding_in": facts.outstanding_in})
    reward_amount = _amount(params, "performance_reward_amount", facts.as_of, trace, REWARD) if reward else None
    trace.add("priority_part_time_teacher", PRIORITY_HIRE, resident, note="职业院校兼职教师优先受聘")
    trace.add("priority_examiner_pool", PRIORITY_HIRE, resident, note="优先进入考评员队伍")
    trace.add("recommend_national_provincial_studio", PRIORITY_AWARD, resident, note="择优推荐")
    trace.add("leader_priority_talent_award", PRIORITY_AWARD, resident, note="市级以上高技能人才评选优先推荐")
    value = {"resident": resident,
             "startup_subsidy": subsidy, "startup_subsidy_amount": subsidy_amount,
             "performance_reward": reward, "performance_reward_amount": reward_amount,
             "priority_part_time_teacher": resident, "priority_examiner_pool": resident,
             "recommend_national_provincial_studio": resident, "leader_priority_talent_award": resident}
    return Outcome(value, Status.ELIGIBLE if resident else Status.INELIGIBLE, trace.steps)
