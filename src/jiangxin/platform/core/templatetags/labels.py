"""``{% load labels %}``: the one label layer pages use for codes, citations, traces, money, ratios and dates.

Names come from the labels files read by ``jiangxin.policy.labels`` (a program's ``labels.yaml`` first, then the
generic ``policy/labels.yaml``), keyed ``stage.<key>``, ``program.<key>``, ``status.<code>``, ``param.<name>``,
``interp.<code>`` or a bare rule id, each with a zh and an en title — so a page never shows the code itself.

* ``{{ stage|stage_title:program }}`` — a workflow stage (a ``Stage`` or its key) in the reader's language;
* ``{{ key|program_name }}`` — a program key;
* ``{{ citation|cite }}`` — a citation as ``<cite lang="zh-Hans">`` (the Chinese term of the document, also on
  English pages) with any interpretation code in it turned into a link titled in the reader's language;
* ``{{ text|interp_links }}`` — free text with ``I-<AREA>-<NN>`` codes turned into titled links;
* ``{{ value|percent }}`` — ``0.9494`` → ``94.94%``; ``{{ amount|yuan }}`` — ``12345.5`` → ``12,345.50 元`` (en: yuan);
* ``{{ unit|unit_name }}`` — a parameter's unit (``yuan`` → 元 / yuan);
* ``{{ day|ldate }}`` — ``2026年12月3日`` on Chinese pages, ``3 Dec 2026`` on English pages;
* ``{% trace outcome program %}`` — a decision trace as readable steps: rule, inputs, result, article.
* ``{{ value|enum_name }}`` / ``{{ values|enum_names }}`` — stored enum values (``county``, an honour 洪城工匠) by
  their ``enum.<value>`` label.

The module stays whole although long: it is one idea, the pages' one label layer, whose filters and tags all
read the same labels files; splitting it would leave templates loading several libraries for one job.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from django import template
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from jiangxin.policy.labels import generic_labels, program_labels
from jiangxin.policy.labels import rule_label as policy_rule_label

register = template.Library()

INTERP = re.compile(r"I-[A-Z]+-\d+")
DOCS_DIR = Path(__file__).resolve().parents[5] / "docs"
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
_HAN = re.compile(r"[\u3400-\u9fff]")


def _lang() -> str:
    return "en" if (translation.get_language() or "zh").lower().startswith("en") else "zh"


def lookup(program: str | None, key: str) -> str | None:
    """The label of ``key`` in the reader's language (program file first, then generic), or None."""
    tables = ([program_labels(program)] if program else []) + [generic_labels()]
    for table in tables:
        entry = table.get(key)
        if entry is not None:
            return entry[_lang()]
    return None


def _program_of(value: Any) -> str:
    return str(value or "").split("/", 1)[0]


@register.filter(name="stage_title")
def stage_title(stage: Any, program: Any = None) -> str:
    """A workflow stage (``Stage`` or key) in the reader's language; its YAML title when unlabelled."""
    key = stage if isinstance(stage, str) else str(getattr(stage, "key", "") or "")
    found = lookup(_program_of(program) or None, f"stage.{key}")
    if found:
        return found
    return str(getattr(stage, "title", "") or key)


@register.filter(name="program_name")
def program_name(key: Any) -> str:
    """``nanchang_studio`` → 南昌市示范性创新工作室 / Nanchang model innovation studio."""
    code = _program_of(key)
    return lookup(code or None, f"program.{code}") or code


@register.filter(name="action_name")
def action_name(action: Any) -> str:
    """A recorded review action (``advance``) in the reader's language."""
    code = str(action or "")
    return lookup(None, f"action.{code}") or (gettext("已办理") if _SNAKE.match(code) or code.isascii() else code)


@register.filter(name="enum_name")
def enum_name(value: Any, program: Any = None) -> str:
    """A stored enum value (a code such as ``county`` or a Chinese term of the rules such as an honour
    ``洪城工匠``, a title ``讲师``, a grade ``良好``) in the reader's language, from ``enum.<value>`` entries."""
    from jiangxin.policy.labels import enum_label

    text = str(value if value is not None else "")
    return enum_label(_program_of(program) or None, "", text, translation.get_language() or "zh-hans") if text else ""


