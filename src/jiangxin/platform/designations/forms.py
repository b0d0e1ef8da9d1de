from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.designations.models import DesignationStatus


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("新状态"), choices=[c for c in DesignationStatus.choices
                                                        if c[0] != DesignationStatus.ACTIVE] +
                               [(DesignationStatus.ACTIVE, _("恢复有效（整改完成）"))])
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000,
                             error_messages={"required": _("请写明理由。")})
    citation = forms.CharField(label=_("依据条款"), max_length=200, error_messages={"required": _("请写明依据条款。")},
                               help_text=_("如：南昌工匠学院办法 第二十四条"))
    on = forms.DateField(label=_("生效日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                         error_messages={"invalid": _("请填写日期，如 2026-12-31。")})


class PersonChoiceField(forms.ModelChoiceField):
    """A person by name with the masked ID number (never the record number or the full ID)."""

    def label_from_instance(self, obj: Any) -> str:
        employer = f"，{obj.employer}" if getattr(obj, "employer", None) else ""
        return f"{obj.name}（{obj.id_mask}{employer}）"


class LeaderForm(forms.Form):
    person_id = PersonChoiceField(label=_("新领衔人"), queryset=None,
                                  error_messages={"required": _("请选择新领衔人。"),
                                                  "invalid_choice": _("请从列表中选择人员。")},
                                  help_text=_("可输入姓名筛选；只列出您管辖范围内的人员，身份证号已隐去中间数字。"))
    effective_on = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}),
                                   error_messages={"required": _("请填写生效日期。"), "invalid": _("请填写日期，如 2026-12-31。")})
    reason = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, *args: Any, user: Any = None, designation: Any = None, **kwargs: Any) -> None:
        from django.db.models import Q

        from jiangxin.platform.people.access import visible_persons
        from jiangxin.platform.people.models import Person

        super().__init__(*args, **kwargs)
        people = visible_persons(user) if user is not None else Person.objects.none()
        holder = getattr(designation, "holder_org_id", None)
        if holder:
            people = Person.objects.filter(Q(pk__in=people.values("pk")) | Q(employer_id=holder))
        self.fields["person_id"].queryset = people.select_related("employer").order_by("name", "pk")  # type: ignore[attr-defined]
