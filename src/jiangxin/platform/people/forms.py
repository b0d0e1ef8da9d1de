"""Forms of the people registry. Messages are Chinese (translated for the English interface)."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.core.params import id_param
from jiangxin.platform.core.picks import PickField
from jiangxin.platform.core.textsearch import search_hint
from jiangxin.platform.core.uploads import UploadError, check_upload
from jiangxin.platform.orgs.models import Organisation
from jiangxin.platform.people.crypto import normalise_id_number
from jiangxin.platform.people.levels import OriginalRetirementAge, Sex, SkillLevel, TitleLevel
from jiangxin.platform.people.models import BanProgram, HonourKind, HonourLevel
from jiangxin.platform.people.services import check_id_number

#: evidence of an honour: the sniffed types accepted (the applications checker also allows DOCX/XLSX)
HONOUR_EVIDENCE_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
HONOUR_EVIDENCE_LABELS = "PDF、JPEG、PNG"
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError onto the form: keyed messages next to their fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error.messages[0] if hasattr(error, "messages") else str(error))
    else:
        for message in exc.messages:
            form.add_error(None, message)


class IdNumberInput(forms.TextInput):
    """A text box that never echoes the number back into the page."""

    def format_value(self, value: Any) -> None:
        return None


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名"), required=False, max_length=50)
    skill_level = forms.ChoiceField(label=_("职业技能等级"), required=False)
    honour_kind = forms.ChoiceField(label=_("荣誉类别"), required=False)
    employer = PickField(label=_("工作单位"), required=False, source="people.organisations",
                         queryset=Organisation.objects.none(),
                         error_messages={"invalid_choice": _("只能选择您管辖范围内的单位。")})
    unverified = forms.BooleanField(label=_("有待核实荣誉"), required=False)

    def __init__(self, *args: Any, employers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["skill_level"]).choices = [("", _("全部")), *SkillLevel.choices]
        cast(forms.ChoiceField, self.fields["honour_kind"]).choices = [("", _("全部")), *HonourKind.choices]
        self.fields["q"].help_text = search_hint()
        if employers is not None:
            self.fields["employer"].queryset = employers  # type: ignore[attr-defined]
        else:
            del self.fields["employer"]


class IdLookupForm(forms.Form):
    """Exact lookup by the full number (sent by POST so it never lands in a URL, log or browser history)."""

    id_number = forms.CharField(label=_("按公民身份号码查找"), max_length=30,
                                widget=IdNumberInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                                            "placeholder": _("完整18位号码")}),
                                error_messages={"required": _("请输入完整的18位公民身份号码。")})

    def clean_id_number(self) -> str:
        text = normalise_id_number(self.cleaned_data.get("id_number") or "")
        if len(text) != 18:
            raise ValidationError(_("请输入完整的18位公民身份号码（不支持部分号码查询）。"))
        return text


class PersonEditForm(forms.Form):
    """Fields that may change after registration (the identity fields cannot)."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    employer = PickField(label=_("工作单位"), source="people.employers", queryset=Organisation.objects.none(),
                         error_messages={"required": _("请选择工作单位。"),
                                         "invalid_choice": _("只能选择您管辖范围内的单位。")})
    skill_level = forms.ChoiceField(label=_("职业技能等级"), required=False)
    skill_occupation = forms.CharField(label=_("职业（工种）"), required=False, max_length=100)
    title_level = forms.ChoiceField(label=_("职称等级"), choices=TitleLevel.choices, initial=TitleLevel.NONE)
    title_name = forms.CharField(label=_("职称名称"), required=False, max_length=100)
    original_retirement_age = forms.TypedChoiceField(
        label=_("原法定退休年龄"), required=False, coerce=int, empty_value=None,
        help_text=_("按2024年渐进式延迟退休决定施行前的规定填写。"))
    phone = forms.CharField(label=_("联系电话"), required=False, max_length=30)
    residence_city = forms.CharField(label=_("户籍/居住地"), required=False, max_length=50)
    work_city = forms.CharField(label=_("工作地"), required=False, max_length=50)

    def __init__(self, *args: Any, employers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers  # type: ignore[attr-defined]
        cast(forms.ChoiceField, self.fields["skill_level"]).choices = [("", _("未评定")), *SkillLevel.choices]
        self.fields["original_retirement_age"].choices = [  # type: ignore[attr-defined]
            ("", _("未填写")), *OriginalRetirementAge.choices]
        self.fields["name"].error_messages["required"] = _("请填写姓名。")

    def clean_name(self) -> str:
        name = (self.cleaned_data.get("name") or "").strip()
        if not name:
            raise ValidationError(_("请填写姓名。"))
        return name

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields
                if name not in ("id_number", "sex", "birth_date")}


