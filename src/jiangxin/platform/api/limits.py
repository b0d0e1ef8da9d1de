"""Request body limits for the API (入侵防范 / 输入校验): size and JSON nesting depth, checked before any view or
parser runs, so a huge or deeply nested body is answered 413/422 and never reaches a recursive parser."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(rb"[\[\]{}]")


def max_body() -> int:
    return int(getattr(settings, "JIANGXIN_API_MAX_BODY_BYTES", 1024 * 1024))


def max_depth() -> int:
    return int(getattr(settings, "JIANGXIN_API_MAX_JSON_DEPTH", 32))


def json_depth(body: bytes, limit: int) -> int:
    """The nesting depth of a JSON text (strings skipped), counting no further than ``limit + 1``."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', body)):
        if match.group(0) in (b"[", b"{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        else:
            depth = max(0, depth - 1)
    return deepest


class ApiBodyLimitMiddleware:
    """Applies to every request under ``/api/`` that carries a body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and request.method in ("POST", "PUT", "PATCH", "DELETE"):
            refused = self.check(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    @staticmethod
    def check(request: HttpRequest) -> HttpResponse | None:
        limit = max_body()
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            return JsonResponse({"error": f"request body too large (limit {limit} bytes)"}, status=413)
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("multipart/") or content_type.startswith("application/x-www-form-urlencoded"):
            return None  # form posts (token pages): Django's own DATA_UPLOAD_* limits apply
        body = request.body
        if len(body) > limit:
            return JsonResponse({"error": f"request body too large (limit {limit} bytes)"}, status=413)
        if body.lstrip()[:1] in (b"[", b"{") and json_depth(body, max_depth()) > max_depth():
            return JsonResponse({"error": "invalid facts", "problems": [
                {"field": "(input)", "expected": f"JSON nested at most {max_depth()} levels deep"}]}, status=422)
        return None
