"""A chart and the table beside it: one object the page, the JavaScript and the XLSX export all read.

The page renders ``columns``/``rows`` as an HTML table; ``spec()`` is the data the static script hands to
ECharts (no executable code); ``rows`` holds plain numbers (int or Decimal) and labels, never reprs."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

Number = int | Decimal
#: a value of a series: ``None`` where it is undefined (a rate over nobody), shown as “—” and left out of the chart
Value = Number | None


@dataclasses.dataclass(slots=True)
class Series:
    name: str
    values: list[Value]
    kind: str = "bar"            # bar, line (a target or a rate over bars)


@dataclasses.dataclass(slots=True)
class Chart:
    """``kind``: bar, funnel or pie. ``categories`` label the x axis (or the funnel's steps / pie's slices)."""

    key: str
    title: str
    kind: str
    categories: list[str]
    series: list[Series]
    note: str = ""               # the definition the numbers follow
    cite: str = ""               # the article they follow (Chinese by design: shown as data after the note)
    unit: str = ""               # the caption of the unit, e.g. 单位：元
    total: bool = True           # add a 合计 row to the table
    data_categories: bool = False  # the categories are names from the registry (programs, organisations, grades)

    @property
    def columns(self) -> list[str]:
        return [s.name for s in self.series]

    @property
    def rows(self) -> list[list[Any]]:
        return [[c, *[s.values[i] for s in self.series]] for i, c in enumerate(self.categories)]

    @property
    def totals(self) -> list[Number] | None:
        if not self.total:
            return None
        out: list[Number] = []
        for s in self.series:
            present = [v for v in s.values if v is not None]
            out.append(sum(present, start=Decimal("0.00") if any(isinstance(v, Decimal) for v in present) else 0))
        return out

    @property
    def empty(self) -> bool:
        return not self.categories

    def spec(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "kind": self.kind, "categories": self.categories,
                "unit": self.unit,
                "series": [{"name": s.name, "kind": s.kind, "values": [_plain(v) for v in s.values]}
                           for s in self.series]}


def _plain(value: Value) -> int | float | None:
    # chart geometry only: the table and the XLSX keep the exact Decimal
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else int(value)


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, two decimals (``None`` when ``whole`` is 0: no rate over nobody)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))
