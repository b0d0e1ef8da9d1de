"""Generic funding machines: subsidy tranches, rate tables with caps, yearly award quotas, per-head money.

Nothing here knows a document: every amount, share, span and citation comes in as an argument, so a
program module is its parameters plus its citations (see ``programs/nanchang_academy/funding.py``).

Tranche machine
---------------
A designation (命名) receives ``total`` split by ``shares`` (e.g. 3:3:4) into tranches:

* the first tranche is paid in the naming year whatever happens (no assessment decides it);
* each later tranche is paid in a year whose assessment passes; a failed year does not pay, and the next
  passing year pays the tranche that was due (catch-up);
* a failure inside the cycle gives a yellow card; ``revoke_after`` (2) consecutive failures inside the
  cycle revoke the naming and nothing more is paid;
* the cycle is complete once every tranche is paid; from the following year on ANY failed assessment
  revokes the naming (a pass keeps it);
* the cycle spans at most ``cycle_years`` calendar years, the naming year counting as year 1
  (I-FUND-01): tranches still unpaid after the last year of the span lapse (I-FUND-02) and the
  post-cycle rule applies from then on;
* a fraud finding revokes the naming, claws back everything paid so far and bars reapplication
  (I-FUND-07); every revocation bars reapplication.

``step(state, year, result)`` is the yearly run (one designation-year, a few microseconds);
``replay(plan, results, fraud_year)`` folds ``step`` over the years and must agree with it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jiangxin.policy.errors import FactsError, PolicyError
from jiangxin.policy.facts import Facts
from jiangxin.policy.levels import SkillLevel
from jiangxin.policy.outcome import Citation, Outcome, Status, Trace
from jiangxin.policy.parameters import ParameterSet, Shares
from jiangxin.policy.registry import Program, computation

ZERO = Decimal("0.00")
_Kind = TypeVar("_Kind", bound=enum.StrEnum)
CENT = Decimal("0.01")


def money(amount: Decimal) -> Decimal:
    """Round yuan to the cent, half up (I-FUND-09)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------------------
# Tranche machine
# ---------------------------------------------------------------------------------------------------------


class CycleStatus(enum.StrEnum):
    ACTIVE = "active"                  # in the cycle, last assessment passed (or none yet)
    YELLOW_CARD = "yellow_card"        # in the cycle, last assessment failed (黄牌警告)
    REVOKED = "revoked"                # naming revoked (撤销命名并摘牌): nothing more is paid
    CYCLE_COMPLETE = "cycle_complete"  # every tranche paid (补助周期结束)
    LAPSED = "lapsed"                  # span ran out with tranches unpaid; those lapse (I-FUND-02)


class EventKind(enum.StrEnum):
    TRANCHE_PAID = "tranche_paid"
    TRANCHE_WITHHELD = "tranche_withheld"  # failed year: the due tranche waits for a passing year
    YELLOW_CARD = "yellow_card"
    REVOKED = "revoked"
    CYCLE_COMPLETE = "cycle_complete"
    LAPSED = "lapsed"
    RETAINED = "retained"                  # post-cycle pass: the naming stays
    CLAWED_BACK = "clawed_back"
    REAPPLICATION_BARRED = "reapplication_barred"


class RevocationReason(enum.StrEnum):
    CONSECUTIVE_FAILURES = "consecutive_failures"
    FAILURE_AFTER_CYCLE = "failure_after_cycle"
    FRAUD = "fraud"


#: A catch-up path key: (tranche number, paid after a failed year, an earlier tranche was caught up).
PathKey = tuple[int, bool, bool]


@dataclasses.dataclass(frozen=True, slots=True)
class TrancheCitations:
    """Where each kind of event comes from in one document."""

    first_tranche: Citation
    tranche: Citation              # a later tranche paid on a passing assessment (default)
    catch_up: Citation             # a tranche paid in the year after a failure (default)
    yellow_card: Citation
    revoke_consecutive: Citation
    revoke_after_cycle: Citation
    cycle_span: Citation
    fraud: Citation
    reapplication_bar: Citation
    #: Finer citations for named paths, e.g. (2, True, False) → 第二十条（二）.
    paths: Mapping[PathKey, Citation] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True)