@register.filter(name="enum_names")
def enum_names(values: Any, program: Any = None) -> str:
    """A list of enum values, each by :func:`enum_name`, joined for the reader (、 in Chinese, commas in English)."""
    separator = ", " if _lang() == "en" else "、"
    return separator.join(enum_name(v, program) for v in (values or []) if v not in (None, ""))


@register.filter(name="label")
def label(code: Any, program: Any = None) -> str:
    """Any labelled code (rule id, ``param.x``, ``status.x``…); unknown codes show as stored."""
    text = str(code or "")
    return lookup(_program_of(program) or None, text) or text


@cache
def _interp_headings() -> dict[str, str]:
    """English titles of the interpretations, from the headings of docs/interpretations.md."""
    path = DOCS_DIR / "interpretations.md"
    out: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^#{2,3} (I-[A-Z]+-\d+)\s*[—:-]?\s*(.*)$", line)
            if m:
                out[m.group(1)] = m.group(2).strip()
    return out


def interp_title(code: str) -> str:
    """An interpretation's short title in the reader's language (a generic one when it has none)."""
    found = lookup(None, f"interp.{code}")
    if found:
        return found
    if _lang() == "en":
        return _interp_headings().get(code) or gettext("解释口径说明")
    return gettext("解释口径说明")


#: a run of Chinese inside English text: Han characters with the digits, full-width punctuation and single spaces
#: between them (镇江 附件2 第11项, 第七条（四）, 附件1/附件2 宣传报道, “15名左右” without its quotes)
_HAN_RUN = re.compile(r"\d*[\u3400-\u9fff\uf900-\ufaff]"
                      r"(?:[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\d/–-]|\s(?=\d*[\u3400-\u9fff]))*")


@register.filter(name="cite_terms", is_safe=True)
def cite_terms(text: Any) -> SafeString:
    """English text that quotes the documents' Chinese terms (an interpretation's title ``the three deductions of the
    training item (镇江 附件2 第11项)``): escaped, each Chinese run as ``<cite lang="zh-Hans">``. Text without Latin
    letters is Chinese prose (a Chinese page's title) and is only escaped."""
    raw = str(text or "")
    if not re.search(r"[A-Za-z]", raw):
        return escape(raw)
    out, last = [], 0
    for m in _HAN_RUN.finditer(raw):
        out.append(escape(raw[last:m.start()]))
        out.append(format_html('<cite class="citation" lang="zh-Hans">{}</cite>', m.group(0).rstrip()))
        last = m.end()
    out.append(escape(raw[last:]))
    return mark_safe("".join(out))


def interp_link(code: str) -> SafeString:
    return format_html('<a class="interp" href="{}" title="{}">{}</a>',
                       reverse("core:interpretation", args=[code]), code, cite_terms(interp_title(code)))


@register.filter(name="interp_links", is_safe=True)
def interp_links(text: Any) -> SafeString:
    """Escape ``text`` and turn each interpretation code into a link titled in the reader's language."""
    raw = str(text or "")
    out, last = [], 0
    for m in INTERP.finditer(raw):
        out.append(escape(raw[last:m.start()]))
        out.append(interp_link(m.group(0)))
        last = m.end()
    out.append(escape(raw[last:]))
    return mark_safe("".join(out))


def _citation_label(citation: Any) -> str:
    if citation is None:
        return ""
    if isinstance(citation, Mapping):
        return str(citation.get("label") or "")
    return str(getattr(citation, "label", None) or citation)


@register.filter(name="cite", is_safe=True)
def cite(citation: Any) -> SafeString:
    """A citation in the Chinese term of its document, interpretation codes moved out as titled links."""
    text = _citation_label(citation)
    if not text:
        return mark_safe("")
    codes = list(dict.fromkeys(INTERP.findall(text)))
    bare = INTERP.sub("", text)
    bare = re.sub(r"[（(]\s*[）)]", "", bare)
    bare = re.sub(r"(解释\s*|口径\s*)?[，,；;、]?\s*(?=[）)])", "", bare).strip()
    if "docs/interpretations.md" in bare or bare.startswith("匠心解释口径") or (not bare.strip(" —") and codes):
        bare = ""
    links = SafeString(" ".join(interp_link(c) for c in codes))
    if not bare:
        return links
    return format_html('<cite class="citation" lang="zh-Hans">{}</cite>{}', bare,
                       SafeString(" " + links) if codes else "")


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter(name="percent")
def percent(value: Any, places: Any = 2) -> str:
    """A ratio as a percentage: ``0.9494`` → ``94.94%`` (non-numbers show as stored)."""
    number = _decimal(value)
    if number is None:
        return str(value if value is not None else "")
    text = f"{number * 100:.{int(places)}f}".rstrip("0").rstrip(".")
    return f"{text}%"


