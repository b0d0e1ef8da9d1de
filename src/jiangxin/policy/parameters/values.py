"""The kinds of parameter value (scalar, table, bands, shares, duration, unset) and how a raw one is read."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from bisect import bisect_right
from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from jiangxin.policy.errors import ParameterError, UnsetParameterError
from jiangxin.policy.outcome import Citation


class Kind(enum.StrEnum):
    SCALAR = "scalar"
    TABLE = "table"
    BANDS = "bands"
    SHARES = "shares"
    DURATION = "duration"
    UNSET = "unset"


class Source(enum.StrEnum):
    POLICY = "policy"                # printed in the document
    INTERPRETATION = "interpretation"  # our documented reading of the document
    OFFICE = "office"                # supplied by an office for a round / year (not set by the policy)


class DurationUnit(enum.StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"
    YEARS = "years"


@dataclasses.dataclass(frozen=True, slots=True)
class Duration:
    amount: int
    unit: DurationUnit
    at_least: bool = False  # "不少于": the window may be longer, never shorter

    def to_dict(self) -> dict[str, Any]:
        return {"amount": self.amount, "unit": self.unit.value, "at_least": self.at_least}


@dataclasses.dataclass(frozen=True, slots=True)
class Band:
    minimum: Decimal
    label: str


@dataclasses.dataclass(frozen=True, slots=True)
class Bands:
    """Ascending thresholds: a score at or above ``minimum`` (以上 includes the number) gets ``label``."""

    bands: tuple[Band, ...]
    below: str  # label for scores below the lowest band

    def label_for(self, score: Decimal) -> str:
        label = self.below
        for band in self.bands:
            if score >= band.minimum:
                label = band.label
        return label

    def minimum_of(self, label: str) -> Decimal:
        for band in self.bands:
            if band.label == label:
                return band.minimum
        raise ParameterError(f"no band labelled {label!r}")

    def to_dict(self) -> dict[str, Any]:
        return {"below": self.below, "bands": [{"min": str(b.minimum), "label": b.label} for b in self.bands]}


@dataclasses.dataclass(frozen=True, slots=True)
class Shares:
    """Proportional split (e.g. 3:3:4) of a total into exact Decimal parts; the last part takes any cent."""

    parts: tuple[Decimal, ...]

    def split(self, total: Decimal) -> tuple[Decimal, ...]:
        """``total`` in fen by the shares: every share but the last rounded down, the last takes the remainder — so
        no share is ever negative and the shares add up to the total exactly."""
        whole = sum(self.parts, Decimal(0))
        amounts = [(total * p / whole).quantize(Decimal("0.01"), rounding=ROUND_DOWN) for p in self.parts[:-1]]
        amounts.append(total - sum(amounts, Decimal(0)))
        return tuple(amounts)

    def to_dict(self) -> dict[str, Any]:
        return {"parts": [str(p) for p in self.parts]}


@dataclasses.dataclass(frozen=True, slots=True)
class ParamValue:
    """A parameter's value on a date, with where it comes from."""

    name: str
    value: Any
    citation: Citation
    since: dt.date
    source: Source
    interpretation: str = ""

    def to_dict(self) -> dict[str, Any]:
        from jiangxin.policy.outcome import jsonable

        out = {"name": self.name, "value": jsonable(self.value), "citation": self.citation.to_dict(),
               "since": self.since.isoformat(), "source": self.source.value}
        if self.interpretation:
            out["interpretation"] = self.interpretation
        return out


@dataclasses.dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    kind: Kind
    title: str
    unit: str
    entries: tuple[ParamValue, ...]  # ascending by ``since``
    expects: Kind | None = None      # for ``unset``: the kind an office must supply
    citation: Citation | None = None  # for ``unset``: the article that leaves the value open
    #: The entries' ``since`` dates, ascending (derived; for a binary search in ``value_on``).
    sinces: tuple[dt.date, ...] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if any(a.since > b.since for a, b in zip(self.entries, self.entries[1:], strict=False)):
            raise ParameterError(f"parameter {self.name!r}: entries must be in ascending order of since")
        object.__setattr__(self, "sinces", tuple(e.since for e in self.entries))

    def value_on(self, day: dt.date, document: str) -> ParamValue:
        """The entry in force on ``day``: the last one whose ``since`` is on or before it."""
        if self.kind is Kind.UNSET:
            raise UnsetParameterError(self.name, document)
        i = bisect_right(self.sinces, day)
        if i == 0:
            raise ParameterError(f"parameter {self.name!r} of {document} is not in force on {day.isoformat()}"
                                 f" (earliest value from {self.entries[0].since.isoformat()})")
        return self.entries[i - 1]


def _decimal(raw: Any, where: str) -> Decimal:
    if isinstance(raw, bool):
        raise ParameterError(f"{where}: expected a number, got a boolean")
    if isinstance(raw, float):
        raw = repr(raw)
    try:
        return Decimal(str(raw))
    except InvalidOperation as exc:
        raise ParameterError(f"{where}: expected a number, got {raw!r}") from exc


def _scalar(raw: Any, where: str) -> Any:
    if isinstance(raw, bool | str) and not _looks_numeric(raw):
        return raw
    return _decimal(raw, where)


def _looks_numeric(raw: Any) -> bool:
    if not isinstance(raw, str):
        return False
    try:
        Decimal(raw)
    except InvalidOperation:
        return False
    return True


def parse_value(kind: Kind, raw: Any, where: str) -> Any:
    """Turn a raw YAML/JSON value into the typed value of ``kind``; raises ParameterError naming ``where``."""
    if kind is Kind.SCALAR:
        return _scalar(raw, where)
    if kind is Kind.TABLE:
        if not isinstance(raw, Mapping):
            raise ParameterError(f"{where}: expected a table (mapping of key to value)")
        return {str(k): _scalar(v, f"{where}.{k}") for k, v in raw.items()}
    if kind is Kind.BANDS:
        if not isinstance(raw, Mapping) or "bands" not in raw or "below" not in raw:
            raise ParameterError(f"{where}: expected {{below: label, bands: [{{min: n, label: l}}, ...]}}")
        bands = tuple(Band(_decimal(b["min"], f"{where}.min"), str(b["label"])) for b in raw["bands"])
        if list(bands) != sorted(bands, key=lambda b: b.minimum):
            raise ParameterError(f"{where}: bands must be in ascending order of min")
        return Bands(bands, str(raw["below"]))
    if kind is Kind.SHARES:
        if not isinstance(raw, list | tuple) or not raw:
            raise ParameterError(f"{where}: expected a list of shares such as [3, 3, 4]")
        parts = tuple(_decimal(p, where) for p in raw)
        if any(p <= 0 for p in parts):
            raise ParameterError(f"{where}: every share must be positive")
        return Shares(parts)
    if kind is Kind.DURATION:
        if not isinstance(raw, Mapping) or "amount" not in raw or "unit" not in raw:
            raise ParameterError(f"{where}: expected {{amount: n, unit: calendar_days|working_days|months|years}}")
        try:
            unit = DurationUnit(raw["unit"])
        except ValueError as exc:
            raise ParameterError(f"{where}: unknown duration unit {raw['unit']!r}") from exc
        return Duration(int(raw["amount"]), unit, bool(raw.get("at_least", False)))
    raise ParameterError(f"{where}: kind {kind} has no value")