class TranchePlan:
    """One designation's money: amounts per tranche, naming year, span and the document's citations."""

    total: Decimal
    amounts: tuple[Decimal, ...]
    naming_year: int
    cycle_years: int
    citations: TrancheCitations
    revoke_after: int = 2  # consecutive failures inside the cycle that revoke

    @property
    def last_cycle_year(self) -> int:
        """Last calendar year of the span; the naming year is year 1 (I-FUND-01)."""
        return self.naming_year + self.cycle_years - 1


def make_plan(total: Decimal, shares: Shares, naming_year: int, cycle_years: int,
              citations: TrancheCitations, *, revoke_after: int = 2) -> TranchePlan:
    if total <= 0:
        raise PolicyError(f"tranche total must be positive, got {total}")
    if cycle_years < 1:
        raise PolicyError(f"cycle span must be at least 1 year, got {cycle_years}")
    if revoke_after < 1:
        raise PolicyError(f"revoke_after must be at least 1, got {revoke_after}")
    total = money(total)
    return TranchePlan(total, shares.split(total), naming_year, cycle_years, citations, revoke_after)


@dataclasses.dataclass(frozen=True, slots=True)
class Event:
    year: int
    kind: EventKind
    citation: Citation
    amount: Decimal | None = None
    tranche: int | None = None
    reason: RevocationReason | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"year": self.year, "kind": self.kind.value, "citation": self.citation.label}
        if self.amount is not None:
            out["amount"] = str(self.amount)
        if self.tranche is not None:
            out["tranche"] = self.tranche
        if self.reason is not None:
            out["reason"] = self.reason.value
        return out


@dataclasses.dataclass(frozen=True, slots=True)
class NextTranche:
    tranche: int
    amount: Decimal
    earliest_year: int
    latest_year: int

    def to_dict(self) -> dict[str, Any]:
        return {"tranche": self.tranche, "amount": str(self.amount), "earliest_year": self.earliest_year,
                "latest_year": self.latest_year}


@dataclasses.dataclass(frozen=True, slots=True)
class TrancheState:
    """Where a designation stands after the years processed so far (``year`` = last year processed)."""

    plan: TranchePlan
    year: int
    tranches_paid: int = 0
    paid_total: Decimal = ZERO
    consecutive_failures: int = 0
    status: CycleStatus = CycleStatus.ACTIVE
    yellow_cards: int = 0
    delayed: bool = False           # some tranche was paid after a failed year
    clawed_back: Decimal = ZERO
    revoked_in: int | None = None
    revocation: RevocationReason | None = None
    reapplication_barred: bool = False

    @property
    def in_cycle(self) -> bool:
        return self.status is CycleStatus.ACTIVE or self.status is CycleStatus.YELLOW_CARD

    @property
    def net_paid(self) -> Decimal:
        return self.paid_total - self.clawed_back

    @property
    def outstanding(self) -> Decimal:
        """Money still payable under the cycle (zero once revoked, complete or lapsed)."""
        return self.plan.total - self.paid_total if self.in_cycle else ZERO

    @property
    def forfeited(self) -> Decimal:
        """Money of tranches that will never be paid (revocation or lapse)."""
        return ZERO if self.in_cycle else self.plan.total - self.paid_total

    @property
    def next_due(self) -> NextTranche | None:
        if not self.in_cycle or self.tranches_paid >= len(self.plan.amounts):
            return None
        earliest = max(self.year + 1, self.plan.naming_year)
        return NextTranche(self.tranches_paid + 1, self.plan.amounts[self.tranches_paid], earliest,
                           self.plan.last_cycle_year)

    def to_dict(self) -> dict[str, Any]:
        nxt = self.next_due
        return {"status": self.status.value, "year": self.year, "tranches_paid": self.tranches_paid,
                "paid_total": str(self.paid_total), "clawed_back": str(self.clawed_back),
                "net_paid": str(self.net_paid), "outstanding": str(self.outstanding),
                "forfeited": str(self.forfeited), "yellow_cards": self.yellow_cards,
                "revoked_in": self.revoked_in,
                "revocation": self.revocation.value if self.revocation else None,
                "reapplication_barred": self.reapplication_barred,
                "next_due": nxt.to_dict() if nxt else None,
                "last_cycle_year": self.plan.last_cycle_year}