@register.filter(name="yuan")
def yuan(value: Any) -> str:
    """Money with thousands separators and its unit: ``12345.5`` → ``12,345.50 元`` / ``12,345.50 yuan``."""
    number = _decimal(value)
    if number is None:
        return str(value if value is not None else "")
    return f"{number:,.2f} {gettext('元')}"


def computation_title(program: Any, name: Any) -> str:
    """A computation (``upgrade_subsidy``) by its title in the reader's language (``computation.<name>`` in the
    program's labels), else the computation's own title, else the name."""
    code, key = str(name or ""), _program_of(program)
    found = lookup(key or None, f"computation.{code}")
    if found:
        return found
    from jiangxin.policy.registry import get_computation

    try:
        return str(get_computation(key, code).title)
    except Exception:
        return code


@register.filter(name="unit_name")
def unit_name(unit: Any) -> str:
    """A parameter's unit (``yuan``, ``points``…) in the reader's language (``unit.<code>``); others as stored."""
    code = str(unit or "")
    return lookup(None, f"unit.{code}") or code


@register.filter(name="ldate")
def ldate(value: Any) -> str:
    """A date for the reader: ``2026年12月3日`` (zh) or ``3 Dec 2026`` (en)."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if not isinstance(value, dt.date):
        return ""
    if _lang() == "en":
        return f"{value.day} {value.strftime('%b')} {value.year}"
    return f"{value.year}年{value.month}月{value.day}日"


def _format_value(name: str, value: Any, program: str) -> str:
    """A trace input or result for people: ratios as percentages, booleans as 是/否, codes through labels."""
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if value is None:
        return "—"
    if isinstance(value, Mapping):
        return gettext("；").join(f"{_name(str(k), program)} {_format_value(str(k), v, program)}"
                                 for k, v in value.items())
    if isinstance(value, list | tuple):
        return gettext("、").join(_format_value(name, v, program) for v in value) or "—"
    if isinstance(value, dt.date):
        return ldate(value)
    text = str(value)
    lowered = name.lower()
    if _decimal(value) is not None and any(w in lowered for w in ("share", "ratio", "rate", "split", "pct")) \
            and "percent" not in lowered and Decimal(str(value)) <= 1:
        return percent(value)
    if _SNAKE.match(text):
        return label(text, program)
    if _lang() == "en" and _HAN.search(text):  # a stored term (省级, 市级洪工杯): its enum label, if it has one
        return lookup(program or None, f"enum.{text}") or text
    return text


def _name(key: str, program: str) -> str:
    for candidate in (f"param.{key}", key):
        found = lookup(program or None, candidate)
        if found:
            return found
    if _SNAKE.match(key):
        return gettext("参数")
    if _lang() == "en" and _HAN.search(key):  # a Chinese term used as a key (合格 of a grade band)
        return lookup(program or None, f"enum.{key}") or key
    return key


@register.inclusion_tag("core/_trace.html")
def trace(outcome: Any, program: Any = "", only_failures: bool = False) -> dict[str, Any]:
    """A decision trace as readable steps (rule, inputs, result, article); never a repr."""
    program_key = _program_of(program) or _program_of(
        outcome.get("computation") if isinstance(outcome, Mapping) else getattr(outcome, "computation", "") or "")
    if isinstance(outcome, list | tuple):
        steps_raw: Any = outcome
    else:
        steps_raw = (outcome.get("trace") if isinstance(outcome, Mapping) else getattr(outcome, "trace", None)) or []
    steps = []
    for s in steps_raw:
        get = s.get if isinstance(s, Mapping) else (lambda k, d=None, s=s: getattr(s, k, d))
        passed = get("passed")
        if only_failures and passed is not False:
            continue
        params = get("parameters") or {}
        inputs = get("inputs") or {}
        result = get("result")
        title = policy_rule_label(program_key or None, str(get("rule") or ""), _lang())
        steps.append({
            "passed": passed,
            "rule": str(get("rule") or ""),
            "title": gettext("计算步骤") if _SNAKE.match(title) else title,
            "inputs": [(_name(str(k), program_key), _format_value(str(k), v, program_key))
                       for k, v in {**dict(inputs), **dict(params)}.items()],
            "result": "" if isinstance(result, bool) else _format_value(str(get("rule") or ""), result, program_key),
            "citation": get("citation"),
            "note": get("note") or "",
        })
    return {"steps": steps}


@cache
def _rubric_data(rubric: str) -> Mapping[str, Any]:
    """A program's rubric YAML (``nanchang_academy.annual`` → rubrics/annual.yaml), {} when there is none."""
    import yaml

    from jiangxin.policy.registry import program_folder

    program, _, name = rubric.partition(".")
    if not (program.isidentifier() and name.isidentifier()):
        return {}
    path = program_folder(program) / "rubrics" / f"{name}.yaml"
    if not path.is_file():  # a file named with hyphens (assessment-template.yaml holds …assessment_template)
        path = path.with_name(f"{name.replace('_', '-')}.yaml")
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, Mapping) else {}


