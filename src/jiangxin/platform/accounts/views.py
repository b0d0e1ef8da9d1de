"""Sign-in, sign-out and own password change (every user)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from jiangxin.platform.accounts import otp, services
from jiangxin.platform.accounts.forms import LoginForm, OwnPasswordChangeForm


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return ""


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:my_tasks")
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        user, reason = services.attempt_login(request, form.cleaned_data["username"],
                                              form.cleaned_data["password"])
        if user is not None:
            login(request, user)
            if user.must_change_password:
                if reason == services.Reason.RESET_CODE_USED:
                    messages.info(request, _("重置码已使用，请立即设置新密码。"))
                else:
                    messages.info(request, _("首次登录或密码已被重置，请先修改密码。"))
                return redirect("accounts:password_change")
            if otp.needs_verification(user):
                target = "accounts:otp_verify" if otp.confirmed_device(user) else "accounts:otp_setup"
                nxt = _next_url(request)
                return redirect(reverse(target) + (f"?{urlencode({'next': nxt})}" if nxt else ""))
            return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)
        if reason == services.Reason.RATE_LIMITED:
            form.add_error(None, _("登录尝试过于频繁，请稍后再试。"))
            status = 429
        else:
            form.add_error(None, services.LOGIN_FAILED_MESSAGE)
    elif request.method == "POST":
        services.attempt_login(request, request.POST.get("username", ""), "")
        form.errors.pop("username", None)
        form.errors.pop("password", None)
        form.add_error(None, _("请输入用户名和密码。"))
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request),
                                                   "lockout_failures": settings.JIANGXIN_LOCKOUT_FAILURES,
                                                   "lockout_minutes": settings.JIANGXIN_LOCKOUT_MINUTES},
                  status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.log_logout(request, request.user)  # type: ignore[arg-type]
    logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect("accounts:login")


@sensitive_post_parameters()
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = OwnPasswordChangeForm(user, request.POST or None)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        services.change_password(user, form.cleaned_data["new_password1"], request=request)  # type: ignore[arg-type]
        update_session_auth_hash(request, user)  # type: ignore[arg-type]
        messages.success(request, _("密码已修改。"))
        if otp.needs_verification(user) and not user.is_verified():  # type: ignore[union-attr]
            return redirect("accounts:otp_verify" if otp.confirmed_device(user) else "accounts:otp_setup")
        return redirect("core:my_tasks")
    return render(request, "accounts/password_change.html", {"form": form, "forced": user.must_change_password})  # type: ignore[union-attr]
