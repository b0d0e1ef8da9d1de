from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.worklog.models import FundRecord, WorkRecord

DATE = forms.DateInput(attrs={"type": "date"})
ERR = {"required": _("必填。"), "invalid": _("格式不正确。")}


class RecordForm(forms.ModelForm):
    class Meta:
        model = WorkRecord
        fields = ("kind", "date", "title", "level", "contest_class", "patent_type", "award_class", "sessions",
                  "participants", "person_name", "placing", "notes")
        widgets = {"date": DATE, "notes": forms.Textarea(attrs={"rows": 2})}  # noqa: RUF012

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field in self.fields.values():
            field.error_messages.update(ERR)


class FundForm(forms.ModelForm):
    class Meta:
        model = FundRecord
        fields = ("date", "direction", "category", "amount", "notes")
        widgets = {"date": DATE}  # noqa: RUF012

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field in self.fields.values():
            field.error_messages.update(ERR)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("证明材料"), error_messages={"required": _("请选择文件。")})
