from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.applications.formgen import FactsForm, Node, chinese_expected, facts_tree, field_label
from jiangxin.platform.applications.uploads import UploadError, check_upload


def program_choices() -> list[tuple[str, str]]:
    """Every loaded program, by its name in the reader's language."""
    from jiangxin.platform.core.templatetags.labels import program_name
    from jiangxin.platform.rounds.catalog import PROGRAM_INFO

    return [(key, str(program_name(key))) for key in PROGRAM_INFO]


class RunForm(forms.Form):
    program = forms.ChoiceField(label=_("项目"), choices=program_choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class WhatIfForm(RunForm):
    shares = forms.CharField(label=_("分笔比例（如 4:3:3）"), required=False)
    pass_mark = forms.DecimalField(label=_("合格分数线（如 85）"), required=False, min_value=Decimal(0),
                                   max_value=Decimal(100))

    def clean_shares(self) -> list[int] | None:
        raw = (self.cleaned_data.get("shares") or "").strip()
        if not raw:
            return None
        try:
            parts = [int(p) for p in raw.replace("：", ":").split(":")]
        except ValueError:
            raise forms.ValidationError("请按“4:3:3”的格式填写正整数比例。") from None
        if any(p <= 0 for p in parts):
            raise forms.ValidationError("比例须为正整数。")
        return parts


class BudgetForm(RunForm):
    amount = forms.DecimalField(label=_("预算金额（元）"), min_value=Decimal(0), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


#: per computation, labels the facts models' descriptions do not give well (the equipment condition's
#: description starts with one of its values; a dict's rows are only "key" and "value")
LABEL_OVERRIDES: dict[str, dict[str, Any]] = {
    "equipment_subsidy": {"condition": _("新购或旧设备"), "value": _("购置费用或评估折旧后价值（元）")},
    "upgrade_subsidy": {"key": _("晋升后等级"), "value": _("人数")},
    "contest_subsidy": {"key": _("竞赛类别"), "value": _("承办项目数")},
}


def _relabel(form: FactsForm, computation: str) -> None:
    labels = LABEL_OVERRIDES.get(computation, {})
    for name, field in form.fields.items():
        last = name.rsplit("__", 1)[-1]
        if last in labels:
            star = " *" if str(field.label).endswith(" *") else ""
            field.label = f"{labels[last]}{star}"


class ClaimFactsForm(FactsForm):
    """The facts of one per-item subsidy, generated from the computation's facts model.

    ``hidden`` names facts the platform states itself (the award year, the course cap's already-granted
    money): they are left out of the form and put in by the view. ``categories`` turns the award category
    into a choice of the quota table's categories. Lesson rows without hours are left out (the teacher pool
    pre-fills a row per teacher; the unit enters hours for those who taught).
    """

    def __init__(self, computation: Any, *args: Any, hidden: tuple[str, ...] = (),
                 categories: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(computation.facts, *args, **kwargs)
        self.computation = computation
        for name in hidden:
            self.fields.pop(name, None)
            self.nodes.pop(name, None)
            for group in self.groups:
                if name in group.fields:
                    group.fields.remove(name)
        self.groups = [g for g in self.groups if g.fields or g.rows]
        _relabel(self, computation.name)
        if categories:
            for name in [n for n in self.fields if n.startswith("awards__") and n.endswith("__category")]:
                old = self.fields[name]
                self.fields[name] = forms.ChoiceField(
                    label=old.label, required=False, help_text="",
                    choices=[("", _("（请选择）"))] + [(c, _term(self.program, None, c)) for c in categories])

    def attach_problems(self, problems: list[tuple[str, str]]) -> None:
        """Put the computation's refusals on their fields; the rest above the form, named by their label."""
        for field, expected in problems:
            if not self.apply_problems([(field, expected)]):
                continue
            top, _sep, rest = str(field).partition(".")
            node = next((n for n in self.tree if n.name == top), None)
            where = (node.label if node else top) + (f"（{rest}）" if rest else "")
            self.add_error(None, f"{where}：{chinese_expected(expected)}")

    def facts(self) -> dict[str, Any]:
        data = super().facts()
        if self.computation.name == "teaching_subsidy":
            data["lessons"] = [row for row in data.get("lessons", []) if "hours" in row]
        return data


def claim_years() -> list[tuple[int, int]]:
    this = timezone.localdate().year
    return [(y, y) for y in range(this, this - 3, -1)]


class ClaimMetaForm(forms.Form):
    """What every claim has besides its facts: the year and the evidence."""

    year = forms.TypedChoiceField(label=_("申领年度"), coerce=int)
    evidence = forms.FileField(label=_("证明材料"), required=False,
                               help_text=_("PDF、图片、DOCX 或 XLSX；多份材料请合并为一个文件"))
    evidence_note = forms.CharField(label=_("证明材料说明"), required=False, max_length=300)

    def __init__(self, *args: Any, require_evidence: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = claim_years()
        self.require_evidence = require_evidence

    def clean_evidence(self) -> Any:
        uploaded = self.cleaned_data.get("evidence")
        if uploaded is None:
            if self.require_evidence:
                raise forms.ValidationError("提交申领须上传证明材料。")
            return None
        try:
            check_upload(uploaded)
        except UploadError as exc:
            raise forms.ValidationError(str(exc)) from None
        return uploaded


def _shown(node: Node | None, value: Any, program: str | None = None) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, list):
        return gettext("、").join(_term(program, node, v) for v in value)
    return _term(program, node, value)


def _term(program: str | None, node: Node | None, value: Any) -> str:
    """A stored value as the reader reads it: an enum term (市级洪工杯, 新购) by its ``enum.<value>`` label on
    English pages; numbers and typed text as they are."""
    if not isinstance(value, str):
        return str(value)
    from django.utils.translation import get_language

    from jiangxin.policy.labels import enum_label

    return enum_label(program, node.name if node else "", value, get_language() or "zh-hans")


def facts_table(computation: Any, facts: dict[str, Any], program: str | None = None) -> list[dict[str, Any]]:
    """A stored facts dict as labelled rows and sub-tables for the claim page (never raw JSON); labels and
    enum terms in the reader's language (the facts form's label layer)."""
    labels = LABEL_OVERRIDES.get(computation.name, {})
    out: list[dict[str, Any]] = [{"label": gettext("计算基准日"), "value": _shown(None, facts.get("as_of"))}]
    for node in facts_tree(computation.facts):
        value = facts.get(node.name)
        label = field_label(node, program)
        if node.kind == "list_obj":
            columns = [labels.get(c.name, field_label(c, program, node.name)) for c in node.children]
            rows = [[_shown(c, (row or {}).get(c.name), program) for c in node.children] for row in value or []]
            out.append({"label": label, "columns": columns, "rows": rows})
        elif node.kind == "dict":
            out.append({"label": label, "columns": [labels.get("key", gettext("项目")), labels.get("value", gettext("数量"))],
                        "rows": [[_term(program, node.key, k), _shown(node, v, program)]
                                 for k, v in (value or {}).items()]})
        else:
            out.append({"label": label, "value": _shown(node, value, program)})
    return out
