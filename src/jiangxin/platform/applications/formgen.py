"""Application forms derived from a computation's facts model.

The pydantic JSON schema of the facts model is walked into a tree of :class:`Node`; the tree yields flat
Django form fields (``parent__child``, list rows ``parent__0__child``), turns cleaned data back into the
facts dict the computation validates, and turns a stored facts dict into initial values. Whatever the
walker does not understand becomes a JSON text field, so a new computation never breaks the form.

The module stays whole although long: it is one idea, one walk of a facts schema into form fields and back;
splitting it would separate each node kind from its own reverse mapping.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy, gettext_noop

SEP = "__"
_LABEL_END = re.compile(r"[:(（—–,，;；]| [a-zA-Z]")
_BOOL_CHOICES = [("", gettext_lazy("（未填）")), ("true", gettext_lazy("是")), ("false", gettext_lazy("否"))]


@dataclasses.dataclass
class Node:
    name: str
    kind: str  # date decimal int bool enum str object list_obj list_scalar dict json
    label: str = ""
    help: str = ""
    required: bool = False
    nullable: bool = False
    has_default: bool = False
    choices: list[Any] = dataclasses.field(default_factory=list)
    children: list[Node] = dataclasses.field(default_factory=list)
    item: Node | None = None  # list_scalar item / dict value
    key: Node | None = None   # dict key


def short_label(name: str, description: str) -> str:
    """The Chinese term at the start of a description (“荣誉称号: …” → 荣誉称号); the field name otherwise."""
    text = (description or "").strip()
    match = _LABEL_END.search(text)
    head = text[:match.start()].strip() if match else text
    if head and re.search(r"[\u4e00-\u9fff]", head) and len(head) <= 40:
        return head
    return name


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "zh").lower().startswith("en")


def field_label(node: Node, program: str | None, parent: str = "") -> str:
    """A facts field's label for the reader: the Chinese term that opens its description on Chinese pages;
    on English pages its ``param.<parent>.<name>`` or ``param.<name>`` label (the label layer), else its name
    in words (``has_fixed_venue`` → Has fixed venue)."""
    if not _english():
        return node.label
    from jiangxin.platform.core.templatetags.labels import lookup

    for key in ([f"param.{parent}.{node.name}"] if parent else []) + [f"param.{node.name}"]:
        found = lookup(program, key)
        if found:
            return found
    words = node.name.replace("_", " ").strip()
    return (words[:1].upper() + words[1:]) if words else node.name


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        ref = schema["$ref"].split("/")[-1]
        extra = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**defs[ref], **extra}
    return schema


_PROSE = re.compile(r"[A-Za-z][a-z]+(?:[ ,'-]+[A-Za-z][a-z]*){1,}")
_NOISE = re.compile(r"[（(]\s*(?:解释\s*)?I-[A-Z]+-\d+\s*[)）]|\bI-[A-Z]+-\d+\b|;?\s*null when none|[，,；;]?\s*可为空列表"
                    r"|[；;]?\s*未\S{0,4}填\s*null|[；;]?\s*无则省略")


def localized_help(description: str, label: str = "") -> str:
    """The help text for the reader: the Chinese part on Chinese pages, the English part on English ones.

    Field descriptions in the facts models read “中文术语: English explanation (I-<AREA>-<NN>)”; pages must not mix
    the two, nor show interpretation codes or JSON words (null, 可为空列表).
    """
    from django.utils.translation import get_language

    text = _NOISE.sub("", description or "").strip()
    text = re.sub(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*\s*[(（]([^)）]*)[)）]", r"\1", text)  # code (中文) → 中文
    match = _PROSE.search(text)
    zh, en = (text[:match.start()], text[match.start():]) if match else (text, "")
    zh = re.sub(r"[\sA-Za-z_→]+$", "", zh).strip(" :：—–-,，;；→")
    en = en.strip(" :：—–-,，;；")
    if (get_language() or "zh").lower().startswith("en"):
        return "" if re.search(r"[\u3400-\u9fff]|\b[a-z]+_[a-z0-9_]+\b", en) else en
    return "" if zh == label or zh == label.rstrip(" *") else zh


def _node(name: str, schema: dict[str, Any], defs: dict[str, Any], required: bool, depth: int = 0) -> Node:
    description = schema.get("description", "")
    has_default = "default" in schema
    schema = _resolve(schema, defs)
    description = description or schema.get("description", "")
    nullable = False
    if "anyOf" in schema:
        options = [_resolve(o, defs) for o in schema["anyOf"]]
        non_null = [o for o in options if o.get("type") != "null"]
        nullable = len(non_null) < len(options)
        types = {o.get("type") for o in non_null}
        if types == {"number", "string"} or (types == {"string"} and len(non_null) == 2):
            node = Node(name, "decimal")
        elif len(non_null) == 1:
            node = _node(name, {**non_null[0], "description": description}, defs, required, depth)
            node.nullable = nullable or node.nullable
            node.has_default = has_default
            return node
        else:
            node = Node(name, "json")
    elif "enum" in schema:
        node = Node(name, "enum", choices=list(schema["enum"]))
    elif "const" in schema:
        node = Node(name, "enum", choices=[schema["const"]])
    else:
        typ = schema.get("type")
        if typ == "string" and schema.get("format") == "date":
            node = Node(name, "date")
        elif typ == "string":
            node = Node(name, "str")
        elif typ == "integer":
            node = Node(name, "int")
        elif typ == "number":
            node = Node(name, "decimal")
        elif typ == "boolean":
            node = Node(name, "bool")
        elif typ == "object" and "properties" in schema and depth < 3:
            req = set(schema.get("required", []))
            node = Node(name, "object", children=[
                _node(k, v, defs, k in req, depth + 1) for k, v in schema["properties"].items()])
            if any(c.kind == "json" and c.name != "json" for c in node.children) and depth >= 2:
                node = Node(name, "json")
        elif typ == "object" and isinstance(schema.get("additionalProperties"), dict):
            value = _node("value", schema["additionalProperties"], defs, True, depth + 1)
            key = _node("key", schema.get("propertyNames", {"type": "string"}), defs, True, depth + 1)
            node = Node(name, "dict", item=value, key=key) if value.kind in SCALARS else Node(name, "json")
        elif typ == "array":
            item = _node("item", schema.get("items", {}), defs, True, depth + 1)
            if item.kind == "object" and all(c.kind in SCALARS or c.kind == "list_scalar" for c in item.children):
                node = Node(name, "list_obj", children=item.children)
            elif item.kind in SCALARS:
                node = Node(name, "list_scalar", item=item)
            else:
                node = Node(name, "json")
        else:
            node = Node(name, "json")
    node.label = short_label(name, description)
    node.help = description
    node.required = required and not has_default
    node.nullable = node.nullable or nullable
    node.has_default = has_default
    return node


SCALARS = frozenset({"date", "decimal", "int", "bool", "enum", "str"})


def facts_tree(model: type[Any], skip: tuple[str, ...] = ("as_of",)) -> list[Node]:
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    req = set(schema.get("required", []))
    return [_node(k, v, defs, k in req) for k, v in schema.get("properties", {}).items() if k not in skip]


def without_reviewer_fields(tree: list[Node], program: str | None) -> list[Node]:
    """The tree without the fields a stage of the program's workflow has the reviewer confirm
    (``confirmations`` in ``workflow.yaml``, e.g. who confirmed a route): nobody types those into a form."""
    from jiangxin.policy.workflow import WorkflowError, load_workflow

    if not program:
        return tree
    try:
        reviewer = load_workflow(program).reviewer_fields()
    except WorkflowError:
        return tree
    out = []
    for node in tree:
        drop = reviewer.get(node.name)
        if drop and node.kind == "list_obj":
            node = dataclasses.replace(node, children=[c for c in node.children if c.name not in drop])
        out.append(node)
    return out


# ---- Django fields -------------------------------------------------------------------------------------

def program_of(model: type[Any]) -> str | None:
    """The program key of a facts model defined under ``jiangxin.programs.<program>``."""
    parts = getattr(model, "__module__", "").split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["jiangxin", "programs"] else None


def _choice_label(value: Any, field: str = "", program: str | None = None) -> str:
    """Chinese label of an enum value (policy.labels.enum_label), e.g. county → 县级."""
    from django.utils.translation import get_language

    from jiangxin.policy.labels import enum_label

    return enum_label(program, field, str(value), get_language() or "zh-hans")


def _field(node: Node, label: str, program: str | None = None) -> forms.Field:
    star = "" if not node.required else " *"
    help_text = localized_help(node.help, label)
    common: dict[str, Any] = {"required": False, "label": label + star, "help_text": help_text}
    if node.kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if node.kind == "decimal":
        return forms.DecimalField(**common)
    if node.kind == "int":
        return forms.IntegerField(**common)
    if node.kind == "bool":
        if node.nullable or node.has_default:
            return forms.ChoiceField(choices=_BOOL_CHOICES, **common)
        return forms.BooleanField(**common)
    if node.kind == "enum":
        empty = _choice_label("null", node.name, program) if node.nullable else ""
        if empty in ("", "null"):
            empty = gettext("（请选择）")
        return forms.ChoiceField(choices=[("", empty)] + [(str(c), _choice_label(c, node.name, program))
                                                             for c in node.choices],
                                 **common)
    if node.kind == "str":
        return forms.CharField(**common)
    if node.kind == "list_scalar":
        assert node.item is not None
        if node.item.kind == "enum":
            return forms.MultipleChoiceField(choices=[(str(c), _choice_label(c, node.name, program))
                                                      for c in node.item.choices],
                                             widget=forms.CheckboxSelectMultiple, **common)
        common["help_text"] = help_text + gettext("（每行一项）")
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)
    common["help_text"] = help_text + gettext("（按示例格式填写）")
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)


@dataclasses.dataclass
class Group:
    """A block of the rendered form: a title and either plain field names or rows of field names."""

    title: str
    help: str
    fields: list[str] = dataclasses.field(default_factory=list)
    rows: list[list[str]] = dataclasses.field(default_factory=list)
    add_row: str = ""
    toggle: str = ""


def count_rows(data: Any, path: str) -> int:
    pattern = re.compile(rf"^{re.escape(path)}{SEP}(\d+){SEP}")
    indices = [int(m.group(1)) for key in (data or {}) if (m := pattern.match(key))]
    return max(indices) + 1 if indices else 0


class FactsForm(forms.Form):
    """A form for a facts model. ``rows`` sets the number of rows of each repeatable block."""

    def __init__(self, model: type[Any], *args: Any, initial_facts: dict[str, Any] | None = None,
                 extra_rows: dict[str, int] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.program = program_of(model)
        self.tree = without_reviewer_fields(facts_tree(model), self.program)
        self.nodes: dict[str, Node] = {}
        self.groups: list[Group] = []
        general = Group(gettext("基本条件"), "")
        self.groups.append(general)
        initial_facts = initial_facts or {}
        extra_rows = extra_rows or {}
        for node in self.tree:
            self._add(node, node.name, field_label(node, self.program), general, initial_facts.get(node.name),
                      extra_rows)
        if not self.is_bound:
            self.initial.update(to_initial(self.tree, initial_facts))
        self.groups = [g for g in self.groups if g.fields or g.rows]

    def _add(self, node: Node, path: str, label: str, group: Group, initial: Any, extra: dict[str, int]) -> None:
        if node.kind == "object":
            sub = Group(label, localized_help(node.help, label))
            self.groups.append(sub)
            if node.nullable or not node.required:
                toggle = f"{path}{SEP}present"
                self.fields[toggle] = forms.BooleanField(required=False,
                                                         label=gettext("填写“%(label)s”") % {"label": label})
                sub.toggle = toggle
                if not self.is_bound:
                    self.initial[toggle] = initial is not None
            for child in node.children:
                self._add(child, f"{path}{SEP}{child.name}", field_label(child, self.program, node.name), sub,
                          (initial or {}).get(child.name) if isinstance(initial, dict) else None, extra)
            return
        if node.kind in ("list_obj", "dict"):
            sub = Group(label + ("" if not node.required else " *"), localized_help(node.help, label), add_row=path)
            self.groups.append(sub)
            present = count_rows(self.data, path) if self.is_bound else len(initial or []) + 1
            n = max(present, 1) + extra.get(path, 0)
            for i in range(n):
                row = []
                children = (node.children if node.kind == "list_obj"
                            else cast("list[Node]", [node.key, node.item]))  # a dict: key and item, asserted below
                for child in children:
                    assert child is not None
                    name = f"{path}{SEP}{i}{SEP}{child.name}"
                    self.fields[name] = _field(child, field_label(child, self.program, node.name)
                                               if node.kind == "list_obj" else
                                               (gettext("年份/键") if child.name == "key" else gettext("数值")),
                                               self.program)
                    self.nodes[name] = child
                    row.append(name)
                sub.rows.append(row)
            self.nodes[path] = node
            return
        self.fields[path] = _field(node, label, self.program)
        self.nodes[path] = node
        group.fields.append(path)

    def facts(self) -> dict[str, Any]:
        """The facts dict from cleaned data (call after is_valid())."""
        return from_cleaned(self.tree, self.cleaned_data, self.data)

    def problem_field(self, path: str) -> str | None:
        """The form field a problem's fact path names: ``recognised_results.0.year`` → its row's field; a year key
        of a dict (``innovation_projects_by_year.2024``, ``….abcd.[key]``) → the row holding that key; an object
        or a whole list → its first field."""
        name = path.replace(".", SEP)
        if name in self.fields:
            return name
        head, _, rest = path.partition(".")
        node = self.nodes.get(head)
        if node is not None and node.kind == "dict" and rest:
            key, _, part = rest.partition(".")
            for i in range(count_rows(self.data if self.is_bound else self.initial, head)):
                raw = (self.data if self.is_bound else self.initial).get(f"{head}{SEP}{i}{SEP}key")
                if str(raw if raw is not None else "").strip() == key:
                    return f"{head}{SEP}{i}{SEP}{'key' if part == '[key]' else 'value'}"
        return next((f for f in self.fields if f.startswith(name + SEP)), None)

    def problem_label(self, path: str) -> str:
        """The Chinese label of a problem's fact path (the fact path itself when it names no field)."""
        name = path.replace(".", SEP)
        head, _, rest = path.partition(".")
        node = self.nodes.get(head)
        if node is not None and node.kind == "dict":  # a row of year → count: the block's label and the key
            key = rest.partition(".")[0]
            return f"{node.label} {key}" if key else node.label
        if name in self.fields:
            return str(self.fields[name].label).rstrip(" *")
        if name in self.nodes:
            return self.nodes[name].label
        return path

    def apply_problems(self, problems: list[tuple[str, str]]) -> list[str]:
        """Attach FactsError problems to fields; returns the ones that fit no field (shown above the form)."""
        leftover = []
        for field, expected in problems:
            name = field.replace(".", SEP)
            message = chinese_expected(expected)
            target = name if name in self.fields else None
            if target is None:
                # a list/dict path or an object path: attach to its first field
                target = next((f for f in self.fields if f.startswith(name + SEP)), None)
            if target is not None and self.is_bound:
                self.add_error(target, message)
            else:
                leftover.append(f"{field}：{message}")
        return leftover


