"""入侵防范（输入校验）: API pagination and id bounds answer 422, never 500; a huge or deeply nested JSON body is
refused before any parser recurses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from jiangxin.platform.api.services import create_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(users: dict[str, Any]) -> str:
    return create_token(users["office"], "test")[1]


def _get(url: str, token: str) -> Any:
    return Client().get(url, HTTP_AUTHORIZATION=f"Bearer {token}")


def _post(url: str, body: bytes, token: str) -> Any:
    return Client().post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.parametrize("query", ["offset=-5", "limit=-1", "limit=0", "limit=100000",
                                   "offset=99999999999999999999", "limit=abc", "offset=1e3",
                                   "status=%00", "status=" + "x" * 41])
def test_out_of_range_pagination_is_422(token: str, query: str) -> None:
    assert _get(f"/api/v1/applications?{query}", token).status_code == 422


def test_valid_pagination_still_answers(token: str) -> None:
    response = _get("/api/v1/applications?limit=5&offset=0", token)
    assert response.status_code == 200 and response.json() == []


@pytest.mark.parametrize("app_id", ["0", "-1", "99999999999999999999", "2147483648"])
def test_out_of_range_ids_are_422(token: str, app_id: str) -> None:
    assert _get(f"/api/v1/applications/{app_id}", token).status_code == 422


def test_a_100k_deep_json_body_is_refused_without_recursing(token: str) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    response = _post("/api/v1/rules/nanchang_studio/eligibility", body, token)
    assert response.status_code == 422 and "nested" in response.json()["problems"][0]["expected"]
    deep_object = ('{"a":' * 50_000 + "1" + "}" * 50_000).encode()
    assert _post("/api/v1/rules/nanchang_studio/eligibility", deep_object, token).status_code == 422


def test_brackets_inside_strings_do_not_count_as_depth(token: str) -> None:
    body = json.dumps({"note": "[" * 1000}).encode()
    assert _post("/api/v1/rules/nanchang_studio/eligibility", body, token).status_code == 422  # bad facts, not depth
    assert "nested" not in _post("/api/v1/rules/nanchang_studio/eligibility", body, token).content.decode()


def test_an_oversized_body_is_413(token: str, settings: Any) -> None:
    settings.JIANGXIN_API_MAX_BODY_BYTES = 1000
    body = json.dumps({"x": "y" * 5000}).encode()
    assert _post("/api/v1/rules/nanchang_studio/eligibility", body, token).status_code == 413


@pytest.mark.parametrize("body", [b"[]", b'"text"', b"12", b"null", b'{"facts": 5}', b'{"facts": {"as_of": []}}'])
def test_facts_of_the_wrong_shape_are_422(token: str, body: bytes) -> None:
    assert _post("/api/v1/rules/nanchang_studio/eligibility", body, token).status_code == 422


@pytest.mark.parametrize("value", ["abc", "-5", "99999999999999999999", "1e3", ""])
def test_pages_ignore_out_of_range_year_and_id_parameters(users: dict[str, Any], client_for: Any, value: str) -> None:
    office = client_for(users["office"])
    assert office.get("/academy/", {"year": value}).status_code == 200
    assert client_for(users["unit"]).get("/worklog/", {"year": value}).status_code == 200
    assert office.get("/people/bans/new/", {"person": value}).status_code in (200, 403)


def test_id_parameter_helper_bounds() -> None:
    from jiangxin.platform.core.params import id_param, year_param

    assert [id_param(v) for v in ("7", "0", "-1", "99999999999999999999", "2147483648", None)] == [7, None, None,
                                                                                                   None, None, None]
    assert [year_param(v, 2026) for v in ("2025", "20255", "abc", None)] == [2025, 2026, 2026, 2026]
