"""The tranche machine: a plan, the state of one designation, and ``step`` (one assessed year).

The rules it follows are listed in the package docstring (:mod:`jiangxin.policy.funding`).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from jiangxin.policy.errors import PolicyError
from jiangxin.policy.funding.money import ZERO, money
from jiangxin.policy.outcome import Citation
from jiangxin.policy.parameters import Shares


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
