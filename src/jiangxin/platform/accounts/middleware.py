"""Security policy on every request (身份鉴别): a signed-in user who still has to change the first or reset
password, or who must present a second factor, reaches nothing but the pages that complete that step.

Applies to every entry served with a session — pages, htmx fragments and the API token pages under /api/. The
token-authenticated API (/api/v1/) carries no session; there the token check refuses owners in the same state
(api.services.usable_by). The idle timeout is the 30-minute session (renewed with activity by core.sessions) for pages and
the token expiry for the API. Administrators are kept out of business pages by the views' role checks.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from jiangxin.platform.accounts import otp

#: reachable whatever the signed-in user still owes: static files, public pages (the verify page too), language
#: switch, the token-authenticated API (no session there), the security contact, health checks
ALWAYS_OPEN = ("/static/", "/public/", "/verify/", "/i18n/", "/api/v1/", "/.well-known/", "/security/", "/healthz")
#: the pages that complete a pending step
STEP_PAGES = ("accounts:login", "accounts:logout", "accounts:password_change", "accounts:otp_verify",
              "accounts:otp_setup")


class SecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self._step_paths: tuple[str, ...] | None = None

    def step_paths(self) -> tuple[str, ...]:
        if self._step_paths is None:
            self._step_paths = tuple(reverse(name) for name in STEP_PAGES)
        return self._step_paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        path = request.path
        if user is None or not user.is_authenticated or path.startswith(ALWAYS_OPEN):
            return self.get_response(request)
        if path in self.step_paths():
            return self.get_response(request)
        if getattr(user, "must_change_password", False):
            return redirect(reverse("accounts:password_change"))
        if otp.needs_verification(user) and not user.is_verified():
            target = "accounts:otp_verify" if otp.confirmed_device(user) else "accounts:otp_setup"
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            return redirect(reverse(target) + (f"?{query}" if query else ""))
        return self.get_response(request)
