"""A document's parameters with a round's overrides: dated lookups, memoised per (name, date)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar, cast

from jiangxin.policy.errors import ParameterError
from jiangxin.policy.outcome import cite
from jiangxin.policy.parameters.values import Kind, Parameter, ParamValue, Source, parse_value

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
