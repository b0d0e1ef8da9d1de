"""Second-factor pages (双因素认证): verify a code after the password, enrol an authenticator (QR code drawn
on the server, nothing from outside), recovery codes, and the security administrator's role setting."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from jiangxin.platform.accounts import otp, ratelimit, services
from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import ADMIN_ROLES, Role
from jiangxin.platform.accounts.views import _next_url
from jiangxin.platform.core.permissions import role_required


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("动态验证码或恢复码"), max_length=20, strip=True,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "autofocus": True}))


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters("code")
@never_cache
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)
    if otp.confirmed_device(user) is None:
        return redirect("accounts:otp_setup")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if ratelimit.check_and_hit("otp_account", str(user.pk)):
            form.add_error(None, _("尝试过于频繁，请稍后再试。"))
            services._log(request, user.username, user, False, services.Reason.RATE_LIMITED)
            status = 429
        elif otp.verify(request, user, form.cleaned_data["code"]) is not None:
            ratelimit.clear("otp_account", str(user.pk))
            services._log(request, user.username, user, True, services.Reason.OTP_OK)
            return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)
        else:
            services._log(request, user.username, user, False, services.Reason.OTP_FAILED)
            form.add_error(None, _("验证码不正确或已使用，请输入身份验证器上当前显示的 6 位数字，或一个未用过的恢复码。"))
            status = 400
    return _no_store(render(request, "accounts/otp_verify.html",
                            {"form": form, "next": _next_url(request)}, status=status))


@sensitive_post_parameters("code")
@never_cache
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol (or replace, once verified) the authenticator; shows the recovery codes once."""
    user: User = request.user  # type: ignore[assignment]
    has_device = otp.confirmed_device(user) is not None
    if has_device and not user.is_verified():  # type: ignore[attr-defined]
        return redirect("accounts:otp_verify")  # replacing a device needs the current one first
    if has_device and request.method == "GET" and request.GET.get("replace") != "1":
        return _no_store(render(request, "accounts/otp_status.html", {
            "required": otp.requires_second_factor(user), "codes_left": _codes_left(user)}))
    device = otp.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if ratelimit.check_and_hit("otp_account", str(user.pk)):
            form.add_error(None, _("尝试过于频繁，请稍后再试。"))
        else:
            codes = otp.confirm_enrolment(request, user, form.cleaned_data["code"])
            if codes is not None:
                ratelimit.clear("otp_account", str(user.pk))
                messages.success(request, _("身份验证器已绑定。"))
                return _no_store(render(request, "accounts/otp_codes.html",
                                        {"codes": codes, "next": _next_url(request)}))
            form.add_error(None, _("验证码不正确，请确认手机时间准确后输入当前显示的 6 位数字。"))
    return _no_store(render(request, "accounts/otp_setup.html", {
        "form": form, "qr_svg": otp.qr_svg(device), "secret": otp.secret_base32(device),
        "issuer": settings.OTP_TOTP_ISSUER, "required": otp.requires_second_factor(user),
        "next": _next_url(request)}))


def _codes_left(user: User) -> int:
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user, device__name=otp.RECOVERY_NAME).count()


@never_cache
@login_required
@require_POST
def otp_recovery_codes(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if otp.confirmed_device(user) is None or not user.is_verified():  # type: ignore[attr-defined]
        return redirect("accounts:otp_setup")
    codes = otp.new_recovery_codes(user)
    return _no_store(render(request, "accounts/otp_codes.html", {"codes": codes, "next": ""}))


class SecondFactorPolicyForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("须使用双因素认证的业务角色"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(value, label) for value, label in Role.choices if value not in ADMIN_ROLES])


@role_required(Role.SECURITY_ADMIN)
def second_factor_policy(request: HttpRequest) -> HttpResponse:
    current = sorted(otp.required_roles() - {str(r) for r in ADMIN_ROLES})
    form = SecondFactorPolicyForm(request.POST or None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        otp.set_required_roles(set(form.cleaned_data["roles"]), actor=request.user)
        messages.success(request, _("双因素认证设置已保存，相关角色的用户下次进入系统时须绑定身份验证器。"))
        return redirect("accounts:second_factor_policy")
    admins = [label for value, label in Role.choices if value in ADMIN_ROLES]
    enrolled = User.objects.filter(totpdevice__confirmed=True).distinct().order_by("username")
    return render(request, "accounts/second_factor_policy.html",
                  {"form": form, "admin_roles": admins, "enrolled": enrolled[:500], "enrolled_count": enrolled.count()})


@role_required(Role.SECURITY_ADMIN)
@require_POST
def second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """The user lost their authenticator: remove it so they enrol again at the next sign-in."""
    account = get_object_or_404(User, pk=pk)
    otp.remove_devices(account, actor=request.user)
    messages.success(request, _("已解除 %(name)s 的身份验证器。") % {"name": account.username})
    return redirect("accounts:second_factor_policy")
