"""What an application form asks beyond the eligibility facts: the program's application sheet
(e.g. the park's 附件1 入驻申报表). Stored in ``Application.details``."""

from __future__ import annotations

from typing import Any

from django import forms

TEXT, AREA = "text", "area"

#: program → [(name, label, widget, required)]
DETAIL_FIELDS: dict[str, list[tuple[str, str, str, bool]]] = {
    "zhenjiang_park": [
        ("studio_name", "申报工作室名称", TEXT, True),
        ("leader_name", "领衔人姓名", TEXT, True),
        ("members", "工作室成员（每行一人：姓名、职业、等级）", AREA, True),
        ("introduction", "工作室简介", AREA, True),
        ("work_plan", "入园后工作规划", AREA, True),
        ("employer_recommendation", "所在单位推荐意见", AREA, True),
    ],
    "nanchang_studio": [
        ("studio_name", "工作室名称", TEXT, True),
        ("leader_name", "领衔人姓名", TEXT, True),
        ("members", "团队成员（每行一人）", AREA, False),
        ("introduction", "工作室简介", AREA, True),
    ],
    "nanchang_academy": [
        ("academy_name", "工匠学院名称", TEXT, True),
        ("host", "依托单位", TEXT, True),
        ("introduction", "基本情况", AREA, True),
        ("plan", "建设方案", AREA, True),
    ],
    "ganzhou_craftsman": [
        ("occupation", "职业（工种）", TEXT, True),
        ("achievements", "主要业绩与贡献", AREA, True),
    ],
    "jiangsu_technician": [
        ("employer", "用人单位", TEXT, True),
        ("occupation", "职业（工种）", TEXT, True),
        ("summary", "主要业绩", AREA, False),
    ],
}


class DetailsForm(forms.Form):
    prefix = "d"

    def __init__(self, program_key: str, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.required_names = []
        for name, label, widget, required in DETAIL_FIELDS.get(program_key, []):
            self.fields[name] = forms.CharField(
                label=label + (" *" if required else ""), required=False, max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}) if widget == AREA else forms.TextInput())
            if required:
                self.required_names.append(name)

    def missing(self, details: dict[str, Any]) -> list[str]:
        """Labels of required sheet fields still empty (checked at submission)."""
        return [str(self.fields[n].label).rstrip(" *") for n in self.required_names if not details.get(n)]
