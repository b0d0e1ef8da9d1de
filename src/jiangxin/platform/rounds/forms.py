from __future__ import annotations

import json
import re
from typing import Any, ClassVar

from django import forms
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

from jiangxin.platform.core.templatetags.labels import cite, param_title, unit_name
from jiangxin.platform.rounds.models import Program, Round

#: a duration typed in words (3个月, 5个工作日, 30天, 2年; or 3 months, 5 working days…) → {"amount", "unit"}
_DURATION = re.compile(r"^(\d+)\s*(个工作日|工作日|个自然日|自然日|天|日|个月|月|年|working days?|calendar days?|"
                       r"days?|months?|years?)$", re.IGNORECASE)
_DURATION_UNITS = {"个工作日": "working_days", "工作日": "working_days", "个自然日": "calendar_days",
                   "自然日": "calendar_days", "天": "calendar_days", "日": "calendar_days", "个月": "months",
                   "月": "months", "年": "years", "working day": "working_days", "working days": "working_days",
                   "calendar day": "calendar_days", "calendar days": "calendar_days", "day": "calendar_days",
                   "days": "calendar_days", "month": "months", "months": "months", "year": "years",
                   "years": "years"}
_UNIT_WORDS = {"working_days": "个工作日", "calendar_days": "天", "months": "个月", "years": "年"}
_UNIT_WORDS_EN = {"working_days": " working days", "calendar_days": " days", "months": " months", "years": " years"}


def duration_words(value: Any) -> str:
    """``{"amount": 3, "unit": "months"}`` → ``3个月`` (``3 months`` for English readers; other values as JSON)."""
    if isinstance(value, dict) and set(value) == {"amount", "unit"} and value["unit"] in _UNIT_WORDS:
        english = (translation.get_language() or "").lower().startswith("en")
        return f"{value['amount']}{(_UNIT_WORDS_EN if english else _UNIT_WORDS)[value['unit']]}"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)


_EXPECTS_HELP = {
    "scalar": gettext_lazy("填一个数值，如 80"),
    "duration": gettext_lazy("填期限，如 3个月、5个工作日、30天、2年"),
    "table": gettext_lazy('填对照表 JSON，如 {"技师": 1000}'),
    "bands": gettext_lazy('JSON，如 {"below": "不合格", "bands": [{"min": 60, "label": "合格"}]}'),
    "shares": gettext_lazy("JSON 列表，如 [3, 3, 4]"),
}


class RoundForm(forms.ModelForm):
    """A round, plus one field per parameter the program's document leaves to the office."""

    class Meta:
        model = Round
        fields = ("year", "title", "opens", "closes", "district_review_due", "quota", "notice_reference")
        widgets: ClassVar[dict[str, Any]] = {
            "opens": forms.DateInput(attrs={"type": "date"}),
            "closes": forms.DateInput(attrs={"type": "date"}),
            "district_review_due": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, program: Program, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.program = program
        current = (self.instance.office_parameters if self.instance and self.instance.pk else {}) or {}
        self.param_fields: list[str] = []
        for p in program.parameters().unset():
            name = f"param__{p.name}"
            expects = p.expects.value if p.expects else "scalar"
            value = current.get(p.name)
            title = param_title(p.name, program.key)
            self.fields[name] = forms.CharField(
                label=(gettext("%(title)s（%(unit)s）") % {"title": title, "unit": unit_name(p.unit)}
                       if p.unit else title), required=False,
                help_text=format_html(gettext("由主管部门设定（非政策规定）；依据 {article}。{expects}"),
                                      article=cite(p.citation.label) if p.citation else "—",
                                      expects=_EXPECTS_HELP.get(expects, "")),
                initial=(duration_words(value) if value is not None else None))
            self.param_fields.append(name)

    def office_parameters(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.param_fields:
            raw = (self.cleaned_data.get(name) or "").strip()
            if not raw:
                continue
            words = _DURATION.match(raw)
            if words:
                out[name.removeprefix("param__")] = {"amount": int(words.group(1)),
                                                     "unit": _DURATION_UNITS[words.group(2).lower()]}
            elif raw[:1] in "{[":
                try:
                    out[name.removeprefix("param__")] = json.loads(raw)
                except ValueError:
                    self.add_error(name, gettext("格式有误：应为合法的 JSON"))
            else:
                out[name.removeprefix("param__")] = raw
        return out
