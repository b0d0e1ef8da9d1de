"""Office forms: create a panel, add experts, assign applications, replace an expert, reopen a sheet;
expert form: the conflict-of-interest declaration. The score sheet itself is built from the rubric
(:mod:`jiangxin.platform.panels.rubrics`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.applications.models import Application
from jiangxin.platform.core.picks import PickField, PickMultipleField
from jiangxin.platform.orgs.scope import scope
from jiangxin.platform.panels import rubrics
from jiangxin.platform.panels.models import Aggregation, Panel
from jiangxin.platform.panels.services import SCORABLE, stage_choices
from jiangxin.platform.rounds.catalog import PROGRAM_INFO
from jiangxin.platform.rounds.models import Round


def experts(panel: Panel | None = None) -> Any:
    """Active experts; for a panel only those of its round organiser's jurisdiction (a Nanchang panel never
    offers the Jiangsu unit's expert)."""
    found = User.objects.filter(role=Role.EXPERT, is_active=True).select_related("organisation")
    if panel is not None:
        found = found.filter(organisation__jurisdiction=panel.round.organiser.jurisdiction)
    return found.order_by("display_name", "username")


class PanelCreateForm(forms.Form):
    round = forms.ModelChoiceField(label=_("申报批次"), queryset=Round.objects.none(),
                                   widget=forms.Select(attrs={"class": "data"}))
    stage_key = forms.ChoiceField(label=_("评审环节"), choices=(),
                                  help_text=_("所选批次项目流程中的评分环节"))
    title = forms.CharField(label=_("专家组名称"), max_length=200)
    rubric_key = forms.ChoiceField(label=_("评分表"), required=False, choices=(),
        help_text=_("赣州、江苏B类、镇江的政策文件未规定评分细则，默认使用专家综合评分（非政策评分表）"))
    rubric_yaml = forms.CharField(label=_("载入的评分表（YAML）"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text=_("仅在选择“主管部门载入的评分表”时填写，格式同 rubrics/*.yaml"))
    aggregation = forms.ChoiceField(label=_("汇总方式"), choices=Aggregation.choices, initial=Aggregation.MEAN,
                                    help_text=_("政策文件未规定汇总方式，默认算术平均（解释口径：专家评分的汇总方式）"))
    trim_count = forms.IntegerField(label=_("去掉最高分、最低分各几个"), min_value=0, max_value=5, initial=1)
    trim_min_experts = forms.IntegerField(label=_("去高去低所需的最少专家数"), min_value=1, max_value=50, initial=5)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = scope(Round.objects.select_related("program"), user,  # type: ignore[attr-defined]
                                              org_field="organiser")
        from jiangxin.platform.core.templatetags.labels import program_name, stage_title

        rounds = self.fields["round"].queryset  # type: ignore[attr-defined]
        choices: dict[str, list[str]] = {}
        for program in sorted({r.program.key for r in rounds}):
            for key, _label in stage_choices(program):
                choices.setdefault(key, []).append(f"{program_name(program)}：{stage_title(key, program)}")
        self.fields["stage_key"].choices = [("", _("（请选择）"))] + [  # type: ignore[attr-defined]
            (key, "；".join(labels)) for key, labels in choices.items()]
        rubric_choices: dict[str, str] = {}
        for program in PROGRAM_INFO:  # every program's rubrics; clean() keeps those of the chosen round's program
            for key, label in rubrics.rubric_choices(program):
                rubric_choices.setdefault(key, label)
        self.fields["rubric_key"].choices = [("", _("按项目默认")), *rubric_choices.items()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rnd = data.get("round")
        key = data.get("rubric_key") or ""
        stage = data.get("stage_key") or ""
        if rnd is not None and stage and stage not in {k for k, _ in stage_choices(rnd.program.key)}:
            self.add_error("stage_key", _("所选环节不属于该批次的项目流程"))
        if rnd is not None and key and key not in {k for k, _ in rubrics.rubric_choices(rnd.program.key)}:
            self.add_error("rubric_key", _("该项目不能使用所选评分表"))
        if key == rubrics.OFFICE and not (data.get("rubric_yaml") or "").strip():
            self.add_error("rubric_yaml", _("请粘贴评分表 YAML"))
        return data


class ExpertsForm(forms.Form):
    experts = PickMultipleField(label=_("评审专家"), source="panels.experts", queryset=User.objects.none(),
                                help_text=_("输入专家姓名查找，可添加多位；只列出本批次主管部门辖区内的专家。"),
                                error_messages={"required": _("请选择要添加的专家。")})

    def __init__(self, *args: Any, panel: Panel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["experts"]
        field.queryset = experts(panel).exclude(  # type: ignore[attr-defined]
            panel_memberships__panel=panel, panel_memberships__substitute=False)
        field.set_params(panel=panel.pk)  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(label=_("申报"), queryset=Application.objects.none(),
                                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, panel: Panel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = (  # type: ignore[attr-defined]
            Application.objects.filter(round=panel.round, status__in=SCORABLE)
            .exclude(panel_assignments__panel=panel).select_related("applicant_org").order_by("id"))


class ReplaceForm(forms.Form):
    expert = PickField(label=_("替补专家"), source="panels.substitutes", queryset=User.objects.none())

    def __init__(self, *args: Any, panel: Panel | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts(panel)  # type: ignore[attr-defined]
        self.fields["expert"].set_params(panel=getattr(panel, "pk", None))  # type: ignore[attr-defined]


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("退回重评原因"), max_length=300)


class DeclarationForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("您与该申报是否存在利益冲突"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=[("no", _("不存在利益冲突（非同一单位、非同一县区，无亲属或其他利害关系）")),
                 ("yes", _("存在利益冲突，申请回避"))])
    reason = forms.CharField(label=_("说明"), required=False, max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("conflict") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("请说明利益冲突的情形"))
        return data
