"""The item kinds: one scorer class per kind, each giving its input type, a short shape and its raw points.

The kinds and their inputs are described in the package docstring (:mod:`jiangxin.policy.rubric`).
"""

from __future__ import annotations

import abc
import dataclasses
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, Field, create_model

from jiangxin.policy.rubric.base import _MODEL_CONFIG, ZERO, _fmt, _get, _literal, _ticked, _unique


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
