"""Forms for the cultivation year's training part (Chinese labels and errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.cultivation.models import Delivery, Enrolment, PlanSession


class DateInput(forms.DateInput):
    input_type = "date"


class AttendanceGridForm(forms.Form):
    """One row per trainee of a session: hours, credits and the online flag."""

    def __init__(self, *args: Any, session: PlanSession, trainees: list[Enrolment],
                 existing: dict[int, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = session
        self.trainees = trainees
        existing = existing or {}
        for e in trainees:
            a = existing.get(e.pk)
            self.fields[f"hours_{e.pk}"] = forms.DecimalField(
                label=_("学时"), required=False, min_value=0, max_digits=6, decimal_places=1,
                initial=a.hours if a else None, widget=forms.NumberInput(attrs={"step": "0.5", "class": "num"}))
            self.fields[f"credits_{e.pk}"] = forms.DecimalField(
                label=_("学分"), required=False, min_value=0, max_digits=6, decimal_places=1,
                initial=a.credits if a else None, widget=forms.NumberInput(attrs={"step": "0.5", "class": "num"}))
            online_allowed = session.delivery == Delivery.BLENDED and e.remote
            attrs = {} if online_allowed else {"disabled": "disabled"}
            self.fields[f"online_{e.pk}"] = forms.BooleanField(
                label=_("线上"), required=False, initial=(a.online if a else session.delivery == Delivery.ONLINE),
                widget=forms.CheckboxInput(attrs=attrs))

    def rows(self) -> list[dict[str, Any]]:
        d = self.cleaned_data
        return [{"enrolment": e, "hours": d.get(f"hours_{e.pk}"), "credits": d.get(f"credits_{e.pk}"),
                 "online": bool(d.get(f"online_{e.pk}"))} for e in self.trainees]

    def grid(self) -> list[dict[str, Any]]:
        return [{"enrolment": e, "hours": self[f"hours_{e.pk}"], "credits": self[f"credits_{e.pk}"],
                 "online": self[f"online_{e.pk}"]} for e in self.trainees]


class AttendanceImportForm(forms.Form):
    file = forms.FileField(label=_("考勤表（XLSX）"), help_text=_("请使用下载的模板；有任何一行不符合要求时整个文件不导入。"))


class LeaveRequestForm(forms.Form):
    start = forms.DateField(label=_("开始日期"), widget=DateInput)
    end = forms.DateField(label=_("结束日期"), widget=DateInput)
    reason = forms.CharField(label=_("请假事由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None, "Form.clean() returns cleaned_data"
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data


class LeaveDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("审批结果"), choices=(("approve", _("批准")), ("reject", _("不批准"))))
    note = forms.CharField(label=_("审批意见"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    title = forms.CharField(label=_("报告题目"), max_length=200)
    abstract = forms.CharField(label=_("摘要"), required=False, max_length=3000,
                               widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label=_("报告文件（PDF 或 DOCX）"), help_text=_("单个文件不超过 20 MB。"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}))


class EvaluationForm(forms.Form):
    score = forms.DecimalField(label=_("得分（0–100）"), min_value=0, max_value=100, max_digits=5, decimal_places=2)
    comment = forms.CharField(label=_("评语"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
