"""A policy ``Outcome`` as JSON bytes for the API, fast: the same data as ``Outcome.to_dict()``.

``to_dict`` walks every value of a trace through ``jsonable``'s chain of ``isinstance`` tests; serialising an
outcome that way costs many times the decision itself. Here the chain is run once per Python type: the first
value of a type picks its converter (the branch ``jsonable`` would take), later values of that type go
straight to it. A citation's dict is built once per citation, each step's dict once (failures and trace share
it), and orjson writes the bytes. No Django here: the policy benchmark (bench/run.py) times it too.
tests/platform/test_api_outcome_json.py checks the result against ``to_dict`` over every computation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import orjson

from jiangxin.policy.outcome import Citation, Outcome, Step

Converter = Callable[[Any], Any]
_CONVERTERS: dict[type, Converter] = {}
_CITATIONS: dict[Citation, dict[str, str]] = {}
_BY_ID: dict[int, tuple[Citation, dict[str, str]]] = {}


def _same(value: Any) -> Any:
    return value


def _enum(value: Any) -> Any:
    return value.value


def _isoformat(value: Any) -> Any:
    return value.isoformat()


def _citation(citation: Citation) -> dict[str, str]:
    # by identity first (citations are shared, ``cite`` caches them; hashing a frozen dataclass is not free),
    # keeping the citation so its id is not reused
    known = _BY_ID.get(id(citation))
    if known is not None and known[0] is citation:
        return known[1]
    out = _CITATIONS.get(citation)
    if out is None:
        out = _CITATIONS[citation] = citation.to_dict()
    _BY_ID[id(citation)] = (citation, out)
    return out


#: types ``jsonable`` returns as they are, checked inline in containers before a converter lookup
_PLAIN = frozenset({str, int, bool, float, type(None)})


def _mapping(value: Mapping[Any, Any]) -> dict[str, Any]:
    return {k if type(k) is str else str(k): v if type(v) in _PLAIN else convert(v) for k, v in value.items()}


def _sequence(value: Any) -> list[Any]:
    return [v if type(v) in _PLAIN else convert(v) for v in value]


def _compile(cls: type, sample: Any) -> Converter:
    """The converter for values of ``cls``: the branch ``jiangxin.policy.outcome.jsonable`` takes, in its
    order."""
    if sample is None or issubclass(cls, bool | int | str):
        return _same
    if issubclass(cls, Decimal):
        return str
    if issubclass(cls, float):
        return _same
    if issubclass(cls, dt.date):
        return _isoformat
    if issubclass(cls, enum.Enum):
        return _enum
    if issubclass(cls, Citation):
        return _citation
    if issubclass(cls, Outcome):
        return _outcome
    if hasattr(sample, "to_dict"):
        return lambda value: convert(value.to_dict())
    if dataclasses.is_dataclass(cls):
        names = tuple(f.name for f in dataclasses.fields(cls))
        return lambda value: {name: convert(getattr(value, name)) for name in names}
    if hasattr(sample, "model_dump"):
        return lambda value: convert(value.model_dump())
    if issubclass(cls, Mapping):
        return _mapping
    if issubclass(cls, list | tuple | set | frozenset):
        return _sequence
    raise TypeError(f"cannot serialise {cls.__name__} in a trace")


def convert(value: Any) -> Any:
    """``jsonable(value)``, with the converter of ``type(value)`` compiled on first sight."""
    conv = _CONVERTERS.get(type(value))
    if conv is None:
        conv = _CONVERTERS[type(value)] = _compile(type(value), value)
    return conv(value)


def _step(step: Step) -> dict[str, Any]:
    result = step.result
    out: dict[str, Any] = {"rule": step.rule, "citation": _citation(step.citation),
                           "result": result if type(result) in _PLAIN else convert(result)}
    if step.inputs:
        out["inputs"] = _mapping(step.inputs) if type(step.inputs) is dict else convert(step.inputs)
    if step.parameters:
        out["parameters"] = _mapping(step.parameters) if type(step.parameters) is dict else convert(step.parameters)
    if step.passed is not None:
        out["passed"] = step.passed
    if step.note:
        out["note"] = step.note
    return out


def _outcome(outcome: Outcome[Any]) -> dict[str, Any]:
    steps = [_step(s) for s in outcome.trace]
    return {"value": convert(outcome.value), "status": outcome.status.value,
            "failures": [d for s, d in zip(outcome.trace, steps, strict=True) if s.passed is False],
            "trace": steps}


def outcome_data(outcome: Outcome[Any]) -> dict[str, Any]:
    """Equal to ``outcome.to_dict()``. Citation dicts are shared between calls and a failure's dict is its
    trace step's: read it or serialise it, do not change it."""
    return _outcome(outcome)


def outcome_json(outcome: Outcome[Any]) -> bytes:
    """``outcome.to_dict()`` as UTF-8 JSON (the same data as Django Ninja's rendering of it)."""
    return orjson.dumps(_outcome(outcome), option=orjson.OPT_NON_STR_KEYS)
