"""Safe defaults served on every response, and the operator's security contact (安全联系方式).

- ``SecurityHeadersMiddleware`` adds the Permissions-Policy header (no camera, microphone, location… for any
  page) and lets views marked ``@xframe_options_sameorigin`` be framed by our own pages under CSP too; CSP comes
  from django-csp, HSTS / Referrer-Policy / nosniff / COOP from Django's SecurityMiddleware.
- ``security_txt`` answers /.well-known/security.txt (RFC 9116 fields) and ``security_page`` shows the same
  contact as a page; both read the operator's settings (``JIANGXIN_SECURITY_CONTACT`` …) and say plainly when
  none is configured.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN" and not hasattr(response, "_csp_replace"):
            # a view made embeddable by our own pages (@xframe_options_sameorigin: course PDFs and videos) gets
            # the matching CSP frame-ancestors, which browsers obey before X-Frame-Options
            response._csp_replace = {"frame-ancestors": ["'self'"]}  # type: ignore[attr-defined]
        policy = getattr(settings, "JIANGXIN_PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


def _contact() -> dict[str, str]:
    contact = settings.JIANGXIN_SECURITY_CONTACT.strip()
    if contact and ":" not in contact:
        contact = f"mailto:{contact}" if "@" in contact else f"tel:{contact}"
    return {"contact": contact, "contact_url": settings.JIANGXIN_SECURITY_CONTACT_URL.strip(),
            "policy": settings.JIANGXIN_SECURITY_POLICY_URL.strip(),
            "languages": settings.JIANGXIN_SECURITY_LANGUAGES.strip()}


def security_txt(request: HttpRequest) -> HttpResponse:
    info = _contact()
    expires = timezone.now() + dt.timedelta(days=180)
    lines = ["# 匠心 Jiangxin — 安全问题报告方式 / how to report a security problem"]
    if info["contact"]:
        lines.append(f"Contact: {info['contact']}")
    if info["contact_url"]:
        lines.append(f"Contact: {info['contact_url']}")
    if not (info["contact"] or info["contact_url"]):
        lines.append("# 运营单位尚未配置安全联系人 (JIANGXIN_SECURITY_CONTACT)")
    lines.append(f"Expires: {expires:%Y-%m-%dT%H:%M:%SZ}")
    if info["policy"]:
        lines.append(f"Policy: {info['policy']}")
    if info["languages"]:
        lines.append(f"Preferred-Languages: {info['languages']}")
    lines.append(f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def security_page(request: HttpRequest) -> HttpResponse:
    return render(request, "core/security_contact.html", _contact())
