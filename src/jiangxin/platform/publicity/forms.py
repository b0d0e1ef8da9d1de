"""Forms (Chinese messages next to the fields)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.applications.models import Application
from jiangxin.platform.publicity.models import Notice, ObjectionStatus
from jiangxin.platform.publicity.services import NOT_PUBLISHABLE

REQUIRED = {"required": _("此项为必填项。")}


class ObjectionForm(forms.Form):
    entry = forms.TypedChoiceField(label=_("异议对象"), coerce=int, error_messages={
        **REQUIRED, "invalid_choice": _("请从公示名单中选择异议对象。")})
    anonymous = forms.TypedChoiceField(
        label=_("反映方式"), coerce=lambda v: v == "1", initial="0", widget=forms.RadioSelect,
        choices=[("0", _("实名反映")), ("1", _("匿名反映（不留姓名）"))],
        error_messages={**REQUIRED, "invalid_choice": _("请选择实名或匿名反映。")})
    name = forms.CharField(label=_("姓名"), max_length=50, required=False,
                           error_messages={"max_length": _("姓名不能超过 %(limit_value)d 个字。")})
    contact = forms.CharField(label=_("联系方式"), max_length=100,
                              help_text=_("电话或电子邮箱，仅供核实和反馈使用，不会公开。"),
                              error_messages={**REQUIRED, "max_length": _("联系方式不能超过 %(limit_value)d 个字。")})
    content = forms.CharField(label=_("异议内容"), min_length=10, max_length=2000, widget=forms.Textarea(
        attrs={"rows": 6}), help_text=_("请写明具体事实和线索，不少于 10 个字。"), error_messages={
        **REQUIRED, "min_length": _("异议内容不少于 %(limit_value)d 个字（当前 %(show_value)d 个字）。"),
        "max_length": _("异议内容不能超过 %(limit_value)d 个字（当前 %(show_value)d 个字）。")})

    def __init__(self, *args: Any, notice: Notice, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["entry"]).choices = [("", _("请选择"))] + [
            (e.pk, f"{e.display_name}（{e.unit}）" if e.unit else e.display_name) for e in notice.entries.all()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("anonymous") is False and not (data.get("name") or "").strip():
            self.add_error("name", _("实名反映须填写姓名；不愿留名的请选择“匿名反映”。"))
        return data


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("公示标题"), max_length=200, error_messages=REQUIRED)
    reference = forms.CharField(label=_("文号"), max_length=100, required=False)
    start = forms.DateField(label=_("发布日期"), widget=forms.DateInput(attrs={"type": "date"}),
                            help_text=_("公示期由系统按本项目政策规定的期限自动计算。"),
                            error_messages={**REQUIRED, "invalid": _("请输入正确的日期，如 2026-09-29。")})
    intro = forms.CharField(label=_("公示说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    applications = forms.ModelMultipleChoiceField(
        label=_("拟公示的申报"), queryset=Application.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一项拟公示的申报。"),
                        "invalid_choice": _("所选申报未到达公示环节或不在本批次中，不能列入公示。"), "invalid_pk_value": _("所选申报无效。")})

    def __init__(self, *args: Any, round_obj: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # only applications whose case waits at the publicity stage (never returned or unreviewed ones, I-PUB-08)
        from jiangxin.policy.workflow import load_workflow

        stage = load_workflow(round_obj.program.key).first_of_kind("publicity")
        at_stage = round_obj.applications.none() if stage is None else (
            round_obj.applications.exclude(status__in=NOT_PUBLISHABLE)
            .filter(case__stage=stage.key, case__state="active"))
        applications = cast(forms.ModelMultipleChoiceField, self.fields["applications"])
        applications.queryset = at_stage.select_related("applicant_org", "applicant_person").order_by("id")
        applications.label_from_instance = lambda a: (  # type: ignore[assignment]  # a per-field override, as Django allows
            f"{a.title}（{a.applicant_org.name if a.applicant_org else ''}）")


class VerifyForm(forms.Form):
    status = forms.ChoiceField(label=_("核实结论"), choices=[
        (ObjectionStatus.VERIFYING, ObjectionStatus.VERIFYING.label),
        (ObjectionStatus.UPHELD, ObjectionStatus.UPHELD.label),
        (ObjectionStatus.DISMISSED, ObjectionStatus.DISMISSED.label)],
        error_messages={**REQUIRED, "invalid_choice": _("请选择核实结论。")})
    note = forms.CharField(label=_("核实情况"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class NamingDateForm(forms.Form):
    planned = forms.DateField(label=_("计划命名日期"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"invalid": _("请输入正确的日期，如 2026-12-20。")})
