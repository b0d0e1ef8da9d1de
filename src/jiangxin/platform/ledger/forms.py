from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

PROGRAM_CHOICES = (("nanchang_academy", _("南昌市工匠学院")), ("nanchang_studio", _("南昌市创新工作室")),
                   ("zhenjiang_park", _("镇江创新园")), ("ganzhou_craftsman", _("赣州工匠")),
                   ("jiangsu_technician", _("江苏卓越技师")))


class RunForm(forms.Form):
    program = forms.ChoiceField(label=_("项目"), choices=PROGRAM_CHOICES)
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


class ClaimForm(forms.Form):
    designation = forms.ChoiceField(label=_("命名"))
    computation = forms.ChoiceField(label=_("补助项目"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    facts = forms.CharField(label=_("申报数据（JSON）"), widget=forms.Textarea(attrs={"rows": 6}))
    evidence = forms.FileField(label=_("证明材料"), required=False)
    evidence_note = forms.CharField(label=_("证明材料说明"), required=False, max_length=300)

    def __init__(self, *args: Any, designations: Any = (), computations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["designation"].choices = [(d.pk, str(d)) for d in designations]
        self.fields["computation"].choices = list(computations)

    def clean_facts(self) -> dict[str, Any]:
        try:
            data = json.loads(self.cleaned_data["facts"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"不是有效的 JSON：{exc.msg}") from None
        if not isinstance(data, dict):
            raise forms.ValidationError("须为 JSON 对象，例如 {\"as_of\": \"2026-11-30\", ...}。")
        return data
