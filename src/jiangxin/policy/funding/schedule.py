"""A designation's years replayed through the tranche machine, and the cited ``tranche_schedule`` outcome."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import Field, model_validator

from jiangxin.policy.errors import FactsError
from jiangxin.policy.facts import Facts
from jiangxin.policy.funding.money import ZERO
from jiangxin.policy.funding.tranches import (
    CycleStatus,
    Event,
    EventKind,
    TrancheCitations,
    TranchePlan,
    TrancheState,
    make_plan,
    start,
    step,
)
from jiangxin.policy.outcome import Outcome, Status, Trace
from jiangxin.policy.parameters import ParameterSet


@dataclasses.dataclass(frozen=True, slots=True)
class YearRow:
    year: int
    result: bool | None
    fraud: bool
    events: tuple[Event, ...]

    @property
    def paid(self) -> Decimal:
        return sum((e.amount for e in self.events if e.kind is EventKind.TRANCHE_PAID and e.amount), ZERO)

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "assessment": None if self.result is None else
                ("passed" if self.result else "failed"), "fraud_found": self.fraud, "paid": str(self.paid),
                "events": [e.to_dict() for e in self.events]}


@dataclasses.dataclass(frozen=True, slots=True)
class TrancheReport:
    state: TrancheState
    years: tuple[YearRow, ...]

    def to_dict(self) -> dict[str, Any]:
        out = self.state.to_dict()
        out["amounts"] = [str(a) for a in self.state.plan.amounts]
        out["years"] = [y.to_dict() for y in self.years]
        return out


def replay(plan: TranchePlan, results: Mapping[int, bool], fraud_year: int | None = None) -> TrancheReport:
    """Run ``step`` from the naming year through the last year with a result or the fraud finding.

    A year without a result, while the naming still stands and a later year has a result or the fraud
    finding, is an error (the yearly assessment is not optional): never a silent default.
    """
    for year in results:
        if year <= plan.naming_year:
            raise FactsError([(f"assessments.{year}", f"a year after the naming year {plan.naming_year} "
                                                      "(the first tranche needs no assessment)")])
    if fraud_year is not None and fraud_year < plan.naming_year:
        raise FactsError([("fraud_found_year", f"the naming year {plan.naming_year} or later")])
    end = max([plan.naming_year, *results, *([fraud_year] if fraud_year is not None else [])])
    state = start(plan)
    rows: list[YearRow] = []
    for year in range(plan.naming_year, end + 1):
        result = results.get(year)
        fraud = year == fraud_year
        new, events = step(state, year, result, fraud=fraud)
        if new is state:  # not assessed yet: must be the last year in the input
            raise FactsError([(f"assessments.{year}", "passed or failed (true/false): a later year has a "
                                                      "result or a fraud finding, so this year cannot be open")])
        state = new
        rows.append(YearRow(year, result, fraud, events))
        if fraud:
            break
    return TrancheReport(state, tuple(rows))


class TrancheFacts(Facts):
    """Input of a ``tranche_schedule`` computation."""

    naming_year: int = Field(ge=2000, le=2100, description="命名挂牌年份 (naming year; first tranche paid then)")
    assessments: dict[int, bool] = Field(
        default_factory=dict,
        description="年度考核结果 (yearly assessment result): year → true 合格 / false 不合格; years after the "
                    "naming year, without gaps; a year not yet assessed is left out")
    fraud_found_year: int | None = Field(
        default=None, description="弄虚作假查实年份 (year fraud was found), if any")

    @model_validator(mode="after")
    def _years(self) -> TrancheFacts:
        problems: list[tuple[str, str]] = []
        if self.naming_year > self.as_of.year:
            problems.append(("naming_year", f"a year no later than as_of ({self.as_of.year})"))
        years = sorted(self.assessments)
        for year in years:
            if year <= self.naming_year:
                problems.append((f"assessments.{year}",
                                 f"a year after naming_year {self.naming_year} (I-FUND-11)"))
            elif year > self.as_of.year:
                problems.append((f"assessments.{year}", f"a year no later than as_of ({self.as_of.year})"))
        if self.fraud_found_year is not None and not (
                self.naming_year <= self.fraud_found_year <= self.as_of.year):
            problems.append(("fraud_found_year", f"a year from naming_year {self.naming_year} to as_of"))
        if problems:
            raise FactsError(problems)
        return self


def plan_from_parameters(params: ParameterSet, on: dt.date, naming_year: int,
                         citations: TrancheCitations) -> tuple[TranchePlan, dict[str, Any]]:
    """Build a plan from a program's ``funding_total``, ``funding_shares``, ``funding_cycle_years`` and
    ``funding_revoke_after_failures`` parameters; also returns them for the trace."""
    names = ("funding_total", "funding_shares", "funding_cycle_years", "funding_revoke_after_failures")
    values = {name: params.value(name, on) for name in names}
    plan = make_plan(Decimal(values["funding_total"]), values["funding_shares"], naming_year,
                     int(values["funding_cycle_years"]), citations,
                     revoke_after=int(values["funding_revoke_after_failures"]))
    return plan, values


def tranche_schedule(facts: TrancheFacts, params: ParameterSet,
                     citations: TrancheCitations) -> Outcome[TrancheReport]:
    """The body of every program's ``tranche_schedule`` computation."""
    plan, values = plan_from_parameters(params, facts.as_of, facts.naming_year, citations)
    return tranche_outcome(facts, plan, values)


def tranche_outcome(facts: TrancheFacts, plan: TranchePlan, parameters: Mapping[str, Any]) -> Outcome[TrancheReport]:
    """Replay a designation and turn every event into a cited trace step."""
    report = replay(plan, facts.assessments, facts.fraud_found_year)
    trace = Trace()
    trace.add("tranche_plan", plan.citations.tranche, [str(a) for a in plan.amounts],
              inputs={"naming_year": plan.naming_year}, parameters=parameters,
              note=f"span {plan.naming_year}–{plan.last_cycle_year} (I-FUND-01)")
    for row in report.years:
        for event in row.events:
            trace.add(event.kind.value, event.citation, event.amount if event.amount is not None else
                      (event.reason.value if event.reason else True),
                      inputs={"year": row.year, "passed": row.result, "fraud": row.fraud},
                      note=f"tranche {event.tranche}" if event.tranche else "")
    trace.add("tranche_status", plan.citations.tranche, report.state.status.value,
              inputs={"paid_total": report.state.paid_total, "clawed_back": report.state.clawed_back})
    status = Status.FAILED if report.state.status is CycleStatus.REVOKED else Status.OK
    return Outcome(report, status, trace.steps)
