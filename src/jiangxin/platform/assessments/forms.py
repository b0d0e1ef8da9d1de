from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.assessments.services import profiles
from jiangxin.platform.core.templatetags.labels import program_name
from jiangxin.platform.rounds.models import Program


class RoundForm(forms.Form):
    program = forms.ModelChoiceField(label=_("项目"), queryset=Program.objects.none())
    year = forms.IntegerField(label=_("考核年度"), min_value=2000, max_value=2100)
    opens = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    self_report_due = forms.DateField(label=_("自评材料截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    pass_mark = forms.DecimalField(label=_("合格分数线"), required=False, min_value=0, max_digits=6, decimal_places=2,
                                   help_text=_("创新工作室、镇江园区须由主管部门设定；工匠学院按附件2等次，无需填写"))
    reference = forms.CharField(label=_("通知文号"), max_length=100, required=False)
    rubric_yaml = forms.CharField(label=_("主管部门确认的考核标准（YAML，仅创新工作室）"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        from jiangxin.platform.rounds.services import managed_programs

        super().__init__(*args, **kwargs)
        keys = [p.key for p in managed_programs(user) if p.key in profiles()]
        field = cast(forms.ModelChoiceField, self.fields["program"])
        field.queryset = Program.objects.filter(key__in=keys)
        field.label_from_instance = lambda obj: program_name(obj.key)  # type: ignore[method-assign]  # per-field label

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, due = data.get("opens"), data.get("self_report_due")
        if opens and due and due < opens:
            self.add_error("self_report_due", _("截止日期不能早于开始日期。"))
        return data


class SubmitForm(forms.Form):
    self_report = forms.CharField(label=_("自评报告"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    summary = forms.CharField(label=_("年度工作总结"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    self_report_file = forms.FileField(label=_("自评报告文件"), required=False,
                                       help_text="PDF、JPEG、PNG、DOCX、XLSX")
    summary_file = forms.FileField(label=_("总结报告文件"), required=False)


class ScoreForm(forms.Form):
    entries = forms.CharField(label=_("逐项评分输入（JSON，已按工作记录预填）"), widget=forms.Textarea(attrs={"rows": 18}))

    def clean_entries(self) -> dict[str, Any]:
        text = self.cleaned_data["entries"]
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("不是有效的 JSON：第 %(line)s 行 %(problem)s")
                                        % {"line": exc.lineno, "problem": exc.msg}) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_("须为以评分项目代码为键的对象。"))
        return value


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=_("备案意见"), max_length=500, required=False)
