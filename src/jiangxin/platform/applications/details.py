"""What an application form asks beyond the eligibility facts: the program's application sheet
(e.g. the park's 附件1 入驻申报表). Stored in ``Application.details``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_noop

TEXT, AREA = "text", "area"

#: program → [(name, label, widget, required)]
DETAIL_FIELDS: dict[str, list[tuple[str, str, str, bool]]] = {
    "zhenjiang_park": [
        ("studio_name", gettext_noop("申报工作室名称"), TEXT, True),
        ("leader_name", gettext_noop("领衔人姓名"), TEXT, True),
        ("members", gettext_noop("工作室成员（每行一人：姓名、职业、等级）"), AREA, True),
        ("introduction", gettext_noop("工作室简介"), AREA, True),
        ("work_plan", gettext_noop("入园后工作规划"), AREA, True),
        ("employer_recommendation", gettext_noop("所在单位推荐意见"), AREA, True),
    ],
    "nanchang_studio": [
        ("studio_name", gettext_noop("工作室名称"), TEXT, True),
        ("leader_name", gettext_noop("领衔人姓名"), TEXT, True),
        ("members", gettext_noop("团队成员（每行一人）"), AREA, False),
        ("introduction", gettext_noop("工作室简介"), AREA, True),
    ],
    "nanchang_academy": [
        ("academy_name", gettext_noop("工匠学院名称"), TEXT, True),
        ("host", gettext_noop("依托单位"), TEXT, True),
        ("introduction", gettext_noop("基本情况"), AREA, True),
        ("plan", gettext_noop("建设方案"), AREA, True),
    ],
    "ganzhou_craftsman": [
        ("occupation", gettext_noop("职业（工种）"), TEXT, True),
        ("achievements", gettext_noop("主要业绩与贡献"), AREA, True),
    ],
    "jiangsu_technician": [
        ("employer", gettext_noop("用人单位"), TEXT, True),
        ("occupation", gettext_noop("职业（工种）"), TEXT, True),
        ("summary", gettext_noop("主要业绩"), AREA, False),
    ],
}


class DetailsForm(forms.Form):
    prefix = "d"

    def __init__(self, program_key: str, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.required_names = []
        for name, label, widget, required in DETAIL_FIELDS.get(program_key, []):
            self.fields[name] = forms.CharField(
                label=gettext(label) + (" *" if required else ""), required=False, max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}) if widget == AREA else forms.TextInput())
            if required:
                self.required_names.append(name)

    def missing(self, details: dict[str, Any]) -> list[str]:
        """Labels of required sheet fields still empty (checked at submission)."""
        return [str(self.fields[n].label).rstrip(" *") for n in self.required_names if not details.get(n)]