class TrancheSequenceError(PolicyError):
    """Years must be stepped one after another, starting with the naming year."""


def start(plan: TranchePlan) -> TrancheState:
    """The state before the naming year (nothing paid yet)."""
    return TrancheState(plan, plan.naming_year - 1)


_NO_EVENTS: tuple[Event, ...] = ()


def _state(s: TrancheState, year: int, *, tranches_paid: int | None = None, paid_total: Decimal | None = None,
           consecutive_failures: int | None = None, status: CycleStatus | None = None,
           yellow_cards: int | None = None, delayed: bool | None = None, clawed_back: Decimal | None = None,
           revoked_in: int | None = None, revocation: RevocationReason | None = None,
           reapplication_barred: bool | None = None) -> TrancheState:
    # Positional construction: measurably faster than dataclasses.replace on the yearly run.
    return TrancheState(
        s.plan, year,
        s.tranches_paid if tranches_paid is None else tranches_paid,
        s.paid_total if paid_total is None else paid_total,
        s.consecutive_failures if consecutive_failures is None else consecutive_failures,
        s.status if status is None else status,
        s.yellow_cards if yellow_cards is None else yellow_cards,
        s.delayed if delayed is None else delayed,
        s.clawed_back if clawed_back is None else clawed_back,
        s.revoked_in if revoked_in is None else revoked_in,
        s.revocation if revocation is None else revocation,
        s.reapplication_barred if reapplication_barred is None else reapplication_barred)


def step(state: TrancheState, year: int, result: bool | None, *,
         fraud: bool = False) -> tuple[TrancheState, tuple[Event, ...]]:
    """Process one year: ``result`` is that year's assessment (True passed, False failed, None not yet).

    In the naming year ``result`` must be None (the first tranche is unconditional). In a later year
    ``None`` means "not assessed yet": nothing changes and the same year must be stepped again once the
    result is known — unless ``fraud`` is found that year, or the naming is already revoked.
    """
    plan = state.plan
    if year != state.year + 1:
        raise TrancheSequenceError(f"expected year {state.year + 1}, got {year}")
    cites = plan.citations
    if fraud:
        return _fraud(state, year)
    status = state.status
    if status is CycleStatus.REVOKED:
        return _state(state, year), _NO_EVENTS
    if year == plan.naming_year:
        if result is not None:
            raise TrancheSequenceError(
                f"{year} is the naming year: no assessment decides the first tranche (I-FUND-11)")
        amount = plan.amounts[0]
        events: list[Event] = [Event(year, EventKind.TRANCHE_PAID, cites.first_tranche, amount, 1)]
        new = _state(state, year, tranches_paid=1, paid_total=amount)
        return _close_year(new, year, events)
    if result is None:
        return state, _NO_EVENTS
    if status is CycleStatus.CYCLE_COMPLETE or status is CycleStatus.LAPSED:
        if result:
            return _state(state, year), (Event(year, EventKind.RETAINED, cites.revoke_after_cycle),)
        return _revoke(state, year, RevocationReason.FAILURE_AFTER_CYCLE, cites.revoke_after_cycle, [])
    if result:
        number = state.tranches_paid + 1
        amount = plan.amounts[state.tranches_paid]
        caught_up = state.consecutive_failures > 0
        citation = cites.paths.get((number, caught_up, state.delayed)) if cites.paths else None
        if citation is None:
            citation = cites.catch_up if caught_up else cites.tranche
        events = [Event(year, EventKind.TRANCHE_PAID, citation, amount, number)]
        new = _state(state, year, tranches_paid=number, paid_total=state.paid_total + amount,
                     consecutive_failures=0, status=CycleStatus.ACTIVE, delayed=state.delayed or caught_up)
        return _close_year(new, year, events)
    failures = state.consecutive_failures + 1
    if failures >= plan.revoke_after:
        return _revoke(state, year, RevocationReason.CONSECUTIVE_FAILURES, cites.revoke_consecutive, [],
                       consecutive_failures=failures)
    number = state.tranches_paid + 1
    withheld = cites.paths.get((number, True, state.delayed)) if cites.paths else None
    events = [Event(year, EventKind.YELLOW_CARD, cites.yellow_card),
              Event(year, EventKind.TRANCHE_WITHHELD, withheld or cites.catch_up,
                    plan.amounts[state.tranches_paid], number)]
    new = _state(state, year, consecutive_failures=failures, status=CycleStatus.YELLOW_CARD,
                 yellow_cards=state.yellow_cards + 1)
    return _close_year(new, year, events)


