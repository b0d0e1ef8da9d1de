"""Aggregating the experts' signed sheets into one panel result (pure Decimal arithmetic, no Django).

* ``mean`` (default): the plain mean of the experts' totals and, per item, of their awarded points.
* ``trimmed_mean``: when at least ``trim_min_experts`` sheets count, the ``trim_count`` sheets with the highest
  totals and the ``trim_count`` with the lowest are set aside (whole sheets, so the item means still add up to
  the total); fewer sheets → plain mean, said so in the outcome (I-PANEL-01).
* A veto on any counted sheet vetoes the result (一票否决, I-PANEL-02) — trimmed sheets included.
* Means are rounded to 0.01 half-up (I-PANEL-03).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal(0)


@dataclasses.dataclass(frozen=True, slots=True)
class SheetScore:
    """One expert's signed sheet: ``key`` identifies the sheet (its id), ``expert`` the expert's name."""

    key: int
    expert: str
    total: Decimal
    vetoed: bool
    items: dict[str, Decimal]


@dataclasses.dataclass(frozen=True, slots=True)
class Aggregate:
    total: Decimal
    vetoed: bool
    items: dict[str, Decimal]
    method: str            # the method actually applied (trimmed_mean falls back to mean below the minimum)
    counted: list[int]     # sheet keys averaged
    trimmed: list[int]     # sheet keys set aside
    outcome: dict[str, Any]


def _mean(values: Sequence[Decimal]) -> Decimal:
    if not values:
        return ZERO
    return (sum(values, ZERO) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)


def aggregate(sheets: Sequence[SheetScore], *, method: str = "mean", trim_count: int = 1,
              trim_min_experts: int = 5) -> Aggregate:
    """Aggregate ``sheets`` by ``method``; the outcome lists every expert's total and what was trimmed."""
    if method not in ("mean", "trimmed_mean"):
        raise ValueError(f"unknown aggregation method {method!r}")
    if trim_count < 0 or trim_min_experts < 2 * trim_count + 1:
        raise ValueError("trim_min_experts must leave at least one sheet after trimming")
    ordered = sorted(sheets, key=lambda s: (s.total, s.key))
    applied = method
    trimmed: list[SheetScore] = []
    kept = list(ordered)
    note = ""
    if method == "trimmed_mean":
        if len(ordered) >= trim_min_experts and trim_count > 0:
            trimmed = ordered[:trim_count] + ordered[-trim_count:]
            kept = ordered[trim_count:-trim_count]
            note = f"去掉最高分、最低分各 {trim_count} 个后平均"
        else:
            applied = "mean"
            note = f"有效评分 {len(ordered)} 份，少于 {trim_min_experts} 份，按算术平均"
    keys: list[str] = []
    for s in sheets:
        for k in s.items:
            if k not in keys:
                keys.append(k)
    items = {k: _mean([s.items.get(k, ZERO) for s in kept]) for k in keys}
    total = _mean([s.total for s in kept])
    vetoes = [s for s in ordered if s.vetoed]
    trimmed_keys = {s.key for s in trimmed}
    outcome: dict[str, Any] = {
        "method": method, "applied": applied, "note": note, "trim_count": trim_count,
        "trim_min_experts": trim_min_experts, "rounding": "0.01 half-up",
        "experts": [{"sheet": s.key, "expert": s.expert, "total": str(s.total), "vetoed": s.vetoed,
                     "trimmed": s.key in trimmed_keys} for s in sorted(sheets, key=lambda s: s.key)],
        "trimmed": [{"sheet": s.key, "expert": s.expert, "total": str(s.total),
                     "side": "lowest" if i < trim_count else "highest"} for i, s in enumerate(trimmed)],
        "total": str(total), "items": {k: str(v) for k, v in items.items()},
        "vetoed": bool(vetoes), "vetoed_by": [s.expert for s in vetoes],
        "interpretations": ["I-PANEL-01", "I-PANEL-02", "I-PANEL-03"],
    }
    return Aggregate(total, bool(vetoes), items, applied, [s.key for s in kept], [s.key for s in trimmed], outcome)