def chinese_expected(expected: str) -> str:
    table = [("required field is missing", gettext_noop("此项必填")),
             ("a date in the form YYYY-MM-DD", gettext_noop("应为日期（YYYY-MM-DD）")),
             ("a decimal number", gettext_noop("应为数字")),
             ("a whole number", gettext_noop("应为整数")),
             ("true or false", gettext_noop("应为“是”或“否”")),
             ("one of", gettext_noop("应为可选值之一")),
             ("not a known field", gettext_noop("不是该项目的字段")),
             ("a value at or above", gettext_noop("数值低于下限")),
             ("a value at or below", gettext_noop("数值高于上限")),
             # the policy core passes pydantic's own bound ("a value greater than or equal to 1949 (got -1)")
             ("a value greater than", gettext_noop("数值低于下限")),
             ("a value less than", gettext_noop("数值高于上限")),
             ("a list", gettext_noop("应为列表")),
             ("List should have at least", gettext_noop("至少填写一项")),
             ("Dictionary should have at least", gettext_noop("至少填写一项")),
             ("String should have at least", gettext_noop("此项必填")),
             ("Value error, a year at or before the year of as_of",
              gettext_noop("年份不能晚于资格审查基准日所在年份")),
             ("Value error, ", gettext_noop("填写有误")),
             ("an object", gettext_noop("应为对象"))]
    for prefix, chinese in table:
        if expected.startswith(prefix):
            return gettext(chinese)
    return gettext("不符合要求")