def _close_year(state: TrancheState, year: int, events: list[Event]) -> tuple[TrancheState, tuple[Event, ...]]:
    plan = state.plan
    if state.tranches_paid == len(plan.amounts):
        events.append(Event(year, EventKind.CYCLE_COMPLETE, events[0].citation, plan.total))
        return _state(state, year, status=CycleStatus.CYCLE_COMPLETE), tuple(events)
    if year >= plan.last_cycle_year:
        events.append(Event(year, EventKind.LAPSED, plan.citations.cycle_span, plan.total - state.paid_total,
                            state.tranches_paid + 1))
        return _state(state, year, status=CycleStatus.LAPSED), tuple(events)
    return state, tuple(events)


def _revoke(state: TrancheState, year: int, reason: RevocationReason, citation: Citation,
            events: list[Event], *, consecutive_failures: int | None = None
            ) -> tuple[TrancheState, tuple[Event, ...]]:
    events.append(Event(year, EventKind.REVOKED, citation, reason=reason))
    if not state.reapplication_barred:
        events.append(Event(year, EventKind.REAPPLICATION_BARRED, state.plan.citations.reapplication_bar))
    new = _state(state, year, consecutive_failures=consecutive_failures, status=CycleStatus.REVOKED,
                 revoked_in=year, revocation=reason, reapplication_barred=True)
    return new, tuple(events)


def _fraud(state: TrancheState, year: int) -> tuple[TrancheState, tuple[Event, ...]]:
    cites = state.plan.citations
    events: list[Event] = []
    if state.status is not CycleStatus.REVOKED:
        events.append(Event(year, EventKind.REVOKED, cites.fraud, reason=RevocationReason.FRAUD))
    claw = state.paid_total - state.clawed_back
    if claw:
        events.append(Event(year, EventKind.CLAWED_BACK, cites.fraud, claw))
    if not state.reapplication_barred:
        events.append(Event(year, EventKind.REAPPLICATION_BARRED, cites.reapplication_bar))
    already = state.status is CycleStatus.REVOKED
    new = _state(state, year, status=CycleStatus.REVOKED, clawed_back=state.paid_total,
                 revoked_in=state.revoked_in if already else year,
                 revocation=state.revocation if already else RevocationReason.FRAUD,
                 reapplication_barred=True)
    return new, tuple(events)


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


# ---------------------------------------------------------------------------------------------------------
# Rate tables with caps
# ---------------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class Line:
    """One subsidy line: quantity × rate (or base × percentage) = amount."""

    key: str
    quantity: Decimal
    rate: Decimal
    amount: Decimal
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = {"key": self.key, "quantity": str(self.quantity), "rate": str(self.rate),
               "amount": str(self.amount)}
        if self.label:
            out["label"] = self.label
        return out


