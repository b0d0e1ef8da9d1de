"""A rubric as a value: sections of items, each item with its points, citation and scorer."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from jiangxin.policy.outcome import Citation
from jiangxin.policy.rubric.base import ZERO
from jiangxin.policy.rubric.scorers import Scorer


@dataclasses.dataclass(frozen=True, slots=True)
class Item:
    key: str
    section: str
    title: str
    points: Decimal
    citation: Citation
    scorer: Scorer
    interpretation: str = ""

    @property
    def kind(self) -> str:
        return self.scorer.kind

    @property
    def rule(self) -> str:
        return self.key


@dataclasses.dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    points: Decimal
    group: str = ""


@dataclasses.dataclass(frozen=True, eq=False)
class Rubric:
    """A scoring table (评分细则): sections of items, each with points, a kind and a citation."""

    key: str
    title: str
    document: str
    citation: Citation
    max_total: Decimal
    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    official: bool = True
    notice: str = ""
    source: str = ""

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    @property
    def groups(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for s in self.sections:
            if s.group:
                out[s.group] = out.get(s.group, ZERO) + s.points
        return out
