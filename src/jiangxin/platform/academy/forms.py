from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.academy.models import MaterialKind, TrainingOffering
from jiangxin.platform.academy.services import honour_choices, title_choices


class TeacherForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("公民身份号码"), max_length=20, required=False,
                                help_text=_("选填：填写后与人员库关联；只保存校验用的密钥散列和打码号码"))
    employer = forms.CharField(label=_("工作单位"), max_length=200)
    majors = forms.CharField(label=_("授课专业"), max_length=300, help_text=_("多个专业用顿号分隔，如：焊工、钳工"))
    honours = forms.MultipleChoiceField(label=_("荣誉称号"), required=False, widget=forms.CheckboxSelectMultiple)
    title = forms.ChoiceField(label=_("专业技术职称"), required=False)
    other_honours = forms.CharField(label=_("其他荣誉"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["honours"]).choices = honour_choices()
        cast(forms.ChoiceField, self.fields["title"]).choices = title_choices()


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结论"), choices=[("approve", _("通过")), ("reject", _("退回"))])
    reason = forms.CharField(label=_("退回原因"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("退回须填写原因"))
        return data


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("合并到的记录编号"), min_value=1)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("学员文件（按模板填写的 XLSX 或 CSV）"))
    update_existing = forms.BooleanField(
        label=_("更新已有记录"), required=False,
        help_text=_("勾选后，身份号码、培训期次编号和结束日期相同的已有记录按文件中的内容更正；不勾选则跳过这些行"))


class CourseForm(forms.Form):
    major = forms.CharField(label=_("培训专业"), max_length=100)
    title = forms.CharField(label=_("课程名称"), max_length=200)
    description = forms.CharField(label=_("课程简介"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("资料类别"), choices=MaterialKind.choices)
    file = forms.FileField(label=_("文件"), help_text=_("教学视频：MP4、WebM；课件：PDF、PPTX；教案：DOCX、PDF"))


class PublishForm(forms.Form):
    declaration = forms.BooleanField(
        label=_("本单位声明：本课程的教学视频、课件和教案为本单位自主开发，拥有自主知识产权（第十条）"),
        error_messages={"required": _("发布前须勾选自主知识产权声明")})


class OfferingForm(forms.ModelForm):
    class Meta:
        model = TrainingOffering
        fields = ("title", "major", "starts", "ends", "place", "capacity", "public_welfare", "published")
        widgets = {"starts": forms.DateInput(attrs={"type": "date"}), "ends": forms.DateInput(attrs={"type": "date"})}  # noqa: RUF012

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts") and data.get("ends") and data["ends"] < data["starts"]:
            self.add_error("ends", _("结束日期不能早于开始日期"))
        return data