@dataclasses.dataclass(frozen=True, slots=True)
class Subsidy:
    """A computed subsidy: its lines, the sum before any cap, and the amount granted."""

    lines: tuple[Line, ...]
    uncapped: Decimal
    granted: Decimal
    cap: Decimal | None = None
    capped: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"granted": str(self.granted), "uncapped": str(self.uncapped),
                               "lines": [ln.to_dict() for ln in self.lines]}
        if self.cap is not None:
            out["cap"] = str(self.cap)
            out["capped"] = self.capped
        return out


def rate(table: Mapping[str, Any], key: str, field: str) -> Decimal:
    """A rate from a table parameter; an unknown key is a FactsError naming the field and allowed keys."""
    try:
        value = table[key]
    except KeyError:
        raise FactsError([(field, f"one of {', '.join(table)} (got {key!r})")]) from None
    return Decimal(value)


def per_unit(table: Mapping[str, Any], quantities: Iterable[tuple[str, Decimal | int]], *, field: str,
             trace: Trace, citation: Citation, rule: str) -> list[Line]:
    """Quantity × table rate for each (key, quantity); one trace step per line."""
    lines = []
    for key, quantity in quantities:
        if quantity < 0:
            raise FactsError([(f"{field}.{key}", "a count of zero or more")])
        r = rate(table, key, f"{field}.{key}")
        amount = money(r * quantity)
        trace.add(rule, citation, amount, inputs={"key": key, "quantity": quantity}, parameters={"rate": r})
        lines.append(Line(key, Decimal(quantity), r, amount))
    return lines


def percentage(base: Decimal, share: Decimal) -> Decimal:
    """``share`` (e.g. 0.10) of ``base``, to the cent."""
    return money(base * share)


def total(lines: Sequence[Line]) -> Decimal:
    return sum((ln.amount for ln in lines), ZERO)


def apply_cap(lines: Sequence[Line], cap: Decimal | None, *, already_granted: Decimal = ZERO,
              trace: Trace | None = None, citation: Citation | None = None,
              rule: str = "cap") -> Subsidy:
    """Sum ``lines`` and cut the sum to what the cap leaves after ``already_granted`` in the cap's period."""
    uncapped = total(lines)
    if cap is None:
        return Subsidy(tuple(lines), uncapped, uncapped)
    room = money(max(cap - already_granted, ZERO))
    granted = min(uncapped, room)
    cap = money(cap)
    capped = granted < uncapped
    if trace is not None and citation is not None:
        trace.add(rule, citation, granted, inputs={"uncapped": uncapped, "already_granted": already_granted},
                  parameters={"cap": cap}, note="cut to the cap" if capped else "within the cap")
    return Subsidy(tuple(lines), uncapped, granted, cap, capped)


def subsidy_outcome(subsidy: Subsidy, trace: Trace, citation: Citation, rule: str) -> Outcome[Subsidy]:
    trace.add(rule, citation, subsidy.granted, inputs={"lines": len(subsidy.lines)})
    return Outcome(subsidy, Status.OK, trace.steps)


# ---------------------------------------------------------------------------------------------------------
# Yearly award quotas
# ---------------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class QuotaGroup:
    """A quota on several categories together (e.g. 20 innovation awards = first + second + third)."""

    name: str
    members: tuple[str, ...]
    quota: int


@dataclasses.dataclass(frozen=True, slots=True)
class Breach:
    category: str
    quota: int
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"category": self.category, "quota": self.quota, "count": self.count,
                "excess": self.count - self.quota}


@dataclasses.dataclass(frozen=True, slots=True)
class AwardList:
    year: int
    counts: Mapping[str, int]
    amounts: Mapping[str, Decimal]
    total: Decimal
    breaches: tuple[Breach, ...]

    @property
    def within_quota(self) -> bool:
        return not self.breaches

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "counts": dict(self.counts),
                "amounts": {k: str(v) for k, v in self.amounts.items()}, "total": str(self.total),
                "within_quota": self.within_quota, "breaches": [b.to_dict() for b in self.breaches]}


