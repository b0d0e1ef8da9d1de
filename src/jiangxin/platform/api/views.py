"""API token pages: a user creates tokens (shown once) and revokes them."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiangxin.platform.accounts import ratelimit
from jiangxin.platform.api import services
from jiangxin.platform.api.models import ApiToken
from jiangxin.platform.audit.context import client_address


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("用途"), max_length=100, help_text=gettext_lazy("如：人社系统数据对接"))


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    plain = ""
    status = 200
    if request.method == "POST":
        address = client_address(request) or ""
        limited = (ratelimit.check_and_hit("token_account", str(request.user.pk))
                   | ratelimit.check_and_hit("token_address", address))
        if limited:
            form.add_error(None, _("创建令牌过于频繁，请稍后再试。"))
            status = 429
        elif form.is_valid():
            _token, plain = services.create_token(request.user, form.cleaned_data["name"])
            messages.success(request, "令牌已创建。请立即复制保存，离开本页后将无法再次查看。")
            form = TokenForm()
    assert request.user.is_authenticated, "login_required"
    tokens = ApiToken.objects.filter(user=request.user)
    response = render(request, "api/tokens.html", {"form": form, "tokens": tokens, "plain": plain,
                                                   "token_days": settings.JIANGXIN_API_TOKEN_DAYS,
                                                   "idle_days": settings.JIANGXIN_API_TOKEN_IDLE_DAYS},
                      status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_token(request.user, token)
    messages.success(request, f"令牌“{token.name}”已吊销。")
    return redirect("api:tokens")
