"""Which rubric a panel scores with, and how each item kind becomes form fields and back.

Shipped rubrics: 附件1 of the academy (``nanchang_academy.naming``) and the studio's assessment rubric (the
editable template or the office's own ``assessment.yaml``; an office may also load one per panel as YAML).
Programs whose documents give no rubric (赣州 expert review, 江苏 B selection, 镇江 collective review) use
``manual``: one overall score 0–100 plus notes, clearly marked as not a policy rubric (I-PANEL-05).
The platform never adds points: totals always come from :func:`jiangxin.policy.rubric.score_rubric`.

The module stays whole although long: it is one idea, a rubric turned into form fields and back, both directions
kept side by side so that they cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

import yaml
from django.utils.translation import get_language, gettext

from jiangxin.policy.errors import FactsError
from jiangxin.policy.outcome import Trace
from jiangxin.policy.rubric import (
    BestPlacing,
    Checklist,
    Deduction,
    Graded,
    Item,
    Manual,
    Parts,
    PerCount,
    RateTiers,
    Rubric,
    RubricError,
    RubricResult,
    Scorer,
    ThresholdIncrement,
    Tiers,
    Veto,
    parse_rubric,
    score_rubric,
)

MANUAL = "manual"
OFFICE = "office"

MANUAL_NOTICE = ("政策文件未规定评分细则：专家给出 0–100 的综合评分并填写评审意见。"
                 "本表不是政策文件规定的评分表（口径 I-PANEL-05）。")


def _panel(program_key: str) -> Any:
    from jiangxin.platform.rounds.catalog import declaration

    return declaration(program_key).panel


def rubric_choices(program_key: str) -> list[tuple[str, str]]:
    """Rubrics an office may pick for a panel of ``program_key`` (the program's own first, as it declares them)."""
    from jiangxin.platform.rounds.catalog import text

    panel = _panel(program_key)
    choices: list[tuple[str, str]] = []
    for rubric in panel.rubrics:
        official = getattr(_program_rubric(program_key, rubric.key), "official", True)
        template = panel.rubric_is_template and not official
        choices.append((rubric.key, text(rubric.label) + (str(gettext("（可编辑模板，非正式标准）")) if template else "")))
    choices.append((MANUAL, str(gettext("专家综合评分 0–100（非政策评分表）"))))
    choices.append((OFFICE, str(gettext("主管部门载入的评分表（YAML）"))))
    return choices


def default_rubric_key(program_key: str) -> str:
    """The program's first declared rubric, else the manual overall score."""
    rubrics = _panel(program_key).rubrics
    return rubrics[0].key if rubrics else MANUAL


def _program_rubric(program_key: str, rubric_key: str) -> Rubric | None:
    """A rubric the program declares for its panels, by key (None when it declares none of that key)."""
    from jiangxin.policy.registry import PROGRAMS

    for rubric in _panel(program_key).rubrics:
        if rubric.key == rubric_key:
            found: Rubric = PROGRAMS[program_key].resolve(rubric.ref)
            return found
    return None


@cache
def manual_rubric(program_key: str) -> Rubric:
    citation = _panel(program_key).manual_review
    document, article, clause = citation.document, citation.article, citation.clause
    return parse_rubric({
        "key": f"panels.manual.{program_key}", "title": "专家综合评分（非政策评分表）", "document": document,
        "cite": {"article": article, "clause": clause}, "official": False, "notice": MANUAL_NOTICE,
        "total_points": 100, "sections": [{"key": "overall", "title": "综合评价", "points": 100}],
        "items": [{"key": "overall", "section": "overall", "title": "综合评分", "points": 100, "kind": "manual",
                   "cite": {"article": article, "clause": clause}, "interpretation": "I-PANEL-05"}],
    }, f"manual rubric for {program_key}")


def load_office_rubric(text: str) -> dict[str, Any]:
    """Parse an office-supplied rubric (YAML text) → its data; raises RubricError with the problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RubricError(f"YAML 格式错误: {exc}") from exc
    if not isinstance(data, dict):
        raise RubricError("评分表须为 YAML 映射（key、title、document、cite、sections、items）")
    parse_rubric(data, "office rubric")
    return data


_OFFICE_CACHE: dict[str, Rubric] = {}


def rubric_for(rubric_key: str, program_key: str, rubric_data: Mapping[str, Any] | None = None) -> Rubric:
    if rubric_data:
        import json

        marker = json.dumps(rubric_data, sort_keys=True, ensure_ascii=False)
        if marker not in _OFFICE_CACHE:
            _OFFICE_CACHE[marker] = parse_rubric(rubric_data, "office rubric")
        return _OFFICE_CACHE[marker]
    declared = _program_rubric(program_key, rubric_key)
    return declared if declared is not None else manual_rubric(program_key)


# ------------------------------------------------------------------------------------------ form fields


def _fmt(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclasses.dataclass
class Field:
    """One HTML input of an item: ``type`` is checkbox / number / select / textarea."""

    name: str
    type: str
    label: str = ""
    hint: str = ""
    value: str = ""
    checked: bool = False
    choices: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    min: str = ""
    max: str = ""
    step: str = ""
    required: bool = False


@dataclasses.dataclass
class PartSpec:
    key: str
    title: str
    shape: str
    cap: str
    fields: list[Field]


@dataclasses.dataclass
class ItemSpec:
    key: str
    title: str
    section: str
    kind: str
    points: str
    citation: str
    shape: str
    fields: list[Field]
    parts: list[PartSpec]
    note: str = ""
    awarded: str = ""
    detail: str = ""
    error: str = ""
    interpretation: str = ""


def _name(prefix: str, *rest: str | int) -> str:
    return "__".join([prefix, *(str(r) for r in rest)])


def _english() -> bool:
    return (get_language() or "zh").lower().startswith("en")


def term(text: str, program: str | None = None) -> str:
    """A term of the rubric (a checklist tick, a grade, a deduction reason, a category such as 市级) for the
    reader: as written on Chinese pages, its ``enum.<term>`` label on English pages (the term when unlabelled)."""
    from jiangxin.policy.labels import enum_label

    return enum_label(program, "", text, get_language() or "zh-hans")


def rubric_title(rubric_key: str, key: str, title: str) -> str:
    """An item or part title: the rubric's own on Chinese pages, its ``<rubric>.<key>`` label in English."""
    if not _english():
        return title
    from jiangxin.platform.core.templatetags.labels import rubric_item

    return rubric_item(key, rubric_key)


def section_title(rubric_key: str, key: str, title: str) -> str:
    """A section title: the rubric's own on Chinese pages, its ``<rubric>.section.<key>`` label in English (a
    section may share its key with an item, whose title it must not take)."""
    if not _english():
        return title
    from jiangxin.platform.core.templatetags.labels import rubric_section

    return rubric_section(key, rubric_key) or title


def _points(value: Decimal | None, sign: str = "") -> str:
    return gettext("%(points)s分") % {"points": f"{sign}{_fmt(value)}"}


def shape(scorer: Scorer, program: str | None = None) -> str:
    """What an item expects, for the reader: the policy core's Chinese description on Chinese pages, the same
    description in English on English pages (terms through :func:`term`)."""
    if isinstance(scorer, Parts):  # the core's line names the parts by key (for the API); each part has its own row
        return gettext("各分项得分相加，合计不超过满分")
    if not _english():
        return scorer.shape()
    t = lambda text: term(text, program)  # noqa: E731
    if isinstance(scorer, Checklist):
        return "Tick what applies: " + ", ".join(f"{t(k)} = {_fmt(v)}" for k, v in scorer.ticks.items())
    if isinstance(scorer, PerCount):
        return "Count by category: " + ", ".join(f"{t(k)} × {_fmt(v)}" for k, v in scorer.weights.items())
    if isinstance(scorer, Graded):
        return "Grade: " + ", ".join(f"{t(k)} = {_fmt(v)}" for k, v in scorer.grades.items())
    if isinstance(scorer, Tiers):
        side = "a boundary value falls in the lower tier" if scorer.upper_inclusive else \
            "a boundary value falls in the upper tier"
        return (f"Number: boundaries {'/'.join(map(_fmt, scorer.breaks))} → "
                f"{'/'.join(map(_fmt, scorer.tier_points))} ({side})")
    if isinstance(scorer, Deduction):
        if scorer.per_unit is not None:
            return (f"Units to deduct (whole number): from {_fmt(scorer.points)}, {_fmt(scorer.per_unit)} per unit, "
                    "never below 0")
        return (f"Deductions that apply: from {_fmt(scorer.points)}, "
                + ", ".join(f"{t(k)} −{_fmt(v)}" for k, v in scorer.reasons.items()) + ", never below 0")
    if isinstance(scorer, RateTiers):
        return "Rate (a fraction 0–1, e.g. 0.97 for 97%): " + ", ".join(
            f"≥{_fmt(m)} = {_fmt(p)}" for m, p in scorer.thresholds)
    if isinstance(scorer, Veto):
        return "Veto: ticking it fails the whole assessment"
    if isinstance(scorer, Manual):
        return f"A score from 0 to {_fmt(scorer.points)}"
    if isinstance(scorer, ThresholdIncrement):
        return "Counts against thresholds: " + ", ".join(f"{t(m.title)} ≥ {_fmt(m.minimum)}" for m in scorer.measures)
    if isinstance(scorer, BestPlacing):
        return "Placings by level, each person counted once at their best: " + ", ".join(t(k) for k in scorer.levels)
    return ""


def _fields(scorer: Scorer, prefix: str, value: Any, program: str | None = None) -> list[Field]:
    t = lambda text: term(text, program)  # noqa: E731
    if isinstance(scorer, Checklist | Deduction) and (not isinstance(scorer, Deduction) or scorer.per_unit is None):
        options = scorer.ticks if isinstance(scorer, Checklist) else scorer.reasons
        sign = "" if isinstance(scorer, Checklist) else "−"
        ticked = set(value or []) if not isinstance(value, dict) else {k for k, v in value.items() if v}
        return [Field(_name(prefix, i), "checkbox", t(label), _points(points, sign), checked=label in ticked)
                for i, (label, points) in enumerate(options.items())]
    if isinstance(scorer, Deduction):
        return [Field(prefix, "number", gettext("扣分单位数"),
                      gettext("每单位扣 %(points)s 分") % {"points": _fmt(scorer.per_unit)},
                      "" if value is None else str(value), min="0", step="1")]
    if isinstance(scorer, PerCount):
        counts = value if isinstance(value, dict) else {}
        return [Field(_name(prefix, i), "number", t(label), gettext("每个 %(points)s 分") % {"points": _fmt(points)},
                      str(counts.get(label, "") or ""), min="0", step="1")
                for i, (label, points) in enumerate(scorer.weights.items())]
    if isinstance(scorer, ThresholdIncrement):
        got = value if isinstance(value, dict) else {}
        return [Field(_name(prefix, m.name), "number", t(m.title),
                      gettext("门槛 %(minimum)s") % {"minimum": _fmt(m.minimum)},
                      str(got.get(m.name, "") or ""), min="0", step="1") for m in scorer.measures]
    if isinstance(scorer, Graded):
        return [Field(prefix, "select", gettext("等次"), "", "" if value is None else str(value),
                      choices=[(k, f"{t(k)}（{_points(v)}）") for k, v in scorer.grades.items()], required=True)]
    if isinstance(scorer, Tiers):
        return [Field(prefix, "number", gettext("数值"), "", "" if value is None else str(value), min="0",
                      step="any", required=True)]
    if isinstance(scorer, RateTiers):
        return [Field(prefix, "number", gettext("比率（0–1）"), gettext("如 0.97 表示 97%"),
                      "" if value is None else str(value), min="0", max="1", step="0.01", required=True)]
    if isinstance(scorer, Veto):
        return [Field(prefix, "checkbox", gettext("触发一票否决"), "", checked=bool(value))]
    if isinstance(scorer, Manual):
        return [Field(prefix, "number", gettext("评分"), gettext("0–%(points)s 分") % {"points": _fmt(scorer.points)},
                      "" if value is None else str(value), min="0", max=_fmt(scorer.points), step="0.5",
                      required=True)]
    if isinstance(scorer, BestPlacing):
        lines = [f"{e.get('person', '')} {e.get('level', '')} {e.get('placing', '')}" for e in (value or [])
                 if isinstance(e, dict)]
        return [Field(prefix, "textarea", gettext("获奖名单（每行：姓名 级别 名次）"),
                      gettext("级别：") + "、".join(scorer.levels), "\n".join(lines))]
    raise RubricError(f"unsupported item kind {scorer.kind}")  # pragma: no cover


def item_specs(rubric: Rubric, values: Mapping[str, Any], notes: Mapping[str, str]) -> list[ItemSpec]:
    """Form specs for every item, filled with ``values`` (item key → stored input)."""
    program = rubric.key.split(".", 1)[0]
    sections = {s.key: section_title(rubric.key, s.key, s.title) for s in rubric.sections}
    specs: list[ItemSpec] = []
    for item in rubric.items:
        value = values.get(item.key)
        parts: list[PartSpec] = []
        fields: list[Field] = []
        prefix = f"i__{item.key}"
        if isinstance(item.scorer, Parts):
            got = value if isinstance(value, dict) else {}
            for part in item.scorer.parts:
                parts.append(PartSpec(part.key, rubric_title(rubric.key, part.key, part.title),
                                      shape(part.scorer, program), _fmt(part.scorer.points),
                                      _fields(part.scorer, _name(prefix, part.key), got.get(part.key), program)))
        else:
            fields = _fields(item.scorer, prefix, value, program)
        specs.append(ItemSpec(item.key, rubric_title(rubric.key, item.key, item.title),
                              sections.get(item.section) or gettext("一票否决项"), item.kind,
                              "" if item.kind == "veto" else _fmt(item.points), item.citation.label,
                              shape(item.scorer, program), fields, parts, notes.get(item.key, ""),
                              interpretation=item.interpretation))
    return specs


# ------------------------------------------------------------------------------------------ parsing


class Missing(Exception):
    """A required input (a grade, a judgement score, a number) was left blank."""


def _int(raw: str, label: str) -> int:
    raw = raw.strip()
    if not raw:
        return 0
    if not re.fullmatch(r"\d+", raw):
        raise ValueError(gettext("%(label)s：请填写不小于 0 的整数") % {"label": label})
    return int(raw)


def _number(raw: str, label: str) -> str:
    raw = raw.strip()
    if not raw:
        raise Missing(label)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(gettext("%(label)s：请填写数字") % {"label": label}) from None
    if not value.is_finite() or value < 0:
        raise ValueError(gettext("%(label)s：请填写不小于 0 的数字") % {"label": label})
    return raw


def _parse(scorer: Scorer, prefix: str, data: Mapping[str, Any]) -> Any:
    get = lambda name: str(data.get(name, "") or "")  # noqa: E731
    if isinstance(scorer, Checklist):
        return [label for i, label in enumerate(scorer.ticks) if get(_name(prefix, i))]
    if isinstance(scorer, Deduction):
        if scorer.per_unit is not None:
            return _int(get(prefix), "扣分单位数")
        return [label for i, label in enumerate(scorer.reasons) if get(_name(prefix, i))]
    if isinstance(scorer, PerCount):
        counts = {label: _int(get(_name(prefix, i)), label) for i, label in enumerate(scorer.weights)}
        return {k: v for k, v in counts.items() if v}
    if isinstance(scorer, ThresholdIncrement):
        return {m.name: _int(get(_name(prefix, m.name)), m.title) for m in scorer.measures}
    if isinstance(scorer, Graded):
        choice = get(prefix).strip()
        if not choice:
            raise Missing("等次")
        if choice not in scorer.grades:
            raise ValueError("请选择列出的等次")
        return choice
    if isinstance(scorer, Tiers | RateTiers | Manual):
        return _number(get(prefix), "评分" if isinstance(scorer, Manual) else "数值")
    if isinstance(scorer, Veto):
        return bool(get(prefix))
    if isinstance(scorer, BestPlacing):
        out = []
        for n, line in enumerate(get(prefix).splitlines(), 1):
            bits = line.replace("，", " ").replace(",", " ").split()
            if not bits:
                continue
            if len(bits) != 3 or not bits[2].isdecimal():
                raise ValueError(gettext("第 %(n)s 行：请按“姓名 级别 名次”填写") % {"n": n})
            out.append({"person": bits[0], "level": bits[1], "placing": int(bits[2])})
        return out
    raise RubricError(f"unsupported item kind {scorer.kind}")  # pragma: no cover


@dataclasses.dataclass
class Parsed:
    entries: dict[str, Any]
    notes: dict[str, str]
    missing: list[str]            # item keys with a blank required input
    errors: dict[str, str]        # item key → message

    @property
    def complete(self) -> bool:
        return not self.missing and not self.errors


def parse_post(rubric: Rubric, data: Mapping[str, Any]) -> Parsed:
    """Form data → rubric entries (item key → input in the shape ``score_rubric`` expects)."""
    parsed = Parsed({}, {}, [], {})
    for item in rubric.items:
        prefix = f"i__{item.key}"
        note = str(data.get(f"note__{item.key}", "") or "").strip()
        if note:
            parsed.notes[item.key] = note[:500]
        try:
            if isinstance(item.scorer, Parts):
                value: dict[str, Any] = {}
                missing = False
                for part in item.scorer.parts:
                    try:
                        value[part.key] = _parse(part.scorer, _name(prefix, part.key), data)
                    except Missing:
                        missing = True
                if missing:
                    raise Missing(item.key)
                parsed.entries[item.key] = value
            else:
                parsed.entries[item.key] = _parse(item.scorer, prefix, data)
        except Missing:
            parsed.missing.append(item.key)
        except ValueError as exc:
            parsed.errors[item.key] = str(exc)
    return parsed


def score(rubric: Rubric, entries: Mapping[str, Any]) -> tuple[RubricResult, Trace]:
    """Score complete entries with the policy scorer; FactsError names any item the scorer rejects."""
    trace = Trace()
    return score_rubric(rubric, entries, trace), trace


def facts_errors(rubric: Rubric, exc: FactsError) -> dict[str, str]:
    """Map the scorer's problems (field path, expected form) onto item keys."""
    keys = {i.key for i in rubric.items}
    out: dict[str, str] = {}
    for field, expected in exc.problems:
        head = str(field).split(".")[0].split("[")[0]
        out[head if head in keys else "(entries)"] = expected
    return out


def item_by_key(rubric: Rubric) -> dict[str, Item]:
    return {i.key: i for i in rubric.items}
