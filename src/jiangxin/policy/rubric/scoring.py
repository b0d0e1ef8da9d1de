"""Scoring a rubric: each item clamped to its cap, one trace step per item, section and group subtotals."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from jiangxin.policy.errors import FactsError
from jiangxin.policy.facts import parse_facts
from jiangxin.policy.outcome import Trace
from jiangxin.policy.rubric.base import ZERO, _fmt, _get, _norm
from jiangxin.policy.rubric.facts import rubric_entries_model, rubric_facts_model
from jiangxin.policy.rubric.model import Item, Rubric
from jiangxin.policy.rubric.results import ItemScore, RubricResult
from jiangxin.policy.rubric.scorers import Parts


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
        detail = " + ".join(f"{s.title} {_fmt(s.awarded)}" for s in scores) + f" = {_fmt(raw)}"
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
