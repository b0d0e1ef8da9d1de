"""Input facts of a computation: typed, strict, validated with errors that name field and expected form.

Every computation declares a :class:`Facts` subclass. ``as_of`` is always required: the date whose
parameters apply is part of the question, never a silent default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from jiangxin.policy.errors import FactsError

_EXPECTED = {
    "missing": "required field is missing",
    "date_from_datetime_parsing": "a date in the form YYYY-MM-DD",
    "date_parsing": "a date in the form YYYY-MM-DD",
    "date_type": "a date in the form YYYY-MM-DD",
    "decimal_parsing": "a decimal number such as \"1234.50\"",
    "decimal_type": "a decimal number such as \"1234.50\"",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "literal_error": "one of the allowed values",
    "enum": "one of the allowed values",
    "extra_forbidden": "not a known field (check the spelling against docs/rules-api.md)",
    "greater_than_equal": "a value at or above the minimum",
    "less_than_equal": "a value at or below the maximum",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "string_type": "a string",
}


class Facts(BaseModel):
    """Base of every computation's input."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    as_of: dt.date


F = TypeVar("F", bound=BaseModel)


def parse_facts(model: type[F], raw: Mapping[str, Any]) -> F:
    """Validate raw JSON-like input; raise FactsError listing every bad field and its expected form."""
    if not isinstance(raw, Mapping):
        raise FactsError([("(input)", "an object of facts")])
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "(input)"
            expected = _EXPECTED.get(err["type"], err["msg"])
            if err["type"] in {"literal_error", "enum"}:
                expected = err["msg"].replace("Input should be", "one of")
            elif err["type"] in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
                expected = err["msg"].replace("Input should be", "a value")
            got = err.get("input")
            suffix = "" if err["type"] == "missing" or isinstance(got, Mapping) else f" (got {got!r})"
            problems.append((field, expected + suffix))
        raise FactsError(problems) from None
