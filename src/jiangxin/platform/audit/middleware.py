"""Make the request's user and address available to audit.record()."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from jiangxin.platform.audit.context import (
    RequestContext,
    client_address,
    reset_request_context,
    set_request_context,
)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        token = set_request_context(RequestContext(user, client_address(request)))
        try:
            return self.get_response(request)
        finally:
            reset_request_context(token)
