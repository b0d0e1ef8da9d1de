from __future__ import annotations

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


class LeaderForm(forms.Form):
    person_id = forms.IntegerField(label=_("新领衔人（人员档案编号）"), min_value=1,
                                   error_messages={"required": _("请填写人员档案编号。")})
    effective_on = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}),
                                   error_messages={"required": _("请填写生效日期。"), "invalid": _("请填写日期，如 2026-12-31。")})
    reason = forms.CharField(label=_("说明"), required=False, max_length=500)
