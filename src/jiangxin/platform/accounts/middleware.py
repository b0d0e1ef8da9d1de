"""Security policy on every request: forced first-login password change; administrators kept out of
business pages. (Idle timeout is the 30-minute session with SESSION_SAVE_EVERY_REQUEST.)"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/public/", "/verify/", "/i18n/", "/api/")


class SecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and getattr(user, "must_change_password", False)
                and not request.path.startswith(EXEMPT_PREFIXES)):
            return redirect(reverse("accounts:password_change"))
        return self.get_response(request)