# ---- conversions ---------------------------------------------------------------------------------------

def _scalar_out(node: Node, value: Any) -> Any:
    """Cleaned form value → JSON value; ``_EMPTY`` when nothing was entered."""
    if node.kind == "bool":
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        return _EMPTY
    if value in (None, "", [], ()):
        return _EMPTY
    if node.kind == "date":
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if node.kind == "decimal":
        return str(value)
    if node.kind == "enum":
        for choice in node.choices:
            if str(choice) == str(value):
                return choice
        return value
    if node.kind == "list_scalar":
        assert node.item is not None
        items = value if isinstance(value, list) else [v.strip() for v in str(value).splitlines() if v.strip()]
        if node.item.kind == "enum":
            return [_scalar_out(node.item, v) for v in items]
        if node.item.kind == "int":
            out = []
            for v in items:
                try:
                    out.append(int(v))
                except ValueError:
                    out.append(v)
            return out
        return items
    if node.kind == "json":
        try:
            return json.loads(value)
        except (TypeError, ValueError):
            return value
    return value


class _Empty:
    pass


_EMPTY = _Empty()


def _collect(node: Node, path: str, cleaned: dict[str, Any], data: Any) -> Any:
    if node.kind == "object":
        toggle = f"{path}{SEP}present"
        if toggle in cleaned and not cleaned.get(toggle):
            return None if node.nullable else _EMPTY
        out = {}
        for child in node.children:
            value = _collect(child, f"{path}{SEP}{child.name}", cleaned, data)
            if value is not _EMPTY:
                out[child.name] = value
        return out if out or toggle in cleaned else _EMPTY
    if node.kind in ("list_obj", "dict"):
        rows = []
        for i in range(count_rows(cleaned, path)):
            row = {}
            children = (node.children if node.kind == "list_obj"
                        else cast("list[Node]", [node.key, node.item]))  # a dict: key and item, asserted below
            for child in children:
                assert child is not None
                value = _scalar_out(child, cleaned.get(f"{path}{SEP}{i}{SEP}{child.name}"))
                if value is not _EMPTY and not (child.kind == "bool" and value is False and node.kind == "list_obj"
                                                and not _row_has_other(cleaned, path, i, child.name)):
                    row[child.name] = value
            if row:
                rows.append(row)
        if node.kind == "dict":
            return {str(r.get("key")): r.get("value") for r in rows if "key" in r}
        return rows
    return _scalar_out(node, cleaned.get(path))


