from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.screening.models import Source


class StartForm(forms.Form):
    #: choices are program titles and screen titles as the program folders declare them: data (shown in Chinese)
    target = forms.ChoiceField(label=_("项目与计算"), widget=forms.Select(attrs={"class": "data"}))
    source = forms.ChoiceField(label=_("筛查范围"), choices=Source.choices, initial=Source.REGISTRY,
                               widget=forms.RadioSelect)
    upload = forms.FileField(label=_("名单文件"), required=False,
                             help_text=_("XLSX 或 CSV，第一行为列名（可用中文列名）；选择“上传的名单”时必填"))
    plan_year = forms.IntegerField(label=_("计划年度"), min_value=2020, max_value=2100)
    as_of = forms.DateField(label=_("判断日期"), widget=forms.DateInput(attrs={"type": "date"}))
    track = forms.ChoiceField(label=_("类别（适用时）"), required=False,
                              choices=[("A", _("A类")), ("B", _("B类"))], initial="B")

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target"]).choices = targets
        self.fields["plan_year"].initial = dt.date.today().year + 1
        self.fields["as_of"].initial = dt.date.today()
