"""Reading a program's parameter YAML files into one ParameterSet (once per process)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from jiangxin.policy.errors import ParameterError
from jiangxin.policy.outcome import Citation, cite
from jiangxin.policy.parameters.parameter_set import ParameterSet
from jiangxin.policy.parameters.values import Kind, Parameter, ParamValue, Source, parse_value


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
