"""Account forms (Chinese labels and errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.models import LoginEvent, User
from jiangxin.platform.accounts.roles import ADMIN_ROLES, Role
from jiangxin.platform.core.picks import PickField
from jiangxin.platform.orgs.models import Organisation

BUSINESS_ROLES = [(value, label) for value, label in Role.choices if value not in ADMIN_ROLES]


class LoginForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=_("密码"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class OwnPasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("当前密码"), strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password1 = forms.CharField(label=_("新密码"), strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                    help_text=password_validation.password_validators_help_text_html)
    new_password2 = forms.CharField(label=_("再次输入新密码"), strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        if not user.has_usable_password():
            # signed in just now with the one-time reset code: there is no current password to ask for
            del self.fields["old_password"]

    def clean_old_password(self) -> str:
        value: str = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("当前密码不正确。"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new1, new2 = data.get("new_password1"), data.get("new_password2")
        if new1 and new2 and new1 != new2:
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        elif new1:
            if data.get("old_password") and new1 == data["old_password"]:
                self.add_error("new_password1", _("新密码不能与当前密码相同。"))
            else:
                try:
                    password_validation.validate_password(new1, self.user)
                except forms.ValidationError as exc:
                    self.add_error("new_password1", exc)
        return data


class UserCreateForm(forms.Form):
    username = forms.RegexField(label=_("用户名"), max_length=150, regex=r"^[\w.@+-]+$",
                                error_messages={"invalid": _("用户名只能包含字母、数字和 @/./+/-/_ 。")})
    display_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    role = forms.ChoiceField(label=_("角色"), choices=BUSINESS_ROLES)
    organisation = PickField(label=_("所属组织"), source="accounts.organisations", queryset=Organisation.objects.all(),
                             required=False, error_messages={"invalid_choice": _("请从搜索结果中选择组织。")})

    def clean_username(self) -> str:
        name: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(_("该用户名已被使用。"))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role and role not in (Role.INDIVIDUAL, Role.EXPERT) and not data.get("organisation"):
            self.add_error("organisation", _("该角色须指定所属组织。"))
        return data


class UserEditForm(forms.ModelForm):  # type: ignore[type-arg]
    role = forms.ChoiceField(label=_("角色"), choices=BUSINESS_ROLES)
    organisation = PickField(label=_("所属组织"), source="accounts.organisations", queryset=Organisation.objects.all(),
                             required=False, error_messages={"invalid_choice": _("请从搜索结果中选择组织。")})

    class Meta:
        model = User
        fields = ("display_name", "email", "role", "organisation")
        widgets = {"organisation": forms.Select(attrs={"class": "data"})}  # noqa: RUF012 (organisation names are data)


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("用户名/姓名"), required=False)
    role = forms.ChoiceField(label=_("角色"), required=False, choices=[("", _("全部")), *list(Role.choices)])
    active = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部")), ("1", _("启用")), ("0", _("停用"))])


class LoginEventFilterForm(forms.Form):
    username = forms.CharField(label=_("用户名"), required=False)
    succeeded = forms.ChoiceField(label=_("结果"), required=False,
                                  choices=[("", _("全部")), ("1", _("成功")), ("0", _("失败"))])
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def filter(self, qs: Any) -> Any:
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data.get("username"):
            qs = qs.filter(username__icontains=data["username"])
        if data.get("succeeded") in ("0", "1"):
            qs = qs.filter(succeeded=data["succeeded"] == "1")
        if data.get("date_from"):
            qs = qs.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            qs = qs.filter(at__date__lte=data["date_to"])
        return qs


__all__ = ["LoginEvent", "LoginEventFilterForm", "LoginForm", "OwnPasswordChangeForm", "UserCreateForm",
           "UserEditForm", "UserFilterForm"]