class PersonCreateForm(PersonEditForm):
    id_number = forms.CharField(label=_("公民身份号码"), max_length=30,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                                help_text=_("18位，末位校验码按国家标准核对；保存后只显示脱敏号码。"))
    sex = forms.ChoiceField(label=_("性别"), choices=Sex.choices)
    birth_date = forms.DateField(label=_("出生日期"), widget=DATE_INPUT)

    field_order = ("name", "id_number", "sex", "birth_date", "employer")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["id_number"].error_messages["required"] = _("请填写公民身份号码。")
        self.fields["sex"].error_messages["required"] = _("请选择性别。")
        self.fields["birth_date"].error_messages.update(
            required=_("请填写出生日期。"), invalid=_("请按“年-月-日”填写出生日期。"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = data.get("id_number")
        if number and "id_number" not in self.errors:
            try:
                normalised, _sex, _birth = check_id_number(
                    number, sex=data.get("sex") or None, birth_date=data.get("birth_date"))
            except ValidationError as exc:
                apply_errors(self, exc)
            else:
                data["id_number"] = normalised
        return data


class HonourForm(forms.Form):
    kind = forms.ChoiceField(label=_("荣誉类别"), choices=HonourKind.choices)
    level = forms.ChoiceField(label=_("级别"), required=False)
    title = forms.CharField(label=_("荣誉名称"), required=False, max_length=200)
    issuer = forms.CharField(label=_("授予机关"), required=False, max_length=100)
    awarded_on = forms.DateField(label=_("授予日期"), widget=DATE_INPUT,
                                 error_messages={"required": _("请填写授予日期。"),
                                                 "invalid": _("请按“年-月-日”填写授予日期。")})
    evidence = forms.FileField(label=_("证明材料"), required=False,
                               help_text=_("只接受 PDF、JPEG、PNG，按文件内容识别格式。"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["level"]).choices = [("", _("不适用")), *HonourLevel.choices]

    def clean_evidence(self) -> Any:
        uploaded = self.cleaned_data.get("evidence")
        if not uploaded:
            return None
        try:
            kind, _digest = check_upload(uploaded)
        except UploadError as exc:
            raise ValidationError(str(exc)) from None
        if kind not in HONOUR_EVIDENCE_TYPES:
            raise ValidationError(_("荣誉证明材料只接受 %(types)s。") % {"types": HONOUR_EVIDENCE_LABELS})
        # never keep the uploader's file name on disk: a random name with the sniffed extension
        uploaded.name = f"{uuid.uuid4().hex}.{kind}"
        return uploaded


def ban_grounds() -> dict[str, tuple[str, Any, tuple[str, ...]]]:
    """The articles the documents give for a ban (禁止申报): every ground of a program's ``sanctions.yaml`` that
    carries a ban, keyed ``<program>:<ground>``, with the programs the ban may cover."""
    from jiangxin.policy import sanctions
    from jiangxin.policy.registry import PROGRAMS, all_computations

    all_computations()
    out: dict[str, tuple[str, Any, tuple[str, ...]]] = {}
    for program in sorted(PROGRAMS):
        for g in sanctions.grounds(program):
            if g.ban is not None:
                programs = tuple(program if p == "own" else p for p in g.ban.programs)
                out[f"{program}:{g.key}"] = (program, g, programs)
    return out


class BanForm(forms.Form):
    SUBJECTS = (("person", _("人员")), ("organisation", _("组织")))

    subject = forms.ChoiceField(label=_("对象类型"), choices=SUBJECTS, widget=forms.RadioSelect, initial="person")
    id_number = forms.CharField(label=_("人员公民身份号码"), required=False, max_length=30,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}),
                                help_text=_("对象为人员时填写完整号码，只能选择管辖范围内的人员。"))
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    organisation = PickField(label=_("组织"), required=False, source="people.organisations",
                             queryset=Organisation.objects.none(),
                             error_messages={"invalid_choice": _("只能选择您管辖范围内的组织。")})
    program = forms.ChoiceField(label=_("项目"))
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             error_messages={"required": _("请填写原因。")})
    citation_label = forms.ChoiceField(label=_("依据条款"), widget=forms.RadioSelect,
                                       help_text=_("只能选择各项目办法中规定禁止申报的条款。"),
                                       error_messages={"required": _("请填写依据条款。"),
                                                       "invalid_choice": _("该条款不是项目办法规定禁止申报的条款。")})
    start = forms.DateField(label=_("起始日期"), widget=DATE_INPUT,
                            error_messages={"required": _("请填写起始日期。"),
                                            "invalid": _("请按“年-月-日”填写日期。")})
    end = forms.DateField(label=_("截止日期"), required=False, widget=DATE_INPUT,
                          error_messages={"invalid": _("请按“年-月-日”填写日期。")})
    permanent = forms.BooleanField(label=_("永久禁止申报"), required=False)
    decision_reference = forms.CharField(label=_("决定文号"), max_length=200,
                                         error_messages={"required": _("请填写决定文号。")})

    def __init__(self, *args: Any, organisations: Any, persons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from jiangxin.platform.core.templatetags.labels import cite
        from jiangxin.platform.core.templatetags.rules import program_title
        from jiangxin.policy.registry import PROGRAMS, all_computations

        all_computations()  # loads every program into PROGRAMS
        cast(forms.ChoiceField, self.fields["program"]).choices = [(BanProgram.ALL.value, BanProgram.ALL.label),
                                          *((key, program_title(key)) for key in sorted(PROGRAMS))]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.ban_grounds = ban_grounds()
        from django.utils.translation import get_language

        language = "en" if (get_language() or "").startswith("en") else "zh"
        cast(forms.ChoiceField, self.fields["citation_label"]).choices = [
            (key, format_html("{}：{}", cite(g.citation.label), g.label(language)))
            for key, (_program, g, _programs) in self.ban_grounds.items()]
        self._persons = persons
        self.person_obj: Any = None

    def clean(self) -> dict[str, Any]:
        from jiangxin.platform.people.crypto import id_hash

        data = super().clean() or {}
        if data.get("subject") == "person":
            data["organisation"] = None
            number = normalise_id_number(data.get("id_number") or "")
            if data.get("person"):
                self.person_obj = self._persons.filter(pk=id_param(data["person"]) or 0).first()
            elif number:
                self.person_obj = self._persons.filter(id_hash=id_hash(number)).first()
            if self.person_obj is None:
                # the same words whether the number is unknown or outside the user's scope
                self.add_error("id_number", _("在您的管辖范围内未找到该公民身份号码对应的人员。")
                               if number or data.get("person") else _("请填写人员的公民身份号码。"))
        elif data.get("subject") == "organisation" and not data.get("organisation"):
            self.add_error("organisation", _("请选择组织。"))
        listed = self.ban_grounds.get(data.get("citation_label") or "")
        if listed is not None:
            _program, ground, programs = listed
            data["citation_label"] = ground.citation.label
            if data.get("program") and data["program"] not in programs:
                self.add_error("program", _("所选条款规定的禁止申报不适用于该项目。"))
        permanent, end = data.get("permanent"), data.get("end")
        if permanent and end:
            self.add_error("end", _("已选择永久禁止申报，截止日期须留空。"))
        elif not permanent and not end and "end" not in self.errors:
            self.add_error("end", _("请填写截止日期，或选择永久禁止申报。"))
        start = data.get("start")
        if start and end and end < start:
            self.add_error("end", _("截止日期不能早于起始日期。"))
        return data