def check_awards(year: int, categories: Sequence[str], quotas: Mapping[str, Any], amounts: Mapping[str, Any],
                 groups: Sequence[QuotaGroup], *, trace: Trace, citation: Citation,
                 field: str = "awards") -> AwardList:
    """Count one year's awards by category, list EVERY quota breach, and price each award.

    Quotas are maxima (I-FUND-05): fewer awards than the quota is allowed.
    """
    counts: dict[str, int] = dict.fromkeys(quotas, 0)
    for i, category in enumerate(categories):
        if category not in quotas:
            raise FactsError([(f"{field}.{i}.category", f"one of {', '.join(quotas)} (got {category!r})")])
        counts[category] += 1
    breaches: list[Breach] = []
    for category, quota in quotas.items():
        q = int(quota)
        if trace.check(f"quota_{category}", citation, counts[category] <= q,
                       inputs={"count": counts[category]}, parameters={"quota": q}) is False:
            breaches.append(Breach(category, q, counts[category]))
    for group in groups:
        count = sum(counts[m] for m in group.members)
        if not trace.check(f"quota_{group.name}", citation, count <= group.quota,
                           inputs={"count": count, "members": list(group.members)},
                           parameters={"quota": group.quota}):
            breaches.append(Breach(group.name, group.quota, count))
    priced = {c: money(rate(amounts, c, f"{field}.category") * n) for c, n in counts.items()}
    grand = sum(priced.values(), ZERO)
    trace.add("award_amounts", citation, grand, inputs={"counts": counts},
              parameters={"amounts": {k: Decimal(v) for k, v in amounts.items()}})
    return AwardList(year, counts, priced, grand, tuple(breaches))


# ---------------------------------------------------------------------------------------------------------
# Per-head funding and one-off rewards
# ---------------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class PerHead:
    by_year: Mapping[int, Decimal]
    total: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {"by_year": {str(k): str(v) for k, v in self.by_year.items()}, "total": str(self.total)}


def per_head_funding(rate_per_head: Decimal, passing_by_year: Mapping[int, int], first_year: int,
                     years: int, *, trace: Trace, citation: Citation,
                     field: str = "passing_by_year") -> PerHead:
    """``rate_per_head`` for each person who passes, each year from ``first_year`` for ``years`` years.

    A count for a year outside the funded window is an error, not silently dropped.
    """
    last = first_year + years - 1
    by_year: dict[int, Decimal] = {}
    for year in sorted(passing_by_year):
        heads = passing_by_year[year]
        if not first_year <= year <= last:
            raise FactsError([(f"{field}.{year}", f"a year from {first_year} to {last}")])
        if heads < 0:
            raise FactsError([(f"{field}.{year}", "a count of zero or more")])
        by_year[year] = trace.add("per_head", citation, money(rate_per_head * heads),
                                  inputs={"year": year, "passing": heads}, parameters={"rate": rate_per_head})
    return PerHead(by_year, sum(by_year.values(), ZERO))


def one_off_reward(amount: Decimal, recipients: int, *, trace: Trace, citation: Citation) -> Decimal:
    """A fixed reward per recipient, paid once."""
    if recipients < 0:
        raise FactsError([("recipients", "a count of zero or more")])
    result: Decimal = trace.add("one_off_reward", citation, money(amount * recipients),
                                inputs={"recipients": recipients}, parameters={"amount": amount})
    return result


# ---------------------------------------------------------------------------------------------------------
# Shared input shapes (national skill ladder; equipment; award lists)
# ---------------------------------------------------------------------------------------------------------


class UpgradeFacts(Facts):
    upgrades: dict[SkillLevel, int] = Field(
        description="技能等级晋升人数 (people who reached each level in the period): level → count ≥ 0; "
                    "a person reaching two levels counts at each (I-FUND-08)")

    @model_validator(mode="after")
    def _counts(self) -> UpgradeFacts:
        check_counts("upgrades", self.upgrades)
        return self


