from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.core.picks import PickField
from jiangxin.platform.park.models import (
    EconomicGrade,
    Level,
    ReportKind,
    RequestStatus,
    Residency,
    Room,
    ServiceKind,
    ServiceOffering,
)

DATE = forms.DateInput(attrs={"type": "date"})


class AdmitForm(forms.Form):
    studio_org = PickField(source="park.studios", label=_("工作室（组织）"),
                           error_messages={"invalid_choice": _("只能选择您管辖范围内的组织。")})
    name = forms.CharField(label=_("工作室名称"), max_length=200)
    agreement_no = forms.CharField(label=_("入驻协议编号"), max_length=60)
    signed_on = forms.DateField(label=_("协议签订日期"), widget=DATE)
    admission_date = forms.DateField(label=_("入驻日期"), widget=DATE)
    rooms = forms.ModelMultipleChoiceField(queryset=Room.objects.all(), label=_("用房"), required=False,
                                           widget=forms.SelectMultiple(attrs={"class": "data"}))
    agreement_file = forms.FileField(label=_("入驻协议文件（PDF 等）"), required=False)

    def __init__(self, *args: Any, orgs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["studio_org"].queryset = orgs  # type: ignore[attr-defined]


class FeeForm(forms.Form):
    month = forms.CharField(label=_("月份（YYYY-MM）"), max_length=7)
    utilities = forms.DecimalField(label=_("水电费（元）"), min_value=0, decimal_places=2)
    property_fee = forms.DecimalField(label=_("物业管理费（元）"), min_value=0, decimal_places=2)


class PaymentForm(forms.Form):
    month = forms.CharField(label=_("所缴月份（YYYY-MM）"), max_length=7)
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0, decimal_places=2)
    paid_on = forms.DateField(label=_("缴费日期"), widget=DATE)


class PresenceForm(forms.Form):
    month = forms.CharField(label=_("月份（YYYY-MM）"), max_length=7)
    days = forms.IntegerField(label=_("到园天数"), min_value=0, max_value=31,
                              error_messages={"max_value": _("到园天数不能超过 31 天。"),
                                              "min_value": _("到园天数不能为负数。")})


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX 或 CSV 文件（列：工作室名称或协议编号、月份、到园天数）"))


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2015, max_value=2100)
    kind = forms.ChoiceField(label=_("类别"), choices=ReportKind.choices)
    title = forms.CharField(label=_("名称/说明"), max_length=200)
    count = forms.IntegerField(label=_("人数/数量"), min_value=0, initial=1)
    level = forms.ChoiceField(label=_("级别"), choices=[("", "—"), *Level.choices], required=False)
    grade = forms.ChoiceField(label=_("效益等级"), choices=[("", "—"), *EconomicGrade.choices], required=False)
    amount = forms.DecimalField(label=_("经济效益（元）"), required=False, decimal_places=2)
    evidence = forms.FileField(label=_("佐证材料"))


class EvaluationForm(forms.Form):
    year = forms.IntegerField(label=_("评估年度"), min_value=2015, max_value=2100)
    pass_mark = forms.DecimalField(label=_("合格分（满分 200，由园区确定）"), min_value=0, max_value=200)
    facts = forms.JSONField(label=_("其余评估项（JSON，键为附件2各项）"), required=False, initial=dict)


class RectificationForm(forms.Form):
    year = forms.IntegerField(label=_("评估年度"), min_value=2015, max_value=2100)
    notice_date = forms.DateField(label=_("整改通知日期"), widget=DATE)
    period_months = forms.IntegerField(label=_("整改期限（月）"), min_value=1, max_value=24, initial=3)
    pass_mark = forms.DecimalField(label=_("合格分（如评估结果未载明）"), required=False, min_value=0,
                                   max_value=200)
    fraud_found = forms.BooleanField(label=_("发现弄虚作假"), required=False)


class RecheckForm(forms.Form):
    recheck_date = forms.DateField(label=_("复查日期"), widget=DATE)
    recheck_total = forms.DecimalField(label=_("复查总分"), min_value=0, max_value=200)


class ExitForm(forms.Form):
    """取消入驻资格: one of the four grounds of 五（四）, with the facts it needs — nothing else is offered."""

    on = forms.DateField(label=_("取消入驻日期"), widget=DATE)
    ground = forms.ChoiceField(label=_("取消情形（五（四））"), widget=forms.RadioSelect, choices=())
    reference = forms.CharField(label=_("决定或认定文书编号（情形1–3必填）"), max_length=100, required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args: Any, residency: Any = None, **kwargs: Any) -> None:
        from jiangxin.platform.park.selectors import exit_ground_choices

        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = exit_ground_choices(residency)  # type: ignore[attr-defined]


class BenefitForm(forms.Form):
    as_of = forms.DateField(label=_("认定日期"), widget=DATE)
    upgraded_to_business = forms.BooleanField(label=_("已升级为技能创业"), required=False)
    outstanding_in = forms.MultipleChoiceField(
        label=_("业绩突出方面"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[("传授技艺", _("传授技艺")), ("人才培养", _("人才培养")), ("竞赛指导", _("竞赛指导"))])
    startup_subsidy_amount = forms.DecimalField(label=_("创业补贴金额（元，按相关政策）"), required=False,
                                                min_value=0)
    performance_reward_amount = forms.DecimalField(label=_("奖励金额（元）"), required=False, min_value=0)


class OfferingForm(forms.Form):
    kind = forms.ChoiceField(label=_("服务类别"), choices=ServiceKind.choices)
    title = forms.CharField(label=_("服务名称"), max_length=120)
    description = forms.CharField(label=_("服务内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class OfferingChoiceField(forms.ModelChoiceField):
    """A published service by its title and studio (both data; the service category is its own field)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title}（{obj.residency.name}）"


class ServiceRequestForm(forms.Form):
    enterprise_name = forms.CharField(label=_("企业名称"), max_length=200,
                                      error_messages={"required": _("请填写企业名称。")})
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, min_length=18,
                                  error_messages={"required": _("请填写统一社会信用代码。"),
                                                  "min_length": _("统一社会信用代码应为 18 位。")})
    contact_name = forms.CharField(label=_("联系人"), max_length=50, error_messages={"required": _("请填写联系人。")})
    contact_phone = forms.RegexField(label=_("联系电话"), regex=r"^[0-9\-+ ]{7,20}$", max_length=30,
                                     error_messages={"required": _("请填写联系电话。"),
                                                     "invalid": _("联系电话格式不对。")})
    kind = forms.ChoiceField(label=_("服务类别"), choices=ServiceKind.choices,
                             error_messages={"required": _("请选择服务类别。")})
    offering = OfferingChoiceField(label=_("意向服务（可选）"), required=False, queryset=None, widget=forms.Select(attrs={"class": "data"}))  # type: ignore[arg-type]
    need = forms.CharField(label=_("服务需求"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": _("请描述服务需求。")})

    def __init__(self, *args: Any, offerings: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = offerings if offerings is not None else ServiceOffering.objects.none()  # type: ignore[attr-defined]


class RouteForm(forms.Form):
    to = forms.ChoiceField(label=_("办理"), choices=RequestStatus.choices)
    residency: forms.ModelChoiceField[Residency] = forms.ModelChoiceField(
        label=_("承接工作室"), required=False, queryset=None, widget=forms.Select(attrs={"class": "data"}))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args: Any, residencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["residency"].queryset = residencies if residencies is not None else Residency.objects.none()  # type: ignore[attr-defined]
