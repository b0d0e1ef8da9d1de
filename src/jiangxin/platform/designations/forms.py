from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.core.picks import PickField
from jiangxin.platform.core.templatetags.labels import cite
from jiangxin.policy import sanctions as policy

DATE = forms.DateInput(attrs={"type": "date"})
BAD_DATE = {"invalid": _("请填写日期，如 2026-12-31。")}

def cited_choice(label: str, citation: str) -> str:
    """A choice named in the reader's language with its article as ``<cite lang="zh-Hans">`` (radio labels)."""
    return format_html("{}（{}）", label, cite(citation)) if citation else label


#: the form field of each fact a ground may need (policy.sanctions.FACTS)
FACT_FIELDS: dict[str, Any] = {
    "failed_year": lambda: forms.IntegerField(
        label=_("考核不合格的年度"), required=False, min_value=2000, max_value=2100,
        help_text=_("以考核记录为准：所填年度的年度考核须为不合格。")),
    "passed_year": lambda: forms.IntegerField(
        label=_("黄牌之后考核合格的年度"), required=False, min_value=2000, max_value=2100,
        help_text=_("以考核记录为准：须有黄牌之后年度考核合格的记录。")),
    "finding": lambda: forms.CharField(label=_("查实的事实"), required=False, max_length=1000,
                                       widget=forms.Textarea(attrs={"rows": 3})),
    "decision_reference": lambda: forms.CharField(label=_("处理决定文号"), required=False, max_length=100),
    "occurred_on": lambda: forms.DateField(label=_("情形发生（或查实）日期"), required=False, widget=DATE,
                                           error_messages=BAD_DATE),
    "rectification_deadline": lambda: forms.DateField(label=_("限期整改的截止日期"), required=False, widget=DATE,
                                                      error_messages=BAD_DATE),
    "no_successor": lambda: forms.BooleanField(label=_("确认没有符合要求的人员接替领衔大师"), required=False),
}


class SanctionForm(forms.Form):
    """处分与退出: exactly the grounds the program's document lists for the designation's current state, each
    with the facts it needs (no free-text status, reason or article)."""

    ground = forms.ChoiceField(label=_("情形（依据条款）"), widget=forms.RadioSelect, error_messages={
        "required": _("请选择办法列明的情形。"), "invalid_choice": _("所选情形不在该项目办法列明的情形之中。")})
    on = forms.DateField(label=_("生效日期"), required=False, widget=DATE, error_messages=BAD_DATE)
    expect = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, grounds: tuple[policy.Ground, ...], status: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.grounds = {g.key: g for g in grounds}
        language = "en" if (get_language() or "").startswith("en") else "zh"
        cast(forms.ChoiceField, self.fields["ground"]).choices = [(g.key, cited_choice(g.label(language), g.citation.label))
                                         for g in grounds]
        self.fields["expect"].initial = status
        needed = dict.fromkeys(f for g in grounds for f in g.facts)
        for name in needed:
            self.fields[name] = FACT_FIELDS[name]()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None, "Form.clean() returns cleaned_data"
        g = self.grounds.get(data.get("ground") or "")
        if g is None:
            return data
        for name in g.facts:
            value = data.get(name)
            if value in (None, "", False):
                self.add_error(name, _("所选情形须填写此项。"))
        return data

    def facts(self) -> dict[str, Any]:
        g = self.grounds[self.cleaned_data["ground"]]
        return {name: self.cleaned_data.get(name) for name in g.facts}


def leader_choices(user: Any, designation: Any) -> Any:
    """Who may become a designation's leader: persons in the user's scope and the holder's employees."""
    from django.db.models import Q

    from jiangxin.platform.people.access import visible_persons
    from jiangxin.platform.people.models import Person

    people = visible_persons(user) if user is not None else Person.objects.none()
    holder = getattr(designation, "holder_org_id", None)
    if holder:
        people = Person.objects.filter(Q(pk__in=people.values("pk")) | Q(employer_id=holder))
    return people.select_related("employer")


class LeaderForm(forms.Form):
    person_id = PickField(label=_("新领衔人"), source="designations.leaders",
                          error_messages={"required": _("请选择新领衔人。"),
                                          "invalid_choice": _("请从列表中选择人员。")},
                          help_text=_("输入姓名查找；只列出您管辖范围内的人员，身份证号已隐去中间数字。"))
    effective_on = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}),
                                   error_messages={"required": _("请填写生效日期。"), "invalid": _("请填写日期，如 2026-12-31。")})
    reason = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, *args: Any, user: Any = None, designation: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person_id"]
        field.queryset = leader_choices(user, designation)  # type: ignore[attr-defined]
        field.set_params(designation=getattr(designation, "pk", None))  # type: ignore[attr-defined]
