from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.orgs.models import Organisation
from jiangxin.policy.errors import PolicyError
from jiangxin.policy.identity import validate_credit_code


class OrganisationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Organisation
        fields = ("name", "parent", "level", "category", "jurisdiction", "credit_code", "region", "contact_name",
                  "contact_phone", "address")
        widgets = {"parent": forms.Select(attrs={"class": "data"})}  # noqa: RUF012

    def clean_credit_code(self) -> str | None:
        code = (self.cleaned_data.get("credit_code") or "").strip()
        if not code:
            return None
        try:
            return validate_credit_code(code)
        except PolicyError as exc:
            raise forms.ValidationError(str(exc).split(" / ")[0]) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parent, jurisdiction = data.get("parent"), data.get("jurisdiction")
        if parent is not None and jurisdiction and parent.jurisdiction != jurisdiction:
            self.add_error("jurisdiction", _("所属地区须与上级组织一致。"))
        if parent is not None and self.instance.pk and (
                parent.pk == self.instance.pk or f"/{self.instance.pk}/" in parent.path):
            self.add_error("parent", _("上级不能是本组织或其下级。"))
        return data

    def changed_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class OrgFilterForm(forms.Form):
    q = forms.CharField(label=_("名称"), required=False)
    jurisdiction = forms.ChoiceField(label=_("所属地区"), required=False)
    level = forms.ChoiceField(label=_("层级"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from jiangxin.platform.orgs.models import Level, jurisdiction_choices
        cast(forms.ChoiceField, self.fields["jurisdiction"]).choices = [("", _("全部")), *jurisdiction_choices()]
        cast(forms.ChoiceField, self.fields["level"]).choices = [("", _("全部")), *Level.choices]
