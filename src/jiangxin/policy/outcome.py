"""Outcome, trace and citation: the value of a decision plus why (依据).

Kept deliberately light (slots dataclasses, pre-built citations) because a decision with its full
trace must take a few microseconds: see ``bench/``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import Any, Generic, TypeVar

#: Short names of the documents the product cites, as shown to users.
DOCUMENTS: dict[str, str] = {
    "nanchang_academy": "南昌工匠学院办法",
    "nanchang_studio": "南昌创新工作室办法",
    "zhenjiang_park": "镇江技能大师产业创新园意见",
    "ganzhou_craftsman": "赣州工匠办法",
    "jiangsu_technician": "江苏卓越技师办法",
    "npcsc_retirement_2024": "全国人大常委会关于实施渐进式延迟法定退休年龄的决定（2024）",
    "holiday_notice": "国务院办公厅部分节假日安排通知",
    "gb11643": "GB 11643《公民身份号码》",
    "gb32100": "GB 32100《法人和其他组织统一社会信用代码编码规则》",
    "interpretation": "匠心解释口径（docs/interpretations.md）",
    "office": "主管部门年度通知",
}


@dataclasses.dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule comes from: document key, article (as printed) and optional clause."""

    document: str
    article: str
    clause: str = ""

    def __post_init__(self) -> None:
        if self.document not in DOCUMENTS:
            raise ValueError(f"unknown document {self.document!r}")

    @property
    def label(self) -> str:
        return f"{DOCUMENTS[self.document]} {self.article}{self.clause}"

    def to_dict(self) -> dict[str, str]:
        return {"document": self.document, "article": self.article, "clause": self.clause,
                "label": self.label}

    def __str__(self) -> str:
        return self.label


@cache
def cite(document: str, article: str, clause: str = "") -> Citation:
    """A (cached) citation, e.g. ``cite("nanchang_academy", "第二十四条")``."""
    return Citation(document, article, clause)


class Status(enum.StrEnum):
    """What an outcome means for the party it is about."""

    OK = "ok"                # computed; the value is the answer (a score, an amount, a date…)
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    PASSED = "passed"
    FAILED = "failed"


@dataclasses.dataclass(slots=True)
class Step:
    """One rule that fired: what it read, what it decided, and the article it comes from."""

    rule: str
    citation: Citation
    result: Any
    inputs: Mapping[str, Any] | None = None
    parameters: Mapping[str, Any] | None = None
    passed: bool | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule": self.rule, "citation": self.citation.to_dict(),
                               "result": jsonable(self.result)}
        if self.inputs:
            out["inputs"] = jsonable(self.inputs)
        if self.parameters:
            out["parameters"] = jsonable(self.parameters)
        if self.passed is not None:
            out["passed"] = self.passed
        if self.note:
            out["note"] = self.note
        return out


class Trace:
    """Collects steps while a computation runs."""

    __slots__ = ("steps",)

    def __init__(self) -> None:
        self.steps: list[Step] = []

    def add(self, rule: str, citation: Citation, result: Any, *, inputs: Mapping[str, Any] | None = None,
            parameters: Mapping[str, Any] | None = None, passed: bool | None = None,
            note: str = "") -> Any:
        self.steps.append(Step(rule, citation, result, inputs, parameters, passed, note))
        return result

    def check(self, rule: str, citation: Citation, passed: bool, *, inputs: Mapping[str, Any] | None = None,
              parameters: Mapping[str, Any] | None = None, note: str = "") -> bool:
        """Record a condition; returns whether it passed. Eligibility keeps going after a failure."""
        self.steps.append(Step(rule, citation, passed, inputs, parameters, passed, note))
        return passed

    def extend(self, other: Trace | list[Step]) -> None:
        self.steps.extend(other.steps if isinstance(other, Trace) else other)


T = TypeVar("T")


@dataclasses.dataclass(slots=True)
class Outcome(Generic[T]):
    """A decision: its value, its status and the trace of rules that produced it."""

    value: T
    status: Status
    trace: list[Step]

    @property
    def failures(self) -> list[Step]:
        """Every condition that failed (eligibility lists all of them, not just the first)."""
        return [s for s in self.trace if s.passed is False]

    @property
    def citations(self) -> list[Citation]:
        seen: dict[Citation, None] = {}
        for s in self.trace:
            seen.setdefault(s.citation, None)
        return list(seen)

    def to_dict(self) -> dict[str, Any]:
        return {"value": jsonable(self.value), "status": self.status.value,
                "failures": [s.to_dict() for s in self.failures],
                "trace": [s.to_dict() for s in self.trace]}

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)


def jsonable(value: Any) -> Any:
    """Convert a value to JSON-safe data: Decimal → string (money stays exact), dates → ISO."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Citation):
        return value.to_dict()
    if isinstance(value, Outcome):
        return value.to_dict()
    if hasattr(value, "to_dict"):
        return jsonable(value.to_dict())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "model_dump"):
        return jsonable(value.model_dump())
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    raise TypeError(f"cannot serialise {type(value).__name__} in a trace")
