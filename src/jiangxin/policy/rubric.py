"""Points rubrics (评分细则) as data, and one generic scorer with a per-item breakdown.

A rubric is a YAML file in a program's ``rubrics/`` folder::

    key: nanchang_academy.naming          # unique; also names the generated facts model
    title: 工匠学院命名评定标准
    document: nanchang_academy            # a key of outcome.DOCUMENTS
    cite: {article: 附件1}                 # the attachment the rubric encodes
    official: true                        # false for an editable template (then ``notice`` is required)
    notice: ""                            # shown with every result of a non-official rubric
    total_points: 100                     # must equal the sum of the sections' points
    sections:                             # each section's points must equal the sum of its items' points
      - {key: venue, title: 场地设备, points: 10}          # optional ``group`` (e.g. base / bonus)
    items:
      - key: venue_sites                  # a Python identifier: it becomes a field of the facts model
        section: venue
        title: 各类场所                    # a short paraphrase, never the policy's sentence
        points: 6                         # the item's cap
        cite: {article: 附件1, clause: （各类场所）}
        kind: checklist
        ticks: {办公场所: 1, 实训场所: 1}

Item kinds and the input each expects (``entries[item.key]`` in :func:`score_rubric`, and the field of
the same name in the facts model from :func:`rubric_facts_model`):

``checklist``  ``ticks: {label: points}``. Input: a list of tick labels (each at most once), or a mapping
    label → true/false. Raw = sum of the ticked labels' points.
``per_count``  ``weights: {category: points each}``. Input: a mapping category → whole count ≥ 0 (categories
    left out count 0). Raw = Σ count × weight.
``threshold_increment``  ``measures: {name: {title, minimum}}``, ``base: B``, optional
    ``step: {measure: name, size: S, points: k}``. Input: a mapping of every measure → whole number ≥ 0.
    When every measure reaches its minimum (the minimum itself counts) raw = B + k × ⌊(value − minimum) / S⌋
    of the step measure (only complete further steps count); otherwise raw = 0.
``tiers``  ``breaks: [b1, b2, …]``, ``tier_points: [p0, p1, …]`` (one more than breaks), ``boundary:
    upper_inclusive | lower_inclusive`` (whether a value equal to a break falls in the lower or the upper tier),
    optional ``minimum`` (a value below it earns 0). Input: a number ≥ 0.
``graded``  ``grades: {label: points}``. Input: one of the labels.
``deduction``  starts at the item's (or part's) points and subtracts, never below 0. Either ``per_unit: d``
    (input: a whole count of units ≥ 0, raw = points − d × count) or ``reasons: {label: d}`` (input: a list of
    the labels that apply, or a mapping label → true/false).
``best_placing``  ``levels: {level: [{best: 1, worst: 3, points: p}, …]}``. Input: a list of
    ``{person, level, placing}`` (placing 1 = first). Each person scores once, with their best-scoring
    placing; placings outside every band earn 0. Raw = sum over persons.
``rate_tiers``  ``thresholds: [{min: "0.95", points: 1}, …]``. Input: a rate as a decimal fraction 0–1
    (``"0.97"`` for 97%, never a percentage). Raw = the points of the highest threshold reached (reaching
    the minimum itself counts), else 0.
``veto``  Input: true when the veto condition is triggered. Scores nothing; a triggered veto makes the whole
    result ``vetoed`` whatever the total (recorded as a failed condition in the trace).
``manual`` (alias ``scaled``)  Input: a reviewer's judgement score, a decimal between 0 and the points.
``parts``  an item may instead list ``parts:``, each with a ``key``, ``title``, a kind and its settings (and an
    optional ``points`` cap of its own; a ``deduction`` or ``manual`` part needs one). Input: a mapping part
    key → that part's input. Raw = Σ part scores, then capped at the item's points.

Every item's awarded score is its raw score clamped to [0, points]; the breakdown (:class:`ItemScore`)
shows raw, cap, whether capped and a one-line detail, per item and per part. An item or part may carry
``interpretation: I-RUB-nn`` when its settings encode our reading of ambiguous text.
"""

from __future__ import annotations

import abc
import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, cast

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model

from jiangxin.policy.errors import FactsError, PolicyError
from jiangxin.policy.facts import Facts, parse_facts
from jiangxin.policy.outcome import Citation, Trace, cite

ZERO = Decimal(0)
MAX_LABEL = 19  # titles and labels stay short paraphrases (a policy sentence is far longer)
_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


class RubricError(PolicyError):
    """A rubric file is malformed: the message names the file, the item and what was expected."""


