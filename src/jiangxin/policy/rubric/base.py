"""Shared by the rubric engine: the error, label and number checks, and canonical decimals."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, cast

from pydantic import ConfigDict

from jiangxin.policy.errors import PolicyError

ZERO = Decimal(0)
MAX_LABEL = 19  # titles and labels stay short paraphrases (a policy sentence is far longer)
_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


class RubricError(PolicyError):
    """A rubric file is malformed: the message names the file, the item and what was expected."""


def _dec(raw: Any, where: str) -> Decimal:
    if isinstance(raw, bool) or raw is None:
        raise RubricError(f"{where}: expected a number, got {raw!r}")
    try:
        value = Decimal(repr(raw) if isinstance(raw, float) else str(raw))
    except InvalidOperation as exc:
        raise RubricError(f"{where}: expected a number, got {raw!r}") from exc
    if not value.is_finite():
        raise RubricError(f"{where}: expected a finite number, got {raw!r}")
    return _norm(value)


def _label(raw: Any, where: str) -> str:
    text = str(raw).strip()
    if not text:
        raise RubricError(f"{where}: a label must not be empty")
    if len(text) > MAX_LABEL:
        raise RubricError(f"{where}: {text!r} is too long ({len(text)} > {MAX_LABEL} characters): use a short "
                          f"paraphrase, never the policy's sentence")
    return text


def _mapping(raw: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping) or not raw:
        raise RubricError(f"{where}: expected a non-empty mapping")
    return cast(Mapping[str, Any], raw)


def _fmt(value: Decimal) -> str:
    """Plain notation without trailing zeros (2, 0.5, 1.5); fast path for the common forms."""
    text = str(value)
    if "E" in text or "e" in text:
        text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _norm(value: Decimal) -> Decimal:
    """Canonical form: 86.0 → 86, 2.50 → 2.5 (never an exponent form such as 1E+2)."""
    text = str(value)
    if "." not in text and "E" not in text:
        return value
    return Decimal(_fmt(value))


def _literal(labels: Sequence[str]) -> Any:
    return cast(Any, Literal).__getitem__(tuple(labels))


def _unique(value: Any) -> Any:
    if isinstance(value, list) and len(set(value)) != len(value):
        raise ValueError("each label at most once")
    return value


def _ticked(value: Any) -> list[str]:
    """The labels that apply, from a list of labels or a mapping label → bool."""
    if isinstance(value, dict):
        return [k for k, v in value.items() if v]
    return list(value)


def _get(value: Any, name: str) -> Any:
    return value[name] if isinstance(value, dict) else getattr(value, name)


_MODEL_CONFIG = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
