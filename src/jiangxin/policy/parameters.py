"""Dated parameters loaded from YAML, each value keyed by effective date and carrying its citation.

Kinds: ``scalar``, ``table`` (key → value), ``bands`` (threshold → label), ``shares`` (3:3:4),
``duration`` (N calendar days / working days / months / years, optionally "at least") and ``unset``
(the document leaves the value to an office; it must be supplied as an override).

YAML layout (one file per program)::

    document: nanchang_academy
    parameters:
      tranche_shares:
        kind: shares
        title: 补助资金分笔比例
        values:
          - since: 2023-01-01
            value: [3, 3, 4]
            cite: {article: 第二十条}
      park_pass_mark:
        kind: unset
        expects: scalar
        title: 考核合格分数线
        cite: {article: 五（二）}

A value may carry ``interpretation: I-xx`` when it encodes a reading listed in
``docs/interpretations.md`` rather than a figure printed in the document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from bisect import bisect_right
from collections.abc import Callable, Mapping
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar, cast

import yaml

from jiangxin.policy.errors import ParameterError, UnsetParameterError
from jiangxin.policy.outcome import Citation, cite


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


def _citation(document: str, raw: Any, where: str) -> Citation:
    if not isinstance(raw, Mapping) or "article" not in raw:
        raise ParameterError(f"{where}: every value needs cite: {{article: ...}}")
    return cite(str(raw.get("document", document)), str(raw["article"]), str(raw.get("clause", "")))


def _parse_parameter(document: str, name: str, raw: Mapping[str, Any]) -> Parameter:
    where = f"{document}.{name}"
    try:
        kind = Kind(raw["kind"])
    except (KeyError, ValueError) as exc:
        raise ParameterError(f"{where}: kind must be one of {[k.value for k in Kind]}") from exc
    title = str(raw.get("title", name))
    unit = str(raw.get("unit", ""))
    if kind is Kind.UNSET:
        expects = Kind(raw.get("expects", "scalar"))
        return Parameter(name, kind, title, unit, (), expects, _citation(document, raw.get("cite"), where))
    entries = []
    for i, item in enumerate(raw.get("values") or []):
        since = item.get("since")
        if not isinstance(since, dt.date):
            raise ParameterError(f"{where}.values[{i}]: since must be a date (YYYY-MM-DD)")
        interpretation = str(item.get("interpretation", ""))
        entries.append(ParamValue(
            name, parse_value(kind, item.get("value"), f"{where}.values[{i}]"),
            _citation(document, item.get("cite"), f"{where}.values[{i}]"), since,
            Source.INTERPRETATION if interpretation else Source.POLICY, interpretation))
    if not entries:
        raise ParameterError(f"{where}: no values")
    entries.sort(key=lambda e: e.since)
    return Parameter(name, kind, title, unit, tuple(entries))


T = TypeVar("T")

#: Entries a set remembers before it starts over (a program's set lives for the process; dates vary).
_MEMO_LIMIT = 4096


class ParameterSet:
    """The parameters of one document, with any office-supplied overrides for a round or year.

    Immutable: ``parameters`` and ``overrides`` are read-only views and ``with_overrides`` returns a new
    set. That is what lets a set remember what it has answered: ``get`` is memoised per (name, date)
    and ``derive`` per (builder, date), in the set itself, so a hot path may call them freely.
    """

    __slots__ = ("_derived", "_memo", "document", "overrides", "parameters")

    def __init__(self, document: str, parameters: Mapping[str, Parameter],
                 overrides: Mapping[str, ParamValue] | None = None):
        self.document = document
        self.parameters: Mapping[str, Parameter] = MappingProxyType(dict(parameters))
        self.overrides: Mapping[str, ParamValue] = MappingProxyType(dict(overrides or {}))
        self._memo: dict[tuple[str, dt.date], ParamValue] = {}
        self._derived: dict[tuple[Callable[..., Any], dt.date], Any] = {}

    def get(self, name: str, on: dt.date) -> ParamValue:
        """The value of ``name`` in force on ``on`` (an override wins); errors are raised, never cached."""
        key = (name, on)
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        value = self.overrides.get(name)
        if value is None:
            try:
                parameter = self.parameters[name]
            except KeyError:
                raise ParameterError(f"{self.document} has no parameter {name!r}") from None
            value = parameter.value_on(on, self.document)
        memo = self._memo
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        memo[key] = value
        return value

    def derive(self, build: Callable[[ParameterSet, dt.date], T], on: dt.date) -> T:
        """``build(self, on)``, computed once per (``build``, date) for this set.

        For a computation's hot path that reads several parameters together and checks or reshapes
        them (``build`` must be a pure module-level function of the set and the date)."""
        key = (build, on)
        derived = self._derived
        if key in derived:
            return cast(T, derived[key])
        value = build(self, on)
        if len(derived) >= _MEMO_LIMIT:
            derived.clear()
        derived[key] = value
        return value

    def value(self, name: str, on: dt.date) -> Any:
        return self.get(name, on).value

    def unset(self) -> list[Parameter]:
        """Parameters the document leaves to an office and that no override supplies yet."""
        return [p for p in self.parameters.values() if p.kind is Kind.UNSET and p.name not in self.overrides]

    def with_overrides(self, values: Mapping[str, Any], *, source: Source = Source.OFFICE,
                       since: dt.date = dt.date(1900, 1, 1), reference: str = "") -> ParameterSet:
        """A copy where ``values`` (raw, as an office enters them) replace or fill parameters.

        ``reference`` names the office's notice (e.g. a round's document number) and is cited.
        """
        merged = dict(self.overrides)
        for name, raw in values.items():
            try:
                parameter = self.parameters[name]
            except KeyError:
                raise ParameterError(f"{self.document} has no parameter {name!r}") from None
            kind = parameter.expects if parameter.kind is Kind.UNSET else parameter.kind
            assert kind is not None
            value = parse_value(kind, raw, f"{self.document}.{name}")
            base = parameter.citation if parameter.kind is Kind.UNSET else parameter.entries[-1].citation
            assert base is not None
            citation = cite("office", reference or "年度通知", f"（{base.label}）")
            merged[name] = ParamValue(name, value, citation, since, source)
        return ParameterSet(self.document, self.parameters, merged)

    def describe(self) -> list[dict[str, Any]]:
        """Every parameter with its current entries, for documentation and the UI."""
        from jiangxin.policy.outcome import jsonable

        rows = []
        for p in self.parameters.values():
            row: dict[str, Any] = {"name": p.name, "kind": p.kind.value, "title": p.title, "unit": p.unit}
            if p.kind is Kind.UNSET:
                row["expects"] = p.expects.value if p.expects else None
                row["citation"] = p.citation.to_dict() if p.citation else None
                if p.name in self.overrides:
                    row["override"] = self.overrides[p.name].to_dict()
            else:
                row["values"] = [{"since": e.since.isoformat(), "value": jsonable(e.value),
                                  "citation": e.citation.to_dict(), "source": e.source.value,
                                  "interpretation": e.interpretation} for e in p.entries]
            rows.append(row)
        return rows


def load_parameters(path: Path) -> ParameterSet:
    """Load one program's parameter file; every error names the parameter and the expected form."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping) or "document" not in data:
        raise ParameterError(f"{path}: expected a mapping with 'document' and 'parameters'")
    document = str(data["document"])
    parameters = {str(name): _parse_parameter(document, str(name), raw)
                  for name, raw in (data.get("parameters") or {}).items()}
    return ParameterSet(document, parameters)


@cache
def load_program_parameters(paths: tuple[Path, ...]) -> ParameterSet:
    """Load and merge a program's parameter files once per process (they ship with the package).

    A name defined in two files, or files naming different documents, is an error.
    """
    if not paths:
        raise ParameterError("a program needs at least one parameters*.yaml file")
    merged: dict[str, Parameter] = {}
    document = ""
    for path in paths:
        part = load_parameters(path)
        if document and part.document != document:
            raise ParameterError(f"{path}: document {part.document!r} differs from {document!r}")
        document = part.document
        for name, parameter in part.parameters.items():
            if name in merged:
                raise ParameterError(f"{path}: parameter {name!r} is defined twice")
            merged[name] = parameter
    return ParameterSet(document, merged)
