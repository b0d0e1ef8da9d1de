"""The computing half of the yearly run: no database writes, no Django models touched.

For each designation: replay the tranche machine (``jiangxin.policy.funding.start/step``) over the years
already applied, then step the run year with that year's assessment result. Every money amount and every
sanction comes out of the machine's events; nothing is computed here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
from collections.abc import Collection, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from jiangxin.policy import funding as f
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.registry import PROGRAMS, get_computation


class _ProgramsPaying(Collection[str]):
    """The loaded programs whose declaration (``funding.naming_money`` in platform.yaml) pays naming money so."""

    def __init__(self, how: str) -> None:
        self.how = how

    def _keys(self) -> list[str]:
        from jiangxin.programs import load_all

        load_all()
        return [key for key, program in PROGRAMS.items() if program.declaration.funding.naming_money == self.how]

    def __contains__(self, program: object) -> bool:
        from jiangxin.programs import load_all

        load_all()
        return program in PROGRAMS and PROGRAMS[str(program)].declaration.funding.naming_money == self.how

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())


#: programs whose naming money is paid in tranches by the tranche machine
TRANCHE_PROGRAMS = _ProgramsPaying("tranches")
#: programs with a one-off reward paid in the designation year
REWARD_PROGRAMS = _ProgramsPaying("reward")


def tranche_citations(program: str) -> f.TrancheCitations:
    module = importlib.import_module(f"{PROGRAMS[program].package}.funding")
    citations: f.TrancheCitations = module.TRANCHE_CITATIONS
    return citations


def program_parameters(program: str, overrides: Mapping[str, Any] | None = None,
                       reference: str = "") -> ParameterSet:
    params = _load(program)
    return params.with_overrides(overrides, reference=reference or "测算") if overrides else params


def _load(program: str) -> ParameterSet:
    from jiangxin.programs import load_all

    load_all()
    if program not in PROGRAMS:
        raise KeyError(f"unknown program {program!r}")
    return PROGRAMS[program].parameters()


@dataclasses.dataclass(slots=True)
class Item:
    """One designation's outcome of the run year."""

    designation_id: int
    naming_year: int
    result: bool | None
    fraud: bool
    events: tuple[f.Event, ...]
    state: f.TrancheState | None
    skipped: str = ""   # why nothing happens (already applied, awaiting assessment, missing years)

    @property
    def paid(self) -> Decimal:
        return sum((e.amount for e in self.events if e.kind is f.EventKind.TRANCHE_PAID and e.amount), f.ZERO)

    @property
    def clawed(self) -> Decimal:
        return sum((e.amount for e in self.events if e.kind is f.EventKind.CLAWED_BACK and e.amount), f.ZERO)

    def to_dict(self) -> dict[str, Any]:
        return {"designation": self.designation_id, "naming_year": self.naming_year,
                "assessment": None if self.result is None else ("passed" if self.result else "failed"),
                "fraud": self.fraud, "skipped": self.skipped, "paid": str(self.paid),
                "clawed_back": str(self.clawed), "events": [e.to_dict() for e in self.events],
                "status_after": self.state.status.value if self.state is not None else None,
                "state": self.state.to_dict() if self.state is not None else None}


class Planner:
    """Tranche plans for one program under one parameter set, cached per naming year."""

    def __init__(self, program: str, params: ParameterSet) -> None:
        self.program = program
        self.params = params
        self.citations = tranche_citations(program)
        self._plans: dict[int, f.TranchePlan] = {}
        self.values: dict[int, dict[str, Any]] = {}
        self._memo: dict[tuple[Any, ...], Item] = {}

    def step(self, designation_id: int, naming_year: int, year: int, result: bool | None,
             history: list[tuple[int, bool | None, bool]]) -> Item:
        """``step_designation`` memoised on (naming year, applied history, year, result): the tranche machine
        is pure and its states and events are immutable, so designations with the same inputs share the
        machine's answer (100,000 academies fall into a few dozen distinct histories)."""
        key = (naming_year, tuple(history), year, result)
        done = self._memo.get(key)
        if done is None:
            done = step_designation(self.plan(naming_year), 0, year, result, history)
            self._memo[key] = done
        return Item(designation_id, done.naming_year, done.result, done.fraud, done.events, done.state,
                    done.skipped)

    def plan(self, naming_year: int) -> f.TranchePlan:
        plan = self._plans.get(naming_year)
        if plan is None:
            plan, values = f.plan_from_parameters(self.params, dt.date(naming_year, 1, 1), naming_year,
                                                  self.citations)
            self._plans[naming_year] = plan
            self.values[naming_year] = values
        return plan


def advance(state: f.TrancheState, year: int, result: bool | None, fraud: bool
            ) -> tuple[f.TrancheState, tuple[f.Event, ...]]:
    """``step`` that also takes a fraud finding in a year whose run is already applied (same year again)."""
    if fraud and year == state.year:
        state = dataclasses.replace(state, year=year - 1)
    return f.step(state, year, result, fraud=fraud)


def replay_history(plan: f.TranchePlan, history: Iterable[tuple[int, bool | None, bool]]) -> f.TrancheState:
    """Fold the applied years (year, result, fraud) — in year order, a run before a fraud of the same year."""
    state = f.start(plan)
    for year, result, fraud in history:
        state, _ = advance(state, year, result, fraud)
    return state


def step_designation(plan: f.TranchePlan, designation_id: int, year: int, result: bool | None,
                     history: list[tuple[int, bool | None, bool]], *, fraud: bool = False) -> Item:
    """The run year's events for one designation, given what was applied before."""
    applied_years = {y for y, _, fr in history if not fr}
    if year in applied_years and not fraud:
        return Item(designation_id, plan.naming_year, result, fraud, (), None, "already_applied")
    state = replay_history(plan, history)
    if year < plan.naming_year:
        return Item(designation_id, plan.naming_year, result, fraud, (), state, "before_naming")
    if state.status is f.CycleStatus.REVOKED and not fraud:
        return Item(designation_id, plan.naming_year, result, fraud, (), state, "revoked")
    if not fraud and state.year != year - 1:
        return Item(designation_id, plan.naming_year, result, fraud, (), state,
                    f"missing_years:{state.year + 1}-{year - 1}")
    if year == plan.naming_year:
        result = None
    elif result is None and not fraud:
        return Item(designation_id, plan.naming_year, None, fraud, (), state, "awaiting_assessment")
    new, events = advance(state, year, result, fraud)
    return Item(designation_id, plan.naming_year, result, fraud, events, new)


def reward_outcome(program: str, as_of: dt.date, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """赣州 one-off reward for one craftsman, from the program computation."""
    outcome = get_computation(program, "reward").run({"as_of": as_of.isoformat(), "craftsmen": 1}, overrides)
    return outcome.to_dict()
