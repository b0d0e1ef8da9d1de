"""Forms of the cultivation year's setup part (Chinese labels and errors)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.core.picks import PickField
from jiangxin.platform.cultivation.common_setup import MENTOR_SKILL_LEVELS
from jiangxin.platform.cultivation.models import (
    Delivery,
    Major,
    PlanSession,
    SessionKind,
    SessionRole,
    Title,
)

if TYPE_CHECKING:
    from jiangxin.platform.accounts.models import User
    from jiangxin.platform.designations.models import Designation
    from jiangxin.platform.orgs.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


#: a select listing registry records (people, organisations, enrolments): their names are data
DATA_SELECT = forms.Select(attrs={"class": "data"})

class YearForm(forms.Form):
    year = forms.IntegerField(label=_("学年"), min_value=2024, max_value=2100)
    choice_closes_on = forms.DateField(label=_("选专业截止日期"), required=False, widget=DATE)
    report_due_on = forms.DateField(label=_("研修报告提交截止日期"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class YearDatesForm(forms.Form):
    choice_closes_on = forms.DateField(label=_("选专业截止日期"), required=False, widget=DATE)
    report_due_on = forms.DateField(label=_("研修报告提交截止日期"), required=False, widget=DATE)


class CityLeadForm(forms.Form):
    city_bureau: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(label=_("设区市人社局"), queryset=None,
                                                                               widget=DATA_SELECT)
    user: forms.ModelChoiceField[User] = forms.ModelChoiceField(label=_("市级负责人账号"), queryset=None,
                                                                widget=DATA_SELECT)

    def __init__(self, *args: Any, bureaus: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["city_bureau"]).queryset = bureaus
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = users
        self.fields["user"].label_from_instance = lambda u: (  # type: ignore[attr-defined]
            f"{u.organisation.name if u.organisation else ''} · {u.display_name or u.get_full_name() or u.username}")


class MajorForm(forms.ModelForm):
    class Meta:
        model = Major
        fields = ("category", "name", "code", "capacity", "description")
        widgets: ClassVar[dict[str, Any]] = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts: ClassVar[dict[str, Any]] = {"category": _("按全国技工院校专业目录的专业类别选择（第七条）"),
                                                "capacity": _("留空表示不限人数")}


class ChooseForm(forms.Form):
    major = forms.ModelChoiceField(label=_("承训单位及专业"), queryset=Major.objects.none(), widget=forms.RadioSelect,
                                   error_messages={"required": _("请选择一个专业。"),
                                                   "invalid_choice": _("该专业不可选，请重新选择。")})

    def __init__(self, *args: Any, majors: list[Major], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["major"]
        field.queryset = Major.objects.filter(pk__in=[m.pk for m in majors])  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: f"{m.training_unit.name} · {m.name}"  # type: ignore[attr-defined]


class MentorForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    title = forms.ChoiceField(label=_("职称"), choices=Title.choices, initial=Title.NONE)
    skill_level = forms.ChoiceField(label=_("职业技能等级"), required=False,
                                    choices=[("", _("无/不适用")), *((v, v) for v in MENTOR_SKILL_LEVELS)])
    specialty = forms.CharField(label=_("专业方向"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from jiangxin.platform.core.templatetags.labels import enum_name

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["skill_level"]).choices = [
            ("", _("无/不适用")), *((v, enum_name(v)) for v in MENTOR_SKILL_LEVELS)]


class AssignMentorForm(forms.Form):
    enrolment = forms.IntegerField(widget=forms.HiddenInput)
    mentor = PickField(label=_("指导教师"), source="cultivation.mentors",
                       error_messages={"required": _("请选择指导教师。"),
                                       "invalid_choice": _("只能选择本单位在册的指导教师。")})
    enterprise_mentor = forms.CharField(label=_("企业导师（可选）"), max_length=100, required=False)

    def __init__(self, *args: Any, mentors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors  # type: ignore[attr-defined]
        self.fields["mentor"].widget.attrs["aria-label"] = _("指导教师")


class PlanForm(forms.Form):
    hours_required = forms.DecimalField(label=_("要求学时"), min_value=1, max_digits=7, decimal_places=1)
    credits_required = forms.DecimalField(label=_("要求学分"), min_value=1, max_digits=7, decimal_places=1)


class SessionForm(forms.ModelForm):
    class Meta:
        model = PlanSession
        fields = ("key", "title", "kind", "role", "delivery", "start", "end", "hours", "credits", "major")
        widgets: ClassVar[dict[str, Any]] = {"start": DATE, "end": DATE}
        help_texts: ClassVar[dict[str, Any]] = {"delivery": _("实操实训须现场进行；理论学习对异地学员可线上（第十七条）")}

    def __init__(self, *args: Any, majors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["major"].queryset = majors  # type: ignore[attr-defined]
        self.fields["kind"].initial = SessionKind.THEORY
        self.fields["role"].initial = SessionRole.REGULAR
        self.fields["delivery"].initial = Delivery.ONSITE

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        if data.get("hours") is not None and data["hours"] <= 0:
            self.add_error("hours", _("学时须大于零。"))
        return data

    def validate_unique(self) -> None:
        """Uniqueness of the key within the plan is checked by the service (the plan is not on the form)."""


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结论"), choices=(("approve", _("审核通过")), ("return", _("退回修改"))),
                                 widget=forms.RadioSelect)
    note = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EnrolForm(forms.Form):
    """The province office enrols one person (a selection not yet in the list, or an explicit B-class check)."""

    designation: forms.ModelChoiceField[Designation] = forms.ModelChoiceField(label=_("入选记录"), queryset=None,
                                                                              widget=DATA_SELECT)
    track = forms.ChoiceField(label=_("培育类别"), choices=(("A", _("A类")), ("B", _("B类"))))
    received_former_chief_subsidy = forms.BooleanField(label=_("已享受原江苏省企业首席技师一次性补助"),
                                                       required=False)
    former_subsidy_exception = forms.CharField(label=_("准予例外的决定文号（如有）"), max_length=200, required=False)

    def __init__(self, *args: Any, designations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["designation"]).queryset = designations
        self.fields["designation"].label_from_instance = lambda d: (  # type: ignore[attr-defined]
            f"{d.holder_label}（{d.certificate_no}，{d.year}）")
