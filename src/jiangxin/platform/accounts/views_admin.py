"""Administration pages of the system administrator (users) and the security administrator (login log,
locked accounts, policy). The audit administrator's pages live in the audit app."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangxin.platform.accounts import services
from jiangxin.platform.accounts.forms import (
    LoginEventFilterForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from jiangxin.platform.accounts.models import LoginEvent, User
from jiangxin.platform.accounts.roles import ADMIN_ROLES, Role
from jiangxin.platform.core.permissions import role_required

PAGE_SIZE = 50


def _managed_user(pk: int) -> User:
    user = get_object_or_404(User, pk=pk)
    if not services.manageable_by_system_admin(user):
        raise Http404
    return user


@role_required(Role.SYSTEM_ADMIN)
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None)
    qs = User.objects.exclude(role__in=ADMIN_ROLES).exclude(is_superuser=True).select_related("organisation")
    if form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            qs = qs.filter(Q(username__icontains=data["q"]) | Q(display_name__icontains=data["q"]))
        if data.get("role"):
            qs = qs.filter(role=data["role"])
        if data.get("active") in ("0", "1"):
            qs = qs.filter(is_active=data["active"] == "1")
    page = Paginator(qs.order_by("username"), PAGE_SIZE).get_page(request.GET.get("page"))
    template = "accounts/_user_rows.html" if getattr(request, "htmx", False) else "accounts/user_list.html"
    return render(request, template, {"form": form, "page": page})


@role_required(Role.SYSTEM_ADMIN)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user, temporary = services.create_user(
            username=data["username"], role=data["role"], organisation=data.get("organisation"),
            display_name=data.get("display_name", ""), email=data.get("email", ""), actor=request.user)
        if user.email:  # the first sign-in code goes to the user only: the administrator never holds a password
            services.reset_password(user, actor=request.user, request=request, new_account=True)
            return render(request, "accounts/reset_sent.html",
                          {"account": user, "masked_email": _mask(user.email), "created": True})
        return render(request, "accounts/temporary_password.html",
                      {"account": user, "temporary_password": temporary, "created": True})
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@role_required(Role.SYSTEM_ADMIN)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = _managed_user(pk)
    form = UserEditForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        fresh = User.objects.get(pk=account.pk)
        services.update_user(fresh, actor=request.user, **{f: form.cleaned_data[f] for f in form.fields})
        messages.success(request, _("用户信息已保存。"))
        return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_detail.html", {"account": account, "form": form})


@role_required(Role.SYSTEM_ADMIN)
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    account = _managed_user(pk)
    active = request.POST.get("active") == "1"
    services.set_active(account, active, actor=request.user)
    messages.success(request, _("账号已启用。") if active else _("账号已停用。"))
    return redirect("accounts:user_detail", pk=account.pk)


@role_required(Role.SYSTEM_ADMIN)
@require_POST
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    account = _managed_user(pk)
    if not account.email:
        messages.error(request, _("该用户未登记电子邮箱，无法把一次性重置码发给本人。请先在用户信息中登记本人邮箱。"))
        return redirect("accounts:user_detail", pk=account.pk)
    services.reset_password(account, actor=request.user, request=request)
    return render(request, "accounts/reset_sent.html", {"account": account, "masked_email": _mask(account.email)})


def _mask(email: str) -> str:
    name, _at, domain = email.partition("@")
    return f"{name[:1]}***@{domain}"


@role_required(Role.SECURITY_ADMIN)
def login_log(request: HttpRequest) -> HttpResponse:
    form = LoginEventFilterForm(request.GET or None)
    qs = form.filter(LoginEvent.objects.select_related("user"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "accounts/_login_rows.html" if getattr(request, "htmx", False) else "accounts/login_log.html"
    return render(request, template, {"form": form, "page": page, "reason_labels": services.REASON_LABELS})


@role_required(Role.SECURITY_ADMIN)
def locked_accounts(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    locked = User.objects.filter(locked_until__gt=now).order_by("locked_until")
    failing = User.objects.filter(failed_logins__gt=0).exclude(locked_until__gt=now).order_by("-failed_logins")
    return render(request, "accounts/locked_accounts.html", {"locked": locked, "failing": failing})


@role_required(Role.SECURITY_ADMIN)
@require_POST
def unlock_account(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    services.unlock(account, actor=request.user)
    messages.success(request, _("账号 %(name)s 已解锁。") % {"name": account.username})
    return redirect("accounts:locked_accounts")


@role_required(Role.SECURITY_ADMIN)
def security_policy(request: HttpRequest) -> HttpResponse:
    validators = [v.get("NAME", "").rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    min_length = next((v.get("OPTIONS", {}).get("min_length") for v in settings.AUTH_PASSWORD_VALIDATORS
                       if v.get("NAME", "").endswith("MinimumLengthValidator")), None)
    from django.contrib.auth.password_validation import password_validators_help_texts
    return render(request, "accounts/security_policy.html", {
        "lockout_failures": settings.JIANGXIN_LOCKOUT_FAILURES,
        "lockout_minutes": settings.JIANGXIN_LOCKOUT_MINUTES,
        "session_minutes": settings.SESSION_COOKIE_AGE // 60,
        "save_every_request": settings.SESSION_SAVE_EVERY_REQUEST or any(
            m.endswith("IdleSessionMiddleware") for m in settings.MIDDLEWARE),  # renewed with activity
        "expire_at_close": settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
        "secure_cookies": settings.SESSION_COOKIE_SECURE,
        "hasher": settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1],
        "validators": validators, "min_length": min_length,
        "token_days": settings.JIANGXIN_API_TOKEN_DAYS,
        "login_address": settings.JIANGXIN_RATE_LIMITS["login_address"],
        "login_account": settings.JIANGXIN_RATE_LIMITS["login_account"],
        "help_texts": password_validators_help_texts(),
    })
