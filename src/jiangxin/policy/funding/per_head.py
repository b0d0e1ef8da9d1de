"""Per-head funding over a window of years, and one-off rewards per recipient."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from jiangxin.policy.errors import FactsError
from jiangxin.policy.funding.money import ZERO, money
from jiangxin.policy.outcome import Citation, Trace


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
