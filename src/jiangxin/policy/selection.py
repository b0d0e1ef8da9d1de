"""Selection machines: ranking with ties and priority, quota cuts, and grade distribution caps.

* :func:`rank` orders candidates by score (desc), then ``priority`` (desc) — priority only separates
  candidates whose scores are equal — and gives still-equal candidates the same rank (competition
  ranking 1, 2, 2, 4). Candidates sharing a rank are listed by ``key`` so the result never depends on
  the order of the input.
* :func:`select_within_quota` cuts a ranking at a quota. A group of tied candidates that straddles the
  cut is not split automatically: it is reported as ``tie_at_cut`` and the office decides
  (interpretation I-SEL-01).
* :func:`cap_grades` enforces distribution caps such as "优秀 at most 30%": the count allowed for a grade
  is floor(share × number of items) (interpretation I-SEL-02); the overflow is demoted one grade at a
  time, lowest scores first, into the next grade, which is then capped in turn.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from decimal import ROUND_FLOOR, Decimal

from jiangxin.policy.errors import PolicyError
from jiangxin.policy.outcome import Citation, Trace

__all__ = ["Candidate", "Ranked", "Selection", "SelectionError", "cap_grades", "rank", "select_within_quota"]


class SelectionError(PolicyError):
    """Selection input that cannot be ranked or capped (duplicate keys, negative quota, unknown grade…)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Candidate:
    """One candidate: a unique key, its score and a priority used only among equal scores."""

    key: str
    score: Decimal
    priority: int = 0


@dataclasses.dataclass(frozen=True, slots=True)
class Ranked:
    """A ranked candidate; ``tied`` is true when another candidate shares the same rank."""

    key: str
    rank: int
    score: Decimal
    priority: int
    tied: bool


@dataclasses.dataclass(frozen=True, slots=True)
class Selection:
    """Result of a quota cut.

    ``selected`` fit within the quota; ``tie_at_cut`` is the tied group straddling the cut (none of
    them is selected automatically); ``reserve`` is everyone ranked below the cut (excluding
    ``tie_at_cut``), in rank order.
    """

    selected: list[Ranked]
    reserve: list[Ranked]
    tie_at_cut: list[Ranked]

    def to_dict(self) -> dict[str, object]:
        return {"selected": [r.key for r in self.selected], "tie_at_cut": [r.key for r in self.tie_at_cut],
                "reserve": [r.key for r in self.reserve]}


def _order_key(c: Candidate) -> tuple[Decimal, int, str]:
    return (-c.score, -c.priority, c.key)


def rank(candidates: Sequence[Candidate]) -> list[Ranked]:
    """Rank by score desc, then priority desc; equal candidates share a rank and are ordered by key."""
    seen: set[str] = set()
    for c in candidates:
        if c.key in seen:
            raise SelectionError(f"candidate key {c.key!r} appears twice: every candidate needs a unique key")
        if not c.score.is_finite():
            raise SelectionError(f"candidate {c.key!r}: score must be a finite decimal, got {c.score}")
        seen.add(c.key)
    ordered = sorted(candidates, key=_order_key)
    out: list[Ranked] = []
    n = len(ordered)
    i = 0
    while i < n:
        j = i + 1
        head = ordered[i]
        while j < n and ordered[j].score == head.score and ordered[j].priority == head.priority:
            j += 1
        tied = j - i > 1
        out.extend(Ranked(c.key, i + 1, c.score, c.priority, tied) for c in ordered[i:j])
        i = j
    return out


def select_within_quota(ranked: Sequence[Ranked], quota: int, trace: Trace, citation: Citation) -> Selection:
    """Cut a ranking at ``quota``; a tied group straddling the cut goes to ``tie_at_cut`` (I-SEL-01)."""
    if quota < 0:
        raise SelectionError(f"quota must be zero or more, got {quota}")
    ordered = sorted(ranked, key=lambda r: (r.rank, r.key))
    selected: list[Ranked] = []
    tie: list[Ranked] = []
    reserve: list[Ranked] = []
    n = len(ordered)
    i = 0
    while i < n:
        j = i + 1
        while j < n and ordered[j].rank == ordered[i].rank:
            j += 1
        group = ordered[i:j]
        if tie or len(selected) >= quota:
            reserve.extend(group)
        elif len(selected) + len(group) <= quota:
            selected.extend(group)
        else:
            tie.extend(group)
        i = j
    note = ""
    if tie:
        note = (f"{len(tie)} candidates tie at rank {tie[0].rank} across the cut; "
                f"{quota - len(selected)} place(s) left to the office (I-SEL-01)")
    trace.add("quota_cut", citation,
              {"selected": [r.key for r in selected], "tie_at_cut": [r.key for r in tie]},
              inputs={"candidates": n}, parameters={"quota": quota}, note=note)
    return Selection(selected, reserve, tie)


def _allowed(share: Decimal, n: int) -> int:
    return int((share * n).to_integral_value(rounding=ROUND_FLOOR))


def cap_grades(items: Sequence[tuple[str, Decimal, str]], caps: Mapping[str, Decimal], order: Sequence[str],
               trace: Trace, citation: Citation) -> dict[str, str]:
    """Apply grade-share caps; returns key → final grade. Each demotion is a trace step.

    ``order`` lists grades best first. For a capped grade the count allowed is floor(share × n)
    (I-SEL-02); the overflow, lowest scores first (equal scores: later key first), moves to the next
    grade, which is capped in turn. Grades are only ever lowered.
    """
    position = {g: i for i, g in enumerate(order)}
    if len(position) != len(order):
        raise SelectionError("order lists a grade twice")
    for grade, share in caps.items():
        if grade not in position:
            raise SelectionError(f"cap for unknown grade {grade!r}; known grades: {list(order)}")
        if not share.is_finite() or share < 0 or share > 1:
            raise SelectionError(f"cap for {grade!r} must be a share between 0 and 1, got {share}")
        if position[grade] == len(order) - 1:
            raise SelectionError(f"the lowest grade {grade!r} cannot be capped: nothing to demote into")
    final: dict[str, str] = {}
    scores: dict[str, Decimal] = {}
    for key, score, grade in items:
        if key in final:
            raise SelectionError(f"item key {key!r} appears twice")
        if grade not in position:
            raise SelectionError(f"item {key!r}: unknown grade {grade!r}; known grades: {list(order)}")
        final[key] = grade
        scores[key] = score
    n = len(items)
    for grade in order:
        if grade not in caps:
            continue
        cap = caps[grade]
        allowed = _allowed(cap, n)
        members = [k for k, g in final.items() if g == grade]
        if len(members) <= allowed:
            continue
        lower = order[position[grade] + 1]
        # lowest score first; among equal scores the later key goes first, so the kept ones read in key order
        members.sort(key=lambda k: (scores[k], _Reverse(k)))
        for key in members[: len(members) - allowed]:
            final[key] = lower
            trace.add("grade_cap", citation, {"key": key, "from": grade, "to": lower},
                      inputs={"score": scores[key], "in_grade": len(members), "items": n},
                      parameters={"share": cap, "allowed": allowed})
    return final


@dataclasses.dataclass(frozen=True, slots=True)
class _Reverse:
    """Sort helper: orders strings descending inside an ascending sort."""

    value: str

    def __lt__(self, other: _Reverse) -> bool:
        return self.value > other.value