def check_counts(field: str, counts: Mapping[_Kind, int]) -> None:
    """Every count of a ``kind → count`` input is zero or more; each negative one is named."""
    bad = [(f"{field}.{k.value}", f"a count of zero or more (got {v})") for k, v in counts.items() if v < 0]
    if bad:
        raise FactsError(bad)


def upgrade_outcome(facts: UpgradeFacts, table: Mapping[str, Any], citation: Citation) -> Outcome[Subsidy]:
    trace = Trace()
    lines = per_unit(table, ((k.value, v) for k, v in facts.upgrades.items()), field="upgrades",
                     trace=trace, citation=citation, rule="upgrade_rate")
    return subsidy_outcome(apply_cap(lines, None), trace, citation, "upgrade_subsidy")


class EquipmentCondition(enum.StrEnum):
    NEW = "新购"     # newly bought: the base is the purchase cost
    USED = "旧设备"  # existing equipment: the base is the assessed value after depreciation


class EquipmentItem(BaseModel):
    """One item of equipment (nested: no as_of)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    name: str = Field(min_length=1, description="设备名称 (equipment name)")
    condition: EquipmentCondition = Field(description="新购 (new, base = purchase cost) or 旧设备 (used, base = "
                                                      "assessed value after depreciation)")
    value: Decimal = Field(gt=0, description="费用或评估折旧后价值 (cost of a new item, or the assessed "
                                             "depreciated value of a used item), yuan")


class EquipmentFacts(Facts):
    items: list[EquipmentItem] = Field(min_length=1, description="设施设备清单 (equipment items)")


def equipment_outcome(facts: EquipmentFacts, new_share: Decimal, used_share: Decimal,
                      citation: Citation) -> Outcome[Subsidy]:
    trace = Trace()
    lines = []
    for item in facts.items:
        share = new_share if item.condition is EquipmentCondition.NEW else used_share
        amount = trace.add("equipment_share", citation, percentage(item.value, share),
                           inputs={"name": item.name, "condition": item.condition, "value": item.value},
                           parameters={"share": share})
        lines.append(Line(item.condition.value, item.value, share, amount, item.name))
    return subsidy_outcome(apply_cap(lines, None), trace, citation, "equipment_subsidy")


class Award(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    id: str = Field(min_length=1, description="获奖项目编号 (award id, unique in the list)")
    category: str = Field(min_length=1, description="奖项类别 (award category; the program's quota table "
                                                    "lists the allowed values)")


class AwardFacts(Facts):
    year: int = Field(ge=2000, le=2100, description="评选年度 (award year)")
    awards: list[Award] = Field(description="当年评选结果 (the year's award list)")

    @model_validator(mode="after")
    def _unique(self) -> AwardFacts:
        seen: set[str] = set()
        dupes = []
        for i, award in enumerate(self.awards):
            if award.id in seen:
                dupes.append((f"awards.{i}.id", f"an id not already in the list (got {award.id!r} twice)"))
            seen.add(award.id)
        if dupes:
            raise FactsError(dupes)
        return self


def awards_outcome(facts: AwardFacts, quotas: Mapping[str, Any], amounts: Mapping[str, Any],
                   groups: Sequence[QuotaGroup], citation: Citation) -> Outcome[AwardList]:
    trace = Trace()
    result = check_awards(facts.year, [a.category for a in facts.awards], quotas, amounts, groups,
                          trace=trace, citation=citation)
    return Outcome(result, Status.PASSED if result.within_quota else Status.FAILED, trace.steps)


# ---------------------------------------------------------------------------------------------------------
# Computation bodies reading a program's standard parameter names (program modules stay thin)
# ---------------------------------------------------------------------------------------------------------


def upgrade_subsidy(facts: UpgradeFacts, params: ParameterSet, citation: Citation) -> Outcome[Subsidy]:
    """``funding_upgrade_rates`` (level → yuan per person) × people who reached each level."""
    return upgrade_outcome(facts, params.value("funding_upgrade_rates", facts.as_of), citation)


def equipment_subsidy(facts: EquipmentFacts, params: ParameterSet, citation: Citation) -> Outcome[Subsidy]:
    """``funding_equipment_share_new`` of new items' cost, ``funding_equipment_share_used`` of used items'
    assessed depreciated value."""
    return equipment_outcome(facts, Decimal(params.value("funding_equipment_share_new", facts.as_of)),
                             Decimal(params.value("funding_equipment_share_used", facts.as_of)), citation)


def innovation_awards(facts: AwardFacts, params: ParameterSet, citation: Citation,
                      group: tuple[str, tuple[str, ...]]) -> Outcome[AwardList]:
    """``funding_award_quotas`` per category and ``funding_award_innovation_total`` over ``group``'s
    categories together (name, members), priced by ``funding_award_amounts``."""
    quotas = params.value("funding_award_quotas", facts.as_of)
    together = QuotaGroup(group[0], group[1], int(params.value("funding_award_innovation_total", facts.as_of)))
    return awards_outcome(facts, quotas, params.value("funding_award_amounts", facts.as_of), (together,),
                          citation)


# ---------------------------------------------------------------------------------------------------------
# The standard funding computations of a named program (academy, studio): one declaration per program
# ---------------------------------------------------------------------------------------------------------

#: The innovation-award categories whose places are capped together (name, members); both Nanchang
#: documents grade innovation results the same three ways.
INNOVATION_GROUP: tuple[str, tuple[str, ...]] = ("创新成果奖合计", ("创新成果一等奖", "创新成果二等奖", "创新成果三等奖"))


def three_tranche_paths(on_time: Citation, second_late: Citation, third_late: Citation) -> dict[PathKey, Citation]:
    """The worked paths a 3-tranche document prints, keyed (tranche, paid after a failed year, an earlier
    tranche was caught up): every tranche on time; the second a year late (the third then follows it,
    late or not); only the third a year late."""
    return {(2, False, False): on_time, (3, False, False): on_time,
            (2, True, False): second_late, (3, False, True): second_late, (3, True, True): second_late,
            (3, True, False): third_late}


def register_standard_funding(program: Program, *, tranches: TrancheCitations, tranche_title: str,
                              upgrade: tuple[str, Citation], equipment: tuple[str, Citation],
                              awards: tuple[str, Citation],
                              award_group: tuple[str, tuple[str, ...]] = INNOVATION_GROUP) -> None:
    """Declare ``tranche_schedule`` (cited to ``tranches.tranche``), ``upgrade_subsidy``,
    ``equipment_subsidy`` and ``innovation_awards`` for ``program``, each a (title, citation) over the
    bodies above and the program's standard parameter names."""

    def tranche_computation(facts: TrancheFacts, params: ParameterSet) -> Outcome[TrancheReport]:
        return tranche_schedule(facts, params, tranches)

    def upgrade_computation(facts: UpgradeFacts, params: ParameterSet) -> Outcome[Subsidy]:
        return upgrade_subsidy(facts, params, upgrade[1])

    def equipment_computation(facts: EquipmentFacts, params: ParameterSet) -> Outcome[Subsidy]:
        return equipment_subsidy(facts, params, equipment[1])

    def awards_computation(facts: AwardFacts, params: ParameterSet) -> Outcome[AwardList]:
        return innovation_awards(facts, params, awards[1], award_group)

    computation(program, "tranche_schedule", tranche_title, tranches.tranche, TrancheFacts)(tranche_computation)
    computation(program, "upgrade_subsidy", *upgrade, UpgradeFacts)(upgrade_computation)
    computation(program, "equipment_subsidy", *equipment, EquipmentFacts)(equipment_computation)
    computation(program, "innovation_awards", *awards, AwardFacts)(awards_computation)
