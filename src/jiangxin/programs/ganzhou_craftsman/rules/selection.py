"""Choosing the craftsmen: ranking within the quota, the publicity window and the one-off reward."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field, model_validator

from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Outcome, Status, Trace
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.publicity import parameter_window
from jiangxin.policy.registry import computation
from jiangxin.policy.selection import Candidate, rank, select_within_quota
from jiangxin.policy.workdays import working_days_between
from jiangxin.programs.ganzhou_craftsman import PROGRAM
from jiangxin.programs.ganzhou_craftsman.rules.common import (
    _STRICT,
    ART_5,
    ART_6_PRIORITY,
    ART_7_PUBLICITY,
    ART_7_REVIEW,
    ART_8,
)

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
