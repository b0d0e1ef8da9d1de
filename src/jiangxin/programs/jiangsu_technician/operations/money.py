"""The subsidy's spending split (第十条) and the per-head funding (第二条、第二十二条)."""

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
    _CENT,
    _STRICT,
    _ZERO,
    ART_2_FUNDING,
    ART_10,
    ART_10_MEALS,
    ART_10_REMOTE,
    ART_22,
    _share,
    _status,
    _unique,
)
from jiangxin.programs.jiangsu_technician.rules import Track

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
