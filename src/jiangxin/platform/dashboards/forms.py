"""Dashboard filters (年度、项目、县区), offering only what lies inside the user's data scope."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy

from jiangxin.platform.dashboards.queries import Filters
from jiangxin.platform.orgs.models import Level, Organisation
from jiangxin.platform.orgs.scope import visible_organisations


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("年度"), required=False, coerce=int, empty_value=None)
    #: program titles and district names are registry data (class="data": shown as stored, in Chinese)
    program = forms.ChoiceField(label=gettext_lazy("项目"), required=False, widget=forms.Select(attrs={"class": "data"}))
    district = forms.ModelChoiceField(label=gettext_lazy("县区"), required=False, queryset=Organisation.objects.none(),
                                      widget=forms.Select(attrs={"class": "data"}),
                                      empty_label=gettext_lazy("全部县区"))

    def __init__(self, *args: Any, user: Any, years: list[int], programs: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [("", gettext_lazy("全部年度")), *[(y, str(y)) for y in years]]
        cast(forms.ChoiceField, self.fields["program"]).choices = [("", gettext_lazy("全部项目")), *programs.items()]
        cast(forms.ModelChoiceField, self.fields["district"]).queryset = visible_organisations(user).filter(level=Level.DISTRICT).order_by("path")

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(year=data.get("year"), program=data.get("program") or "", district=data.get("district"))
