"""``/metrics`` for Prometheus (django-prometheus), answered only to the addresses the operator allows
(``JIANGXIN_METRICS_ALLOWED``, default loopback): request counts and latencies, database and cache counters."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django_prometheus.exports import ExportToDjangoView


def _allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in settings.JIANGXIN_METRICS_ALLOWED)


def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request.META.get("REMOTE_ADDR", "")):
        raise Http404
    return ExportToDjangoView(request)