@cache
def rubric_titles(rubric: str) -> dict[str, str]:
    """Titles of a rubric's items, parts and measures (``nanchang_academy.annual`` → its YAML), by key; a section's
    title only where no item, part or measure has its key (the studio's section ``demonstration`` has one)."""
    return {**rubric_section_titles(rubric), **_item_titles(rubric)}


@cache
def _item_titles(rubric: str) -> dict[str, str]:
    out: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            if isinstance(node.get("key"), str) and isinstance(node.get("title"), str):
                out.setdefault(node["key"], node["title"])
            measures = node.get("measures")
            if isinstance(measures, Mapping):
                for k, v in measures.items():
                    if isinstance(v, Mapping) and isinstance(v.get("title"), str):
                        out.setdefault(str(k), v["title"])
                        if isinstance(node.get("key"), str):  # the part's own title of a shared measure key
                            out.setdefault(f"{node['key']}.{k}", v["title"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk({k: v for k, v in _rubric_data(rubric).items() if k != "sections"})
    return out


@cache
def rubric_section_titles(rubric: str) -> dict[str, str]:
    """Titles of a rubric's sections only (``nanchang_studio.assessment_template`` → 示范作用 for ``demonstration``,
    although its item ``demonstration`` is titled 示范引领与带动)."""
    sections = _rubric_data(rubric).get("sections")
    return {str(s["key"]): str(s["title"]) for s in sections or []
            if isinstance(s, Mapping) and isinstance(s.get("key"), str) and isinstance(s.get("title"), str)}


@register.filter(name="rubric_item")
def rubric_item(key: Any, rubric: Any) -> str:
    """A rubric item, part or measure key in the reader's language (labels first, then the rubric's title)."""
    code = str(key or "")
    program = str(rubric or "").split(".", 1)[0]
    found = lookup(program, f"{rubric}.{code}") or lookup(program, f"param.{code}") or lookup(program, f"enum.{code}")
    if found:
        return found
    title = rubric_titles(str(rubric or "")).get(code)
    if title:  # the rubric's Chinese title; on English pages its ``enum.<title>`` label (measures are titled so)
        return lookup(program, f"enum.{title}") or title
    return gettext("项目") if _SNAKE.match(code) else label(code, program)


def _measure(key: str, parent: str, rubric: Any) -> str:
    """A measure inside a part (``sessions`` of ``public_welfare``): the part's own title of it, else the key's."""
    if parent and f"{parent}.{key}" in rubric_titles(str(rubric or "")):
        return rubric_item(f"{parent}.{key}", rubric)
    return rubric_item(key, rubric)


@register.filter(name="rubric_section")
def rubric_section(key: Any, rubric: Any) -> str:
    """A rubric section key in the reader's language: its ``<rubric>.section.<key>`` label, else the section's own
    title (Chinese pages) — never the title of an item that shares the key (the studio's ``demonstration``)."""
    code, name = str(key or ""), str(rubric or "")
    program = name.split(".", 1)[0]
    found = lookup(program, f"{name}.section.{code}")
    if found:
        return found
    own = rubric_section_titles(name).get(code)
    if _lang() == "en" and code not in _item_titles(name):  # labelled alongside the items (no key shared)
        found = lookup(program, f"{name}.{code}")
        if found:
            return found
    return own or rubric_item(code, name)


@register.filter(name="rubric_value")
def rubric_value(value: Any, rubric: Any, parent: str = "") -> SafeString:
    """A prefilled rubric fact for people: nested counts as “技能提升培训（培训期数 3；培训职工人数 360）”, never a
    repr; titles, terms (省级) and punctuation in the reader's language, a person's name marked as data."""
    if isinstance(value, Mapping):
        if not value:
            return mark_safe("—")
        parts = []
        for k, v in value.items():
            if isinstance(v, Mapping):
                parts.append(mark_safe(gettext("%(title)s（%(inner)s）") % {
                    "title": conditional_escape(rubric_item(k, rubric)), "inner": rubric_value(v, rubric, str(k))}))
            elif k == "person":  # a best-placing entry's person: data, as typed
                parts.append(format_html('{} <span class="data">{}</span>', _measure(str(k), parent, rubric), v))
            else:
                parts.append(format_html("{} {}", _measure(str(k), parent, rubric), rubric_value(v, rubric)))
        return mark_safe(conditional_escape(gettext("；")).join(parts))
    if isinstance(value, list | tuple):
        return mark_safe(conditional_escape(gettext("、")).join(rubric_value(v, rubric) for v in value) or "—")
    return conditional_escape(_format_value("", value, str(rubric or "").split(".", 1)[0]))


def _model(object_type: str) -> Any:
    from django.apps import apps

    app_label, _, model = object_type.partition(".")
    try:
        return apps.get_model(app_label, model)
    except (LookupError, ValueError):
        return None


@register.filter(name="audit_action")
def audit_action(action: Any) -> str:
    """An audit action (``academy.import.finish``) in words; an unlabelled one by its app and last verb."""
    code = str(action or "")
    found = lookup(None, f"audit.{code}")
    if found:
        return found
    return gettext("其他操作") if code.isascii() else code


@register.filter(name="object_type_name")
def object_type_name(object_type: Any) -> str:
    """``academy.ImportJob`` → the model's name in the reader's language (学员导入任务 / …)."""
    model = _model(str(object_type or ""))
    if model is not None:
        return str(model._meta.verbose_name)
    text = str(object_type or "")
    return gettext("记录") if text.isascii() else text


@register.filter(name="field_name")
def field_name(field: Any, object_type: Any = "") -> str:
    """A model field named in an audit diff, by its label (``spent_on`` → 支出日期)."""
    name = str(field or "")
    model = _model(str(object_type or ""))
    if model is not None:
        for candidate in (name, name.removesuffix("_id")):
            try:
                return str(model._meta.get_field(candidate).verbose_name)
            except Exception:
                continue
    return lookup(None, f"param.{name}") or (gettext("字段") if _SNAKE.match(name) or name.isascii() else name)


@register.filter(name="param_title")
def param_title(name: Any, program: Any = None) -> str:
    """A parameter name (``evaluation_pass_mark``) by its title: labels first, then the program's parameters."""
    code = str(name or "")
    key = str(getattr(program, "key", program) or "")
    found = lookup(key or None, f"param.{code}")
    if found:
        return found
    if key:
        try:
            from jiangxin.policy.registry import PROGRAMS
            from jiangxin.programs import load_all

            load_all()  # the program's registered parameters (what the Program row's parameters() returns)
            program_obj = program if hasattr(program, "parameters") else PROGRAMS.get(key)
            parameter = program_obj.parameters().parameters.get(code) if program_obj is not None else None
        except Exception:
            parameter = None
        if parameter is not None:
            return str(parameter.title)
    return gettext("参数") if _SNAKE.match(code) else code
