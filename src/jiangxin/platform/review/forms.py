"""Forms of the review pages (labels in the reader's language; errors shown next to the fields)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.core.templatetags.labels import cite

#: a member's vote; 缺席 keeps the count of members present for the quorum rule of ``admission_vote``
VOTE_CHOICES = [("for", _("同意")), ("against", _("不同意")), ("abstain", _("弃权")), ("absent", _("缺席"))]


class ConfirmConditionsForm(forms.Form):
    """The reviewer confirms, per condition the applicant claims, that they (their unit) verified it."""

    conditions = forms.MultipleChoiceField(label=_("本人（本单位）已核实并确认以下条件"),
                                           widget=forms.CheckboxSelectMultiple,
                                           error_messages={"required": _("请勾选已核实确认的条件。")})
    note = forms.CharField(label=_("意见"), required=False, max_length=300)

    def __init__(self, *args: Any, rows: list[dict[str, Any]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["conditions"].choices = [  # type: ignore[attr-defined]
            (row["key"], format_html(gettext("{}（{}）"), row["label"], cite(row["citation"])))
            for row in rows if not row["confirmed"]]


class ReturnForm(forms.Form):
    reasons = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    deadline = forms.DateField(label=_("修改截止日期（留空则按工作日自动计算）"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))


class RejectForm(forms.Form):
    failed = forms.MultipleChoiceField(label=_("未满足的条件（依据条款）"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("其他理由"), required=False, max_length=300)
    citation = forms.CharField(label=_("其他理由的依据条款"), required=False, max_length=200)

    def __init__(self, *args: Any, failures: list[dict[str, Any]] | None = None, program: str | None = None,
                 **kwargs: Any):
        from django.utils.translation import get_language

        from jiangxin.policy.labels import rule_label

        super().__init__(*args, **kwargs)
        language = get_language() or "zh-hans"
        # the value keeps the condition's short title (what the applicant reads), the label adds the article
        cast(forms.ChoiceField, self.fields["failed"]).choices = [
            (f"{rule_label(program, f.get('rule', ''), language)}|{f['citation']['label']}",
             format_html("{}：{}", cite(f["citation"]["label"]), rule_label(program, f.get("rule", ""), language)))
            for f in failures or []]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") and not data.get("citation"):
            self.add_error("citation", _("请注明该理由的依据条款。"))
        if not data.get("failed") and not data.get("reason"):
            raise forms.ValidationError(_("请至少选择或填写一条理由。"))
        return data

    def reasons(self) -> list[tuple[str, str]]:
        out = [tuple(v.split("|", 1)) for v in self.cleaned_data.get("failed", [])]
        if self.cleaned_data.get("reason"):
            out.append((self.cleaned_data["reason"], self.cleaned_data["citation"]))
        return [(a, b) for a, b in out]


class SiteVisitForm(forms.Form):
    visited_on = forms.DateField(label=_("考察日期"), widget=forms.DateInput(attrs={"type": "date"}))
    passed = forms.TypedChoiceField(label=_("考察结论"), choices=[("1", _("符合")), ("0", _("不符合"))], coerce=lambda v: v == "1")
    note = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, *args: Any, areas: tuple[str, ...] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.areas = areas
        for i, area in enumerate(areas):
            self.fields[f"area_{i}"] = forms.CharField(label=gettext("%(area)s情况") % {"area": area}, widget=forms.Textarea(attrs={"rows": 2}),
                                                       max_length=1000)

    def findings(self) -> dict[str, str]:
        return {a: self.cleaned_data[f"area_{i}"] for i, a in enumerate(self.areas)}


class PanelForm(forms.Form):
    score = forms.DecimalField(label=_("录入得分（无专家组时）"), required=False, max_digits=7, decimal_places=3)
    note = forms.CharField(label=_("评分来源/说明"), required=False, max_length=300)


class VoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=300)


class VoteMemberForm(forms.Form):
    """One panel member's row: name and vote (a row left wholly blank is not counted)."""

    name = forms.CharField(label=_("成员姓名"), required=False, max_length=50)
    vote = forms.ChoiceField(label=_("表决意见"), required=False, choices=VOTE_CHOICES, widget=forms.RadioSelect,
                             error_messages={"invalid_choice": _("请选择同意、不同意、弃权或缺席。")})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = (data.get("name") or "").strip()
        data["name"] = name
        if name and not data.get("vote"):
            self.add_error("vote", gettext("请选择“%(name)s”的表决意见。") % {"name": name})
        if data.get("vote") and not name:
            self.add_error("name", _("请填写该成员的姓名。"))
        return data


class BaseVoteFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            name = form.cleaned_data.get("name", "")
            if not name:
                continue
            if name in seen:
                raise forms.ValidationError(gettext("成员“%(name)s”重复登记。") % {"name": name})
            seen.add(name)
        if not seen:
            raise forms.ValidationError(_("请逐一登记每位评审成员的表决意见。"))

    def votes(self) -> dict[str, str]:
        """{member name: for / against / abstain / absent} over the filled rows, in page order."""
        return {f.cleaned_data["name"]: f.cleaned_data["vote"] for f in self.forms if f.cleaned_data.get("name")}


def vote_formset(data: Any = None, *, members: list[str] | None = None, blank_rows: int = 3) -> BaseVoteFormSet:
    """A row per panel member (names prefilled from the round's panel) and a few blank rows for others."""
    # the stubs type the factory's result as the generic BaseFormSet, not the class passed as ``formset``
    factory = cast("type[BaseVoteFormSet]", forms.formset_factory(VoteMemberForm, formset=BaseVoteFormSet,
                                                                  extra=blank_rows, max_num=50, validate_max=True))
    formset: BaseVoteFormSet = factory(data, prefix="members", initial=[{"name": n} for n in members or []])
    return formset


class LetterForm(forms.Form):
    file = forms.FileField(label=_("推荐函"))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("办理意见"), required=False, max_length=500)


class NameForm(forms.Form):
    on = forms.DateField(label=_("命名/确定日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明"), required=False, max_length=300)


class DecisionForm(forms.Form):
    decided = forms.MultipleChoiceField(label=_("确定名单"), required=False, widget=forms.CheckboxSelectMultiple)
    meeting_date = forms.DateField(label=_("会议/批准日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("纪要/批准文号"), required=False, max_length=200)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, *args: Any, choices: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["decided"]).choices = choices or []


class PublicityForm(forms.Form):
    start = forms.DateField(label=_("公示发布日"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("公示标题"), required=False, max_length=200)
    reference = forms.CharField(label=_("文号"), required=False, max_length=100)


class ExcludeForm(forms.Form):
    """排除出本批次: the office's recorded reason (I-WF-05)."""

    reason = forms.CharField(label=_("排除理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写排除出本批次的理由。")})


class RerankForm(forms.Form):
    """重新排序: an explicit, audited reopening of the round's confirmed ranking."""

    reason = forms.CharField(label=_("重新排序的理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("重新排序须说明理由。")})
