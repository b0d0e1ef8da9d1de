"""Reading a rubric from its YAML/JSON data, with every malformation reported as a RubricError."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from jiangxin.policy.outcome import cite
from jiangxin.policy.rubric.base import _IDENT, ZERO, RubricError, _dec, _label, _mapping
from jiangxin.policy.rubric.model import Item, Rubric, Section
from jiangxin.policy.rubric.scorers import (
    Band,
    BestPlacing,
    Checklist,
    Deduction,
    Graded,
    Manual,
    Measure,
    Part,
    Parts,
    PerCount,
    RateTiers,
    Scorer,
    ThresholdIncrement,
    Tiers,
    Veto,
)


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
