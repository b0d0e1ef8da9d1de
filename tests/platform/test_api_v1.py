"""API v1: token authentication, rules endpoint = CLI, data scope, local OpenAPI docs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import fixtures_apps
import pytest
from django.test import Client
from fixtures_apps import World, jsonbody

from jiangxin.platform.api.models import ApiToken
from jiangxin.platform.api.services import create_token, revoke_token
from jiangxin.policy.registry import get_computation

pytestmark = pytest.mark.django_db
media = fixtures_apps.media
world = fixtures_apps.world


def _token(world: World, name: str) -> str:
    return create_token(world.users[name], "test")[1]


def _get(url: str, token: str | None = None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return Client().get(url, **headers)


def _post(url: str, body: Any, token: str) -> Any:
    return Client().post(url, data=json.dumps(body), content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.parametrize("url", ["/api/v1/programs", "/api/v1/rounds", "/api/v1/applications"])
def test_missing_invalid_or_revoked_token_gives_401(world: World, url: str) -> None:
    assert _get(url).status_code == 401
    assert _get(url, "jx_not-a-real-token").status_code == 401
    token, plain = create_token(world.users["unit_a"], "x")
    assert _get(url, plain).status_code == 200
    revoke_token(world.users["unit_a"], token)
    assert _get(url, plain).status_code == 401
    assert Client().post("/api/v1/rules/nanchang_studio/eligibility", data="{}",
                         content_type="application/json").status_code == 401


def test_only_a_hash_of_the_token_is_stored(world: World) -> None:
    token, plain = create_token(world.users["unit_a"], "x")
    row = ApiToken.objects.get(pk=token.pk)
    assert plain not in (row.token_hash, row.hint) and len(row.token_hash) == 64


def test_rules_endpoint_equals_the_cli(world: World, tmp_path: Any) -> None:
    comp = get_computation("nanchang_studio", "eligibility")
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(comp.example, ensure_ascii=False), encoding="utf-8")
    cli = subprocess.run([sys.executable, "-m", "jiangxin.cli", "rules", "nanchang_studio", "eligibility",
                          "--input", str(path)], capture_output=True, text=True, check=True)
    response = _post("/api/v1/rules/nanchang_studio/eligibility", comp.example, _token(world, "unit_a"))
    assert response.status_code == 200
    assert jsonbody(response) == json.loads(cli.stdout)
    assert jsonbody(response)["status"] == "eligible"


def test_rules_endpoint_accepts_office_parameters(world: World) -> None:
    comp = get_computation("zhenjiang_park", "entry_eligibility")
    facts = comp.example.get("facts", comp.example)
    body = {"facts": facts, "parameters": {"evaluation_pass_mark": 120}, "reference": "示例通知"}
    response = _post("/api/v1/rules/zhenjiang_park/entry_eligibility", body, _token(world, "unit_a"))
    assert response.status_code == 200 and jsonbody(response)["trace"]


def test_bad_facts_give_422_with_field_and_expected(world: World) -> None:
    token = _token(world, "unit_a")
    response = _post("/api/v1/rules/nanchang_studio/eligibility", {"as_of": "not a date", "bogus": 1}, token)
    assert response.status_code == 422
    problems = {p["field"]: p["expected"] for p in jsonbody(response)["problems"]}
    assert "YYYY-MM-DD" in problems["as_of"] and "not a known field" in problems["bogus"]
    assert "has_fixed_venue" in problems
    assert _post("/api/v1/rules/nowhere/eligibility", {}, token).status_code == 404


def test_programs_and_parameters(world: World) -> None:
    token = _token(world, "unit_a")
    programs = {p["key"]: p for p in jsonbody(_get("/api/v1/programs", token))}
    assert "eligibility" in programs["nanchang_studio"]["computations"]
    params = jsonbody(_get("/api/v1/programs/zhenjiang_park/parameters", token))
    assert any(p["name"] == "evaluation_pass_mark" and p["kind"] == "unset" for p in params)
    assert _get("/api/v1/programs/nowhere/parameters", token).status_code == 404


def test_rounds_follow_the_callers_view(world: World) -> None:
    unit = {r["title"] for r in jsonbody(_get("/api/v1/rounds", _token(world, "unit_a")))}
    office = {r["title"] for r in jsonbody(_get("/api/v1/rounds", _token(world, "office_nc")))}
    assert "studio 批次" in unit and "下一年草稿批次" not in unit and "ganzhou 批次" not in unit
    assert "下一年草稿批次" in office
    assert jsonbody(_get("/api/v1/rounds", _token(world, "sysadmin"))) == []


def test_applications_within_scope_only(world: World) -> None:
    app = world.studio_application(submit=True)
    mine = jsonbody(_get("/api/v1/applications", _token(world, "unit_a")))
    assert [a["id"] for a in mine] == [app.pk]
    detail = jsonbody(_get(f"/api/v1/applications/{app.pk}", _token(world, "unit_a")))
    assert detail["eligibility"]["status"] == "eligible" and detail["facts"]["has_fixed_venue"] is True
    for name in ("unit_b", "district_xihu", "office_gz", "expert", "sysadmin"):
        token = _token(world, name)
        assert jsonbody(_get("/api/v1/applications", token)) == []
        assert _get(f"/api/v1/applications/{app.pk}", token).status_code == 404
    assert [a["id"] for a in jsonbody(_get("/api/v1/applications", _token(world, "district_donghu")))] == [app.pk]


def test_openapi_docs_are_served_without_external_urls(world: World) -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(src|href)=\"https?://", html)
    assert "/static/ninja/swagger-ui-bundle.js" in html and '"validatorUrl": null' in html
    schema = jsonbody(Client().get("/api/v1/openapi.json"))
    assert "/api/v1/rules/{program}/{computation}" in schema["paths"]


def test_token_page_shows_the_token_once_and_revokes(world: World) -> None:
    c = world.client("unit_a")
    html = c.post("/api/tokens/", {"name": "对接"}).content.decode()
    plain = re.search(r'id="token-value">(jx_[^<]+)<', html).group(1)  # type: ignore[union-attr]
    assert _get("/api/v1/programs", plain).status_code == 200
    assert plain not in c.get("/api/tokens/").content.decode()
    token = ApiToken.objects.get(user=world.users["unit_a"])
    assert world.client("unit_b").post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    c.post(f"/api/tokens/{token.pk}/revoke/")
    assert _get("/api/v1/programs", plain).status_code == 401
