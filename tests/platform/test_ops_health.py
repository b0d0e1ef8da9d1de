"""Operations: /healthz, /metrics, request ids in logs and responses, the version in the footer and the API."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.test import Client

from jiangxin.platform.core.requestid import RequestIdFilter
from jiangxin.platform.core.version import version
from jiangxin.platform.ops import health
from jiangxin.platform.ops.logformat import JsonFormatter

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_component_and_the_version(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["version"] == version()
    assert set(body["checks"]) == {"database", "cache", "queue", "storage"}
    assert all(check["ok"] for check in body["checks"].values())


def test_healthz_answers_503_naming_the_failing_component(client: Client, monkeypatch: Any) -> None:
    def broken() -> None:
        raise ConnectionError("cache down")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail" and body["checks"]["cache"]["ok"] is False
    assert "cache down" not in response.content.decode()  # no error detail to the outside


def test_metrics_answer_loopback_only(client: Client) -> None:
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert b"django_http_requests" in response.content
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404


def test_every_response_carries_a_request_id_and_a_safe_forwarded_one_is_kept(client: Client) -> None:
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="lb-0123456789abcdef")["X-Request-ID"]
    assert kept == "lb-0123456789abcdef"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="x\nINFO fake line")["X-Request-ID"]
    assert "\n" not in forged and forged != "x\nINFO fake line"


def test_log_lines_are_json_with_the_request_id() -> None:
    record = logging.LogRecord("jiangxin", logging.WARNING, __file__, 1, "导入失败 %s", ("第3行",), None)
    RequestIdFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "导入失败 第3行" and entry["level"] == "WARNING" and "request_id" in entry


def test_version_is_shown_in_the_footer_and_the_api(client: Client) -> None:
    page = client.get("/accounts/login/")
    assert version() in page.content.decode()
    assert client.get("/api/v1/version").json() == {"version": version()}


def test_audit_record_carries_the_request_id_of_the_request_that_caused_it(
        client: Client, make_user: Any) -> None:
    from jiangxin.platform.accounts.roles import Role
    from jiangxin.platform.audit.models import AuditEvent
    from jiangxin.platform.audit.service import verify_chain

    user = make_user(Role.OFFICE, username="ops_audit")
    for _ in range(5):  # five failures lock the account: an audited event written inside the request
        response = client.post("/accounts/login/", {"username": "ops_audit", "password": "wrong-Password-1"},
                               HTTP_X_REQUEST_ID="req-ops-audit-0001")
    assert response["X-Request-ID"] == "req-ops-audit-0001"
    event = AuditEvent.objects.filter(action="accounts.user.lock", object_id=str(user.pk)).get()
    assert event.request_id == "req-ops-audit-0001"
    assert verify_chain() == (True, None)