def _row_has_other(cleaned: dict[str, Any], path: str, i: int, name: str) -> bool:
    prefix = f"{path}{SEP}{i}{SEP}"
    return any(k.startswith(prefix) and not k.endswith(SEP + name) and v not in (None, "", False, [])
               for k, v in cleaned.items())


def from_cleaned(tree: list[Node], cleaned: dict[str, Any], data: Any = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for node in tree:
        value = _collect(node, node.name, cleaned, data)
        if value is _EMPTY:
            if node.nullable:
                out[node.name] = None  # explicit "none" rather than a silent default
            continue
        out[node.name] = value
    return out


def _scalar_in(node: Node, value: Any) -> Any:
    if value is None:
        return "" if node.kind != "bool" or node.nullable or node.has_default else False
    if node.kind == "bool":
        if node.nullable or node.has_default:
            return "true" if value else "false"
        return bool(value)
    if node.kind == "list_scalar":
        assert node.item is not None
        if node.item.kind == "enum":
            return [str(v) for v in value]
        return "\n".join(str(v) for v in value)
    if node.kind == "json":
        return json.dumps(value, ensure_ascii=False)
    if node.kind == "decimal":
        return Decimal(str(value)) if value != "" else ""
    if node.kind == "enum":
        return str(value)
    return value


def _initial(node: Node, path: str, value: Any, out: dict[str, Any]) -> None:
    if node.kind == "object":
        out[f"{path}{SEP}present"] = value is not None
        for child in node.children:
            _initial(child, f"{path}{SEP}{child.name}", (value or {}).get(child.name), out)
        return
    if node.kind == "list_obj":
        for i, row in enumerate(value or []):
            for child in node.children:
                out[f"{path}{SEP}{i}{SEP}{child.name}"] = _scalar_in(child, (row or {}).get(child.name))
        return
    if node.kind == "dict":
        for i, (k, v) in enumerate((value or {}).items()):
            out[f"{path}{SEP}{i}{SEP}key"] = k
            out[f"{path}{SEP}{i}{SEP}value"] = v
        return
    if value is not None or node.kind == "bool":
        out[path] = _scalar_in(node, value)


def to_initial(tree: list[Node], facts: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for node in tree:
        _initial(node, node.name, facts.get(node.name), out)
    return out


def validate_json_fields(form: FactsForm) -> None:
    for name, node in form.nodes.items():
        if node.kind == "json" and form.cleaned_data.get(name):
            try:
                json.loads(form.cleaned_data[name])
            except ValueError:
                form.add_error(name, ValidationError(gettext("应为合法的 JSON")))