# --------------------------------------------------------------------------------------------- results


@dataclasses.dataclass(slots=True)
class ItemScore:
    """One item's (or part's) score: raw before capping, awarded after, the cap and a short detail.

    Not frozen only because a frozen dataclass costs ~2 µs per instance; treat it as read-only.
    """

    key: str
    title: str
    section: str
    raw: Decimal
    awarded: Decimal
    cap: Decimal | None
    capped: bool
    detail: str
    parts: tuple[ItemScore, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "title": self.title, "section": self.section,
                               "raw": str(self.raw), "awarded": str(self.awarded),
                               "cap": None if self.cap is None else str(self.cap),
                               "capped": self.capped, "detail": self.detail}
        if self.parts:
            out["parts"] = [p.to_dict() for p in self.parts]
        return out


@dataclasses.dataclass(slots=True)
class RubricResult:
    """The scored rubric: total, per-item breakdown, whether a veto item fired, and section subtotals."""

    total: Decimal
    items: list[ItemScore]
    vetoed: bool
    sections: dict[str, Decimal]
    groups: dict[str, Decimal] = dataclasses.field(default_factory=dict)  # e.g. base / bonus subtotals

    def item(self, key: str) -> ItemScore:
        for score in self.items:
            if score.key == key:
                return score
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"total": str(self.total), "vetoed": self.vetoed,
                               "sections": {k: str(v) for k, v in self.sections.items()},
                               "breakdown": [i.to_dict() for i in self.items]}
        if self.groups:
            out["groups"] = {k: str(v) for k, v in self.groups.items()}
        return out


# --------------------------------------------------------------------------------------------- helpers


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


# --------------------------------------------------------------------------------------------- scorers


@dataclasses.dataclass(frozen=True, slots=True)
class Scorer(abc.ABC):
    """Base of the item kinds. ``points`` is the cap (item) or the optional own cap (part)."""

    kind: str
    points: Decimal | None

    @abc.abstractmethod
    def input_type(self, model_name: str) -> Any:
        """The pydantic type an entry of this kind must have."""

    @abc.abstractmethod
    def shape(self) -> str:
        """A short Chinese description of the expected entry, for documentation and forms."""

    @abc.abstractmethod
    def raw(self, value: Any) -> tuple[Decimal, str]:
        """Points before the cap, and a one-line detail of how they were reached."""


@dataclasses.dataclass(frozen=True, slots=True)
class Checklist(Scorer):
    ticks: dict[str, Decimal]

    def input_type(self, model_name: str) -> Any:
        lit = _literal(list(self.ticks))
        return Annotated[list[lit] | dict[lit, bool], AfterValidator(_unique)]  # type: ignore[valid-type]

    def shape(self) -> str:
        return "勾选项列表（或 项→true/false）: " + "、".join(f"{k}={_fmt(v)}" for k, v in self.ticks.items())

    def raw(self, value: Any) -> tuple[Decimal, str]:
        ticked = _ticked(value)
        total = sum((self.ticks[t] for t in ticked), ZERO)
        return total, ("勾选 " + "+".join(ticked) if ticked else "无勾选") + f" = {_fmt(total)}"


@dataclasses.dataclass(frozen=True, slots=True)
class PerCount(Scorer):
    weights: dict[str, Decimal]

    def input_type(self, model_name: str) -> Any:
        return dict[_literal(list(self.weights)), Annotated[int, Field(ge=0)]]  # type: ignore[misc]

    def shape(self) -> str:
        return "类别→人数/项数: " + "、".join(f"{k}×{_fmt(v)}" for k, v in self.weights.items())

    def raw(self, value: Any) -> tuple[Decimal, str]:
        terms = [(k, n) for k, n in value.items() if n]
        total = sum((self.weights[k] * n for k, n in terms), ZERO)
        if not terms:
            return ZERO, "无 = 0"
        return total, " + ".join(f"{k} {n}×{_fmt(self.weights[k])}" for k, n in terms) + f" = {_fmt(total)}"


