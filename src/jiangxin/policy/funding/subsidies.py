"""Rate tables with caps: subsidy lines (quantity × rate, or base × share), their total and the cap."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from jiangxin.policy.errors import FactsError
from jiangxin.policy.funding.money import ZERO, money
from jiangxin.policy.outcome import Citation, Outcome, Status, Trace


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
