"""入侵防范（输入校验）: Schemathesis over the API's own OpenAPI schema, through the Django WSGI application, with
a fixed seed and at least 1,000 generated cases (valid and invalid): no answer is a server error."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from jiangxin.platform.api.services import create_token

pytestmark = pytest.mark.django_db

CASES = 1000


def test_no_generated_request_gets_a_server_error(users: dict[str, Any]) -> None:
    plain = create_token(users["office"], "schemathesis")[1]
    auth = {"Authorization": f"Bearer {plain}"}
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    strategy = st.one_of(schema.as_strategy(GenerationMode.POSITIVE, headers=auth),
                         schema.as_strategy(GenerationMode.NEGATIVE, headers=auth))
    seen: list[tuple[str, int]] = []
    errors: list[str] = []

    @seed(20261207)
    @settings(max_examples=CASES, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case: Any) -> None:
        response = case.call()
        seen.append((case.operation.label, response.status_code))
        if response.status_code >= 500:
            errors.append(f"{case.method} {case.formatted_path} {case.query} {str(case.body)[:200]} → "
                          f"{response.status_code}")

    # like Django's test client: the handler must not close the test's connection (it sits in the test
    # transaction) at the end of each request
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        run()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert errors == []
    assert len(seen) >= CASES
    assert len({label for label, _ in seen}) >= 5  # every operation was exercised
