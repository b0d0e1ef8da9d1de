"""Yearly award quotas: awards counted against per-category and grouped quotas, then priced."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from jiangxin.policy.errors import FactsError
from jiangxin.policy.funding.money import ZERO, money
from jiangxin.policy.funding.subsidies import rate
from jiangxin.policy.outcome import Citation, Trace


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
