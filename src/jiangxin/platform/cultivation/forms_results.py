"""Forms of the results part: grading, incidents, deferral, acceptance (附件4), expenses, questionnaires."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.core.picks import PickField
from jiangxin.platform.cultivation import surveys
from jiangxin.platform.cultivation.models import Enrolment, ExpenseCategory, IncidentKind

DATE = forms.DateInput(attrs={"type": "date"})
YES_NO = (("", _("请选择")), ("yes", _("是")), ("no", _("否")))
DATE_ERRORS = {"invalid": _("请按“年-月-日”填写日期。"), "required": _("请填写日期。")}


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


#: a select listing registry records (people, organisations, enrolments): their names are data
DATA_SELECT = forms.Select(attrs={"class": "data"})

class GradingForm(forms.Form):
    """One score field per trainee (``score_<enrolment id>``), 0–100."""

    def __init__(self, *args: Any, rows: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            e = row["enrolment"]
            self.fields[f"score_{e.pk}"] = forms.DecimalField(
                label=e.person.name, min_value=Decimal(0), max_value=Decimal(100), decimal_places=2,
                initial=e.score, error_messages={"required": _("请填写量化得分。"),
                                                 "invalid": _("请填写数字。"),
                                                 "min_value": _("得分不能小于0。"),
                                                 "max_value": _("得分不能大于100。")})
            row["field"] = self[f"score_{e.pk}"]

    def scores(self) -> dict[int, Decimal]:
        return {row["enrolment"].pk: self.cleaned_data[f"score_{row['enrolment'].pk}"] for row in self.rows}


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=IncidentKind.choices)
    enrolment: forms.ModelChoiceField[Enrolment] = forms.ModelChoiceField(label=_("培育对象"), queryset=None,
                                                                          widget=DATA_SELECT, required=False)
    employer = PickField(label=_("用人单位（单位不支持参训时）"), source="cultivation.employers", required=False,
                         error_messages={"invalid_choice": _("只能选择您可见的培育对象的用人单位。")})
    description = forms.CharField(label=_("事实经过"), widget=forms.Textarea(attrs={"rows": 3}),
                                  error_messages={"required": _("请写明事实经过。")})
    decided_on = forms.DateField(label=_("认定日期"), widget=DATE, error_messages=DATE_ERRORS)
    notify_employer = forms.ChoiceField(label=_("是否通报至工作单位（违纪时）"), choices=YES_NO, required=False)
    award_ban_exception = forms.CharField(label=_("不限制参评的例外决定文号（如有）"), max_length=100, required=False)
    without_good_reason = forms.ChoiceField(label=_("用人单位是否无正当理由（单位不支持参训时）"), choices=YES_NO,
                                            required=False)

    def __init__(self, *args: Any, enrolments: Any, employers: Any, year: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = enrolments  # type: ignore[attr-defined]
        self.fields["employer"].queryset = employers  # type: ignore[attr-defined]
        self.fields["employer"].set_params(year=getattr(year, "year", None))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == IncidentKind.TRAINEE_DISCIPLINE:
            if not data.get("enrolment"):
                self.add_error("enrolment", _("请选择违反纪律的培育对象。"))
            if _yes_no(data.get("notify_employer", "")) is None:
                self.add_error("notify_employer", _("请决定是否通报至工作单位。"))
        elif data.get("kind") == IncidentKind.EMPLOYER_NO_SUPPORT:
            if not data.get("employer") and not data.get("enrolment"):
                self.add_error("employer", _("请选择用人单位。"))
            if _yes_no(data.get("without_good_reason", "")) is None:
                self.add_error("without_good_reason", _("请认定用人单位是否无正当理由。"))
        data["notify_employer"] = _yes_no(data.get("notify_employer", ""))
        data["without_good_reason"] = _yes_no(data.get("without_good_reason", ""))
        return data


class DeferralRequestForm(forms.Form):
    reason = forms.ChoiceField(label=_("延期原因"), choices=(("work", _("工作原因")), ("family", _("家庭原因")),
                                                            ("health", _("身体原因")), ("other", _("其他特殊原因"))))
    detail = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("请说明原因。")})


class DeferralDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("审批"), choices=(("approve", _("同意（按规定核定）")), ("reject", _("不同意"))))
    note = forms.CharField(label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("不同意延期须写明理由。"))
        return data


class AcceptanceForm(forms.Form):
    """The 20 items of 附件4 (0–5 each), the paying finance bureau and the assessors."""

    finance_bureau = forms.CharField(label=_("承训单位所在地财政部门"), max_length=200,
                                     error_messages={"required": _("请填写承训单位所在地财政部门。")})
    provincial_assessor = forms.CharField(label=_("省级考核人"), max_length=50, required=False)
    city_assessor = forms.CharField(label=_("市级考核人"), max_length=50, required=False)

    def __init__(self, *args: Any, items: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item['key']}"] = forms.DecimalField(
                label=item["title"], min_value=Decimal(0), max_value=Decimal(item["points"]), decimal_places=1,
                error_messages={"required": _("请评分。"), "invalid": _("请填写数字。"),
                                "min_value": _("得分不能小于0。"), "max_value": _("得分不能超过该项分值。")})

    def item_scores(self) -> dict[str, Decimal]:
        return {i["key"]: self.cleaned_data[f"item_{i['key']}"] for i in self.items}

    def item_fields(self) -> list[tuple[dict[str, Any], Any]]:
        return [(i, self[f"item_{i['key']}"]) for i in self.items]


class ExpenseForm(forms.Form):
    category = forms.ChoiceField(label=_("支出类别"), choices=ExpenseCategory.choices)
    amount = forms.DecimalField(label=_("金额（元）"), min_value=Decimal("0.01"), decimal_places=2,
                                error_messages={"required": _("请填写金额。"), "invalid": _("请填写数字。"),
                                                "min_value": _("金额须大于0。")})
    spent_on = forms.DateField(label=_("支出日期"), widget=DATE, error_messages=DATE_ERRORS)
    description = forms.CharField(label=_("摘要"), max_length=200, error_messages={"required": _("请填写摘要。")})
    enrolment: forms.ModelChoiceField[Enrolment] = forms.ModelChoiceField(label=_("受益培育对象（补贴类）"),
                                                                          queryset=None, widget=DATA_SELECT,
                                                                          required=False)
    at_unit_canteen = forms.ChoiceField(label=_("在本单位食堂用餐（餐费）"), choices=YES_NO, required=False)
    trainee_only = forms.ChoiceField(label=_("仅限培育对象本人（餐费）"), choices=YES_NO, required=False)
    evidence = forms.FileField(label=_("凭证"), required=False)

    def __init__(self, *args: Any, enrolments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = enrolments  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        category = data.get("category")
        if category == ExpenseCategory.MEALS:
            for name in ("at_unit_canteen", "trainee_only"):
                if _yes_no(data.get(name, "")) is None:
                    self.add_error(name, _("用餐补贴须选择“是”或“否”。"))
        if category in (ExpenseCategory.TRANSPORT, ExpenseCategory.LODGING) and not data.get("enrolment"):
            self.add_error("enrolment", _("交通、住宿补贴须指明受益培育对象。"))
        data["at_unit_canteen"] = _yes_no(data.get("at_unit_canteen", ""))
        data["trainee_only"] = _yes_no(data.get("trainee_only", ""))
        return data


class SurveyForm(forms.Form):
    """A questionnaire built from :mod:`.surveys` items."""

    def __init__(self, *args: Any, items: tuple[surveys.Item, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            if item.kind == "rating":
                field: forms.Field = forms.ChoiceField(
                    label=item.label, choices=surveys.RATINGS, widget=forms.RadioSelect,
                    error_messages={"required": _("请选择评价。")})
            elif item.kind == "count":
                field = forms.IntegerField(label=item.label, min_value=0, required=False,
                                           error_messages={"invalid": _("请填写人数。"),
                                                           "min_value": _("人数不能为负数。")})
            else:
                field = forms.CharField(label=item.label, required=False, max_length=2000,
                                        widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[item.key] = field

    def groups(self) -> list[tuple[str, list[Any]]]:
        out: list[tuple[str, list[Any]]] = []
        for item in self.items:
            if not out or out[-1][0] != str(item.group):
                out.append((str(item.group), []))
            out[-1][1].append(self[item.key])
        return out
