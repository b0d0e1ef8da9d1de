"""A scored rubric: the per-item breakdown and the totals (section and group subtotals, veto)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any


@dataclasses.dataclass(slots=True)
class ItemScore:
    """One item's (or part's) score: raw before capping, awarded after, the cap and a short detail.

    Not frozen only because a frozen dataclass costs ~2 µs per instance; treat it as read-only.
    """

    key: str
    title: str
    section: str
    raw: Decimal
    awarded: Decimal
    cap: Decimal | None
    capped: bool
    detail: str
    parts: tuple[ItemScore, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "title": self.title, "section": self.section,
                               "raw": str(self.raw), "awarded": str(self.awarded),
                               "cap": None if self.cap is None else str(self.cap),
                               "capped": self.capped, "detail": self.detail}
        if self.parts:
            out["parts"] = [p.to_dict() for p in self.parts]
        return out


@dataclasses.dataclass(slots=True)
class RubricResult:
    """The scored rubric: total, per-item breakdown, whether a veto item fired, and section subtotals."""

    total: Decimal
    items: list[ItemScore]
    vetoed: bool
    sections: dict[str, Decimal]
    groups: dict[str, Decimal] = dataclasses.field(default_factory=dict)  # e.g. base / bonus subtotals

    def item(self, key: str) -> ItemScore:
        for score in self.items:
            if score.key == key:
                return score
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"total": str(self.total), "vetoed": self.vetoed,
                               "sections": {k: str(v) for k, v in self.sections.items()},
                               "breakdown": [i.to_dict() for i in self.items]}
        if self.groups:
            out["groups"] = {k: str(v) for k, v in self.groups.items()}
        return out