@dataclasses.dataclass(frozen=True, slots=True)
class Measure:
    name: str
    title: str
    minimum: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class ThresholdIncrement(Scorer):
    measures: tuple[Measure, ...]
    base: Decimal
    step_measure: str | None
    step_size: Decimal
    step_points: Decimal

    def input_type(self, model_name: str) -> Any:
        fields: dict[str, Any] = {m.name: (int, Field(ge=0, description=f"{m.title}（门槛 {_fmt(m.minimum)}）"))
                                  for m in self.measures}
        return create_model(model_name, __config__=_MODEL_CONFIG, **fields)

    def shape(self) -> str:
        need = " 且 ".join(f"{m.title}≥{_fmt(m.minimum)}" for m in self.measures)
        text = f"达到 {need} 得 {_fmt(self.base)}"
        if self.step_measure:
            title = next(m.title for m in self.measures if m.name == self.step_measure)
            text += f"，{title}每再多 {_fmt(self.step_size)} 加 {_fmt(self.step_points)}"
        return text

    def raw(self, value: Any) -> tuple[Decimal, str]:
        got = {m.name: Decimal(int(_get(value, m.name))) for m in self.measures}
        short = [m for m in self.measures if got[m.name] < m.minimum]
        if short:
            return ZERO, "未达门槛 " + "、".join(f"{m.title} {_fmt(got[m.name])}<{_fmt(m.minimum)}" for m in short) + \
                " = 0"
        total = self.base
        detail = f"达到门槛 {_fmt(self.base)}"
        if self.step_measure:
            measure = next(m for m in self.measures if m.name == self.step_measure)
            steps = int((got[measure.name] - measure.minimum) // self.step_size)
            total += steps * self.step_points
            detail += f" + 超出{_fmt(got[measure.name] - measure.minimum)}含{steps}个{_fmt(self.step_size)}×" \
                      f"{_fmt(self.step_points)}"
        return total, f"{detail} = {_fmt(total)}"


@dataclasses.dataclass(frozen=True, slots=True)
class Tiers(Scorer):
    breaks: tuple[Decimal, ...]
    tier_points: tuple[Decimal, ...]
    upper_inclusive: bool
    minimum: Decimal | None

    def input_type(self, model_name: str) -> Any:
        return Annotated[Decimal, Field(ge=0)]

    def shape(self) -> str:
        side = "分界值归下一档" if self.upper_inclusive else "分界值归上一档"
        return f"数值: 分界 {'/'.join(map(_fmt, self.breaks))} → {'/'.join(map(_fmt, self.tier_points))}（{side}）"

    def raw(self, value: Any) -> tuple[Decimal, str]:
        number = Decimal(value)
        if self.minimum is not None and number < self.minimum:
            return ZERO, f"{_fmt(number)} 低于 {_fmt(self.minimum)} = 0"
        tier = 0
        for b in self.breaks:
            if number > b or (number == b and not self.upper_inclusive):
                tier += 1
        points = self.tier_points[tier]
        return points, f"{_fmt(number)} 第{tier + 1}档 = {_fmt(points)}"


@dataclasses.dataclass(frozen=True, slots=True)
class Graded(Scorer):
    grades: dict[str, Decimal]

    def input_type(self, model_name: str) -> Any:
        return _literal(list(self.grades))

    def shape(self) -> str:
        return "等次: " + "、".join(f"{k}={_fmt(v)}" for k, v in self.grades.items())

    def raw(self, value: Any) -> tuple[Decimal, str]:
        points = self.grades[str(value)]
        return points, f"评{value} = {_fmt(points)}"


@dataclasses.dataclass(frozen=True, slots=True)
class Deduction(Scorer):
    per_unit: Decimal | None
    reasons: dict[str, Decimal]

    def input_type(self, model_name: str) -> Any:
        if self.per_unit is not None:
            return Annotated[int, Field(ge=0)]
        lit = _literal(list(self.reasons))
        return Annotated[list[lit] | dict[lit, bool], AfterValidator(_unique)]  # type: ignore[valid-type]

    def shape(self) -> str:
        assert self.points is not None
        if self.per_unit is not None:
            return f"扣分单位数（整数）: 从 {_fmt(self.points)} 起每单位扣 {_fmt(self.per_unit)}，最低 0"
        return f"适用的扣分情形列表: 从 {_fmt(self.points)} 起 " + "、".join(
            f"{k}−{_fmt(v)}" for k, v in self.reasons.items()) + "，最低 0"

    def raw(self, value: Any) -> tuple[Decimal, str]:
        assert self.points is not None
        if self.per_unit is not None:
            units = int(value)
            total = self.points - self.per_unit * units
            return total, f"{_fmt(self.points)} − {units}×{_fmt(self.per_unit)} = {_fmt(total)}"
        applied = _ticked(value)
        total = self.points - sum((self.reasons[r] for r in applied), ZERO)
        if not applied:
            return total, f"无扣分 = {_fmt(total)}"
        return total, f"{_fmt(self.points)} − " + " − ".join(
            f"{r}{_fmt(self.reasons[r])}" for r in applied) + f" = {_fmt(total)}"


@dataclasses.dataclass(frozen=True, slots=True)
class Band:
    best: int
    worst: int
    points: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class BestPlacing(Scorer):
    levels: dict[str, tuple[Band, ...]]

    def input_type(self, model_name: str) -> Any:
        entry = create_model(
            model_name, __config__=_MODEL_CONFIG,
            person=(str, Field(min_length=1, description="人员（同一人多次获奖只计最高一次）")),
            level=(_literal(list(self.levels)), Field(description="比赛级别")),
            placing=(int, Field(ge=1, description="名次（1 = 第一名）")))
        return list[entry]

    def shape(self) -> str:
        parts = []
        for level, bands in self.levels.items():
            parts.append(level + " " + "、".join(f"第{b.best}–{b.worst}名={_fmt(b.points)}" for b in bands))
        return "获奖列表 [{person, level, placing}]，每人只计最高一次: " + "；".join(parts)

    def placing_points(self, level: str, placing: int) -> Decimal:
        for band in self.levels[level]:
            if band.best <= placing <= band.worst:
                return band.points
        return ZERO

    def raw(self, value: Any) -> tuple[Decimal, str]:
        best: dict[str, tuple[Decimal, str]] = {}
        for entry in value:
            person, level, placing = str(_get(entry, "person")), str(_get(entry, "level")), int(
                _get(entry, "placing"))
            points = self.placing_points(level, placing)
            if person not in best or points > best[person][0]:
                best[person] = (points, f"{level}第{placing}名")
        total = sum((p for p, _ in best.values()), ZERO)
        if not best:
            return ZERO, "无 = 0"
        return total, " + ".join(f"{who} {what} {_fmt(p)}" for who, (p, what) in best.items()) + \
            f" = {_fmt(total)}（每人只计最高）"


@dataclasses.dataclass(frozen=True, slots=True)
class RateTiers(Scorer):
    thresholds: tuple[tuple[Decimal, Decimal], ...]  # (minimum rate, points), ascending

    def input_type(self, model_name: str) -> Any:
        return Annotated[Decimal, Field(ge=0, le=1)]

    def shape(self) -> str:
        return "比率（0–1 的小数，如 0.97 表示 97%）: " + "、".join(
            f"≥{_fmt(m)}={_fmt(p)}" for m, p in self.thresholds)

    def raw(self, value: Any) -> tuple[Decimal, str]:
        rate = Decimal(value)
        points = ZERO
        for minimum, p in self.thresholds:
            if rate >= minimum:
                points = p
        return points, f"比率 {_fmt(rate)} = {_fmt(points)}"


@dataclasses.dataclass(frozen=True, slots=True)
class Veto(Scorer):
    def input_type(self, model_name: str) -> Any:
        return bool

    def shape(self) -> str:
        return "true = 触发一票否决"

    def raw(self, value: Any) -> tuple[Decimal, str]:
        return ZERO, "触发一票否决" if value else "未触发"


@dataclasses.dataclass(frozen=True, slots=True)
class Manual(Scorer):
    def input_type(self, model_name: str) -> Any:
        assert self.points is not None
        return Annotated[Decimal, Field(ge=0, le=self.points)]

    def shape(self) -> str:
        assert self.points is not None
        return f"评审打分 0–{_fmt(self.points)}"

    def raw(self, value: Any) -> tuple[Decimal, str]:
        return Decimal(value), f"评审打分 {_fmt(Decimal(value))}"


@dataclasses.dataclass(frozen=True, slots=True)
class Part:
    key: str
    title: str
    scorer: Scorer
    interpretation: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Parts(Scorer):
    parts: tuple[Part, ...]

    def input_type(self, model_name: str) -> Any:
        fields: dict[str, Any] = {}
        for part in self.parts:
            sub = f"{model_name}_{part.key}"
            fields[part.key] = (part.scorer.input_type(sub), Field(description=f"{part.title}: {part.scorer.shape()}"))
        return create_model(model_name, __config__=_MODEL_CONFIG, **fields)

    def shape(self) -> str:
        return "分项: " + "；".join(f"{p.key}（{p.title}）" for p in self.parts) + "，合计封顶"

    def raw(self, value: Any) -> tuple[Decimal, str]:  # pragma: no cover - parts are scored by _score_item
        raise TypeError("an item made of parts is scored part by part (score_rubric), not as a whole")


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


# --------------------------------------------------------------------------------------------- parsing


def _parse_scorer(raw: Mapping[str, Any], points: Decimal | None, where: str, *, allow_parts: bool) -> Scorer:
    if "parts" in raw:
        if not allow_parts:
            raise RubricError(f"{where}: parts cannot be nested")
        if raw.get("kind", "parts") != "parts":
            raise RubricError(f"{where}: an item with parts has no other kind")
        if not isinstance(raw["parts"], list) or not raw["parts"]:
            raise RubricError(f"{where}.parts: expected a non-empty list")
        parts = []
        seen: set[str] = set()
        for i, praw in enumerate(raw["parts"]):
            pwhere = f"{where}.parts[{i}]"
            praw = _mapping(praw, pwhere)
            key = str(praw.get("key", ""))
            if not _IDENT.match(key) or key in seen:
                raise RubricError(f"{pwhere}: key must be a unique lower_case identifier, got {key!r}")
            seen.add(key)
            ppoints = _dec(praw["points"], f"{pwhere}.points") if "points" in praw else None
            scorer = _parse_scorer(praw, ppoints, f"{where}.{key}", allow_parts=False)
            if isinstance(scorer, Veto):
                raise RubricError(f"{pwhere}: a veto is an item of its own, not a part")
            parts.append(Part(key, _label(praw.get("title", ""), f"{pwhere}.title"), scorer,
                              str(praw.get("interpretation", ""))))
        return Parts("parts", points, tuple(parts))
    kind = str(raw.get("kind", ""))
    if kind == "scaled":
        kind = "manual"
    builder = _BUILDERS.get(kind)
    if builder is None:
        raise RubricError(f"{where}: kind must be one of {sorted(_BUILDERS)} (or a parts list), got {kind!r}")
    return builder(raw, points, where)


def _build_checklist(raw: Mapping[str, Any], points: Decimal | None, where: str) -> Scorer:
    ticks = {_label(k, f"{where}.ticks"): _dec(v, f"{where}.ticks.{k}")
             for k, v in _mapping(raw.get("ticks"), f"{where}.ticks").items()}
    return Checklist("checklist", points, ticks)


def _build_per_count(raw: Mapping[str, Any], points: Decimal | None, where: str) -> Scorer:
    weights = {_label(k, f"{where}.weights"): _dec(v, f"{where}.weights.{k}")
               for k, v in _mapping(raw.get("weights"), f"{where}.weights").items()}
    return PerCount("per_count", points, weights)


def _build_threshold(raw: Mapping[str, Any], points: Decimal | None, where: str) -> Scorer:
    measures = []
    for name, m in _mapping(raw.get("measures"), f"{where}.measures").items():
        if not _IDENT.match(str(name)):
            raise RubricError(f"{where}.measures: {name!r} must be a lower_case identifier")
        m = _mapping(m, f"{where}.measures.{name}")
        measures.append(Measure(str(name), _label(m.get("title", name), f"{where}.measures.{name}.title"),
                                _dec(m.get("minimum"), f"{where}.measures.{name}.minimum")))
    step = raw.get("step")
    step_measure: str | None = None
    size = points_each = ZERO
    if step is not None:
        step = _mapping(step, f"{where}.step")
        step_measure = str(step.get("measure"))
        if step_measure not in {m.name for m in measures}:
            raise RubricError(f"{where}.step.measure: {step_measure!r} is not one of the measures")
        size = _dec(step.get("size"), f"{where}.step.size")
        points_each = _dec(step.get("points"), f"{where}.step.points")
        if size <= 0:
            raise RubricError(f"{where}.step.size: must be positive")
    return ThresholdIncrement("threshold_increment", points, tuple(measures),
                              _dec(raw.get("base"), f"{where}.base"), step_measure, size, points_each)


def _build_tiers(raw: Mapping[str, Any], points: Decimal | None, where: str) -> Scorer:
    breaks = tuple(_dec(b, f"{where}.breaks") for b in raw.get("breaks") or [])
    tier_points = tuple(_dec(p, f"{where}.tier_points") for p in raw.get("tier_points") or [])
    if not breaks or list(breaks) != sorted(set(breaks)):
        raise RubricError(f"{where}.breaks: expected a strictly ascending non-empty list")
    if len(tier_points) != len(breaks) + 1:
        raise RubricError(f"{where}.tier_points: expected {len(breaks) + 1} values (one more than breaks)")
    boundary = raw.get("boundary")
    if boundary not in {"upper_inclusive", "lower_inclusive"}:
        raise RubricError(f"{where}.boundary: say which tier a value on a break belongs to: upper_inclusive "
                          f"(the lower tier, e.g. 以内 includes the number) or lower_inclusive (the upper tier)")
    minimum = _dec(raw["minimum"], f"{where}.minimum") if "minimum" in raw else None
    return Tiers("tiers", points, breaks, tier_points, boundary == "upper_inclusive", minimum)


def _build_graded(raw: Mapping[str, Any], points: Decimal | None, where: str) -> Scorer:
    grades = {_label(k, f"{where}.grades"): _dec(v, f"{where}.grades.{k}")
              for k, v in _mapping(raw.get("grades"), f"{where}.grades").items()}
    return Graded("graded", points, grades)


def _build_deduction(raw: Mapping[str, Any], points: Decimal | None, where: str) -> Scorer:
    if points is None:
        raise RubricError(f"{where}: a deduction needs points to start from")
    if ("per_unit" in raw) == ("reasons" in raw):
        raise RubricError(f"{where}: a deduction has either per_unit (a count input) or reasons (labels)")
    if "per_unit" in raw:
        return Deduction("deduction", points, _dec(raw["per_unit"], f"{where}.per_unit"), {})
    reasons = {_label(k, f"{where}.reasons"): _dec(v, f"{where}.reasons.{k}")
               for k, v in _mapping(raw.get("reasons"), f"{where}.reasons").items()}
    return Deduction("deduction", points, None, reasons)


def _build_best_placing(raw: Mapping[str, Any], points: Decimal | None, where: str) -> Scorer:
    levels: dict[str, tuple[Band, ...]] = {}
    for level, bands in _mapping(raw.get("levels"), f"{where}.levels").items():
        if not isinstance(bands, list) or not bands:
            raise RubricError(f"{where}.levels.{level}: expected a list of {{best, worst, points}}")
        parsed = []
        for b in bands:
            b = _mapping(b, f"{where}.levels.{level}")
            best, worst = int(b["best"]), int(b["worst"])
            if not 1 <= best <= worst:
                raise RubricError(f"{where}.levels.{level}: need 1 ≤ best ≤ worst, got {best}–{worst}")
            parsed.append(Band(best, worst, _dec(b["points"], f"{where}.levels.{level}.points")))
        levels[_label(level, f"{where}.levels")] = tuple(parsed)
    return BestPlacing("best_placing", points, levels)


def _build_rate_tiers(raw: Mapping[str, Any], points: Decimal | None, where: str) -> Scorer:
    thresholds = []
    for t in raw.get("thresholds") or []:
        t = _mapping(t, f"{where}.thresholds")
        minimum = _dec(t.get("min"), f"{where}.thresholds.min")
        if not ZERO <= minimum <= 1:
            raise RubricError(f"{where}.thresholds: min is a fraction between 0 and 1, got {minimum}")
        thresholds.append((minimum, _dec(t.get("points"), f"{where}.thresholds.points")))
    if not thresholds or thresholds != sorted(thresholds):
        raise RubricError(f"{where}.thresholds: expected a non-empty list ascending by min")
    return RateTiers("rate_tiers", points, tuple(thresholds))


def _build_veto(raw: Mapping[str, Any], points: Decimal | None, where: str) -> Scorer:
    return Veto("veto", points)


def _build_manual(raw: Mapping[str, Any], points: Decimal | None, where: str) -> Scorer:
    if points is None:
        raise RubricError(f"{where}: a manual score needs points (its maximum)")
    return Manual("manual", points)


_BUILDERS: dict[str, Callable[[Mapping[str, Any], Decimal | None, str], Scorer]] = {
    "checklist": _build_checklist, "per_count": _build_per_count, "threshold_increment": _build_threshold,
    "tiers": _build_tiers, "graded": _build_graded, "deduction": _build_deduction,
    "best_placing": _build_best_placing, "rate_tiers": _build_rate_tiers, "veto": _build_veto,
    "manual": _build_manual,
}


def parse_rubric(data: Mapping[str, Any], source: str = "<rubric>") -> Rubric:
    """Build a rubric from its YAML/JSON data (e.g. an office-supplied rubric); raises RubricError."""
    if not isinstance(data, Mapping):
        raise RubricError(f"{source}: expected a mapping")
    try:
        key = str(data["key"])
        document = str(data["document"])
        citation = cite(document, str(data["cite"]["article"]), str(data["cite"].get("clause", "")))
    except (KeyError, TypeError, ValueError) as exc:
        raise RubricError(f"{source}: needs key, document (a known document) and cite: {{article: ...}}") from exc
    official = bool(data.get("official", True))
    notice = str(data.get("notice", "")).strip()
    if not official and not notice:
        raise RubricError(f"{source}: a rubric that is not official needs a notice saying so")
    max_total = _dec(data.get("total_points"), f"{source}.total_points")
    sections: list[Section] = []
    for i, s in enumerate(data.get("sections") or []):
        s = _mapping(s, f"{source}.sections[{i}]")
        skey = str(s.get("key", ""))
        if not _IDENT.match(skey) or any(x.key == skey for x in sections):
            raise RubricError(f"{source}.sections[{i}]: key must be a unique lower_case identifier")
        sections.append(Section(skey, _label(s.get("title", ""), f"{source}.sections.{skey}.title"),
                                _dec(s.get("points"), f"{source}.sections.{skey}.points"), str(s.get("group", ""))))
    if not sections:
        raise RubricError(f"{source}: no sections")
    section_keys = {s.key for s in sections}
    items: list[Item] = []
    for i, raw in enumerate(data.get("items") or []):
        where = f"{source}.items[{i}]"
        raw = _mapping(raw, where)
        ikey = str(raw.get("key", ""))
        if not _IDENT.match(ikey) or ikey == "as_of" or any(x.key == ikey for x in items):
            raise RubricError(f"{where}: key must be a unique lower_case identifier (not as_of), got {ikey!r}")
        where = f"{source}.{ikey}"
        is_veto = raw.get("kind") == "veto"
        section = str(raw.get("section", ""))
        if not is_veto and section not in section_keys:
            raise RubricError(f"{where}.section: {section!r} is not one of {sorted(section_keys)}")
        if is_veto and section:
            raise RubricError(f"{where}: a veto item scores nothing and belongs to no section")
        points = ZERO if is_veto else _dec(raw.get("points"), f"{where}.points")
        craw = raw.get("cite")
        if not isinstance(craw, Mapping) or "article" not in craw:
            raise RubricError(f"{where}: every item needs cite: {{article: ...}}")
        item_cite = cite(str(craw.get("document", document)), str(craw["article"]), str(craw.get("clause", "")))
        scorer = _parse_scorer(raw, points, where, allow_parts=True)
        items.append(Item(ikey, section, _label(raw.get("title", ""), f"{where}.title"), points, item_cite, scorer,
                          str(raw.get("interpretation", ""))))
    if not items:
        raise RubricError(f"{source}: no items")
    for s in sections:
        got = sum((it.points for it in items if it.section == s.key), ZERO)
        if got != s.points:
            raise RubricError(f"{source}: section {s.key} states {s.points} points but its items add up to {got}")
    if sum((s.points for s in sections), ZERO) != max_total:
        raise RubricError(f"{source}: sections add up to {sum((s.points for s in sections), ZERO)}, "
                          f"not total_points {max_total}")
    return Rubric(key, _label(data.get("title", key), f"{source}.title"), document, citation, max_total,
                  tuple(sections), tuple(items), official, notice, source)


@cache
def load_rubric(path: Path) -> Rubric:
    """Load (once per process) a rubric YAML file shipped with a program."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RubricError(f"{path}: cannot read rubric ({exc})") from exc
    return parse_rubric(data, str(path))


# --------------------------------------------------------------------------------------------- facts


def _model_prefix(rubric: Rubric) -> str:
    return "".join(w.capitalize() for w in re.split(r"[^A-Za-z0-9]+", rubric.key) if w)


def _describe(item: Item) -> str:
    cap = "" if item.kind == "veto" else f"（{_fmt(item.points)}分）"
    return f"{item.title}{cap} [{item.citation.article}{item.citation.clause}] {item.scorer.shape()}"


@cache
def _field_definitions(rubric: Rubric) -> dict[str, Any]:
    prefix = _model_prefix(rubric)
    return {item.key: (item.scorer.input_type(f"{prefix}_{item.key}"), Field(description=_describe(item)))
            for item in rubric.items}


@cache
def rubric_entries_model(rubric: Rubric) -> type[BaseModel]:
    """A pydantic model of the rubric's entries only (no ``as_of``), used to validate raw entries."""
    model: type[BaseModel] = create_model(f"{_model_prefix(rubric)}Entries", __config__=_MODEL_CONFIG,
                                          **_field_definitions(rubric))
    return model


@cache
def rubric_facts_model(rubric: Rubric) -> type[Facts]:
    """The facts model of a rubric: ``as_of`` plus one required field per item, typed by the item's kind."""
    model: type[Facts] = create_model(f"{_model_prefix(rubric)}Facts", __base__=Facts,
                                      __doc__=f"{rubric.title}（{rubric.citation.label}）的评分输入。",
                                      **_field_definitions(rubric))
    return model


# --------------------------------------------------------------------------------------------- scoring


def _clamp(raw: Decimal, cap: Decimal | None) -> Decimal:
    """``raw`` (already canonical) clamped to [0, cap]."""
    if raw < ZERO:
        return ZERO
    if cap is not None and raw > cap:
        return cap
    return raw


def _capped_detail(detail: str, raw: Decimal, awarded: Decimal, cap: Decimal | None) -> str:
    if awarded == raw:
        return detail
    if raw < ZERO:
        return f"{detail}，最低 0 → 0"
    return f"{detail}，封顶 {_fmt(cap or ZERO)} → {_fmt(awarded)}"


def _score_item(item: Item, value: Any) -> ItemScore:
    scorer = item.scorer
    if isinstance(scorer, Parts):
        scores = []
        for part in scorer.parts:
            raw, detail = part.scorer.raw(_get(value, part.key))
            raw = _norm(raw)
            awarded = _clamp(raw, part.scorer.points)
            if part.interpretation:
                detail += f"（口径 {part.interpretation}）"
            scores.append(ItemScore(part.key, part.title, item.section, raw, awarded, part.scorer.points,
                                    awarded != raw, _capped_detail(detail, raw, awarded, part.scorer.points)))
        raw = _norm(sum((s.awarded for s in scores), ZERO))
        awarded = _clamp(raw, item.points)
        detail = " + ".join(f"{s.key} {_fmt(s.awarded)}" for s in scores) + f" = {_fmt(raw)}"
        return ItemScore(item.key, item.title, item.section, raw, awarded, item.points, awarded != raw,
                         _capped_detail(detail, raw, awarded, item.points), tuple(scores))
    raw, detail = scorer.raw(value)
    raw = _norm(raw)
    cap = None if item.kind == "veto" else item.points
    awarded = _clamp(raw, cap)
    if item.interpretation:
        detail += f"（口径 {item.interpretation}）"
    return ItemScore(item.key, item.title, item.section, raw, awarded, cap, awarded != raw,
                     _capped_detail(detail, raw, awarded, cap))


def _validated(rubric: Rubric, entries: Mapping[str, Any] | BaseModel) -> Any:
    model = rubric_entries_model(rubric)
    if isinstance(entries, BaseModel) and isinstance(entries, (model, rubric_facts_model(rubric))):
        return entries
    if isinstance(entries, BaseModel):
        entries = dict(entries)
    if not isinstance(entries, Mapping):
        raise FactsError([("(entries)", "a mapping of item key to the item's input")])
    return parse_facts(model, entries)


def score_rubric(rubric: Rubric, entries: Mapping[str, Any] | BaseModel, trace: Trace) -> RubricResult:
    """Score every item (all must be given; unknown keys are rejected) and record one trace step per item.

    ``entries`` maps item key → input (see the module docstring for each kind's shape); a validated facts
    model of :func:`rubric_facts_model` (or its entries model) is accepted as is.
    """
    values = _validated(rubric, entries)
    prefix = rubric.key
    scores: list[ItemScore] = []
    sections: dict[str, Decimal] = {s.key: ZERO for s in rubric.sections}
    vetoed = False
    for item in rubric.items:
        value = getattr(values, item.key)
        score = _score_item(item, value)
        scores.append(score)
        params = {"interpretation": item.interpretation} if item.interpretation else None
        if item.kind == "veto":
            triggered = bool(value)
            vetoed = vetoed or triggered
            trace.check(f"{prefix}.{item.key}", item.citation, not triggered, inputs={item.key: value},
                        note=score.detail)
        else:
            sections[item.section] = _norm(sections[item.section] + score.awarded)
            trace.add(f"{prefix}.{item.key}", item.citation, score.awarded, inputs={item.key: value},
                      parameters=params, note=score.detail)
    total = _norm(sum(sections.values(), ZERO))
    groups: dict[str, Decimal] = {}
    for s in rubric.sections:
        if s.group:
            groups[s.group] = _norm(groups.get(s.group, ZERO) + sections[s.key])
    note = "" if rubric.official else f"非正式标准: {rubric.notice}"
    trace.add(f"{prefix}.total", rubric.citation, total, inputs={"sections": sections, **groups},
              parameters={"max_total": rubric.max_total, "official": rubric.official}, note=note)
    return RubricResult(total, scores, vetoed, sections, groups)


def facts_entries(rubric: Rubric, facts: BaseModel) -> Mapping[str, Any]:
    """The rubric entries held by a facts model (e.g. a computation's facts that add fields of its own)."""
    return {item.key: getattr(facts, item.key) for item in rubric.items}
