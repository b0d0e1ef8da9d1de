"""A parameter that Python calls a digit but int() cannot read ("²", "³": str.isdigit() is true for them) is
refused like any other non-number: the search-as-you-type endpoints, the pages' id and year parameters and the
public statistics answer normally instead of a server error."""

from __future__ import annotations

from typing import Any

import fixtures_apps
import pytest
from django.test import Client

from jiangxin.platform.core.params import id_param

pytestmark = pytest.mark.django_db
world = fixtures_apps.world
media = fixtures_apps.media


def test_id_param_refuses_superscript_digits() -> None:
    assert id_param("²") is None and id_param("1²") is None and id_param("12") == 12


@pytest.mark.parametrize(("url", "params"), [
    ("/picks/panels.experts/", {"q": "张", "panel": "²"}),
    ("/picks/designations.leaders/", {"q": "张", "designation": "²"}),
    ("/picks/cultivation.employers/", {"q": "张", "year": "²"}),
    ("/people/bans/new/", {"person": "²"}),
    ("/people/bans/", {"organisation": "²"}),
])
def test_superscript_digit_parameters_answer_without_a_server_error(world: Any, url: str, params: dict[str, str]) -> None:
    response = world.client("office_nc").get(url, params)
    assert response.status_code in (200, 404)
    if url.startswith("/picks/"):
        assert response.json()["results"] == []


def test_public_statistics_read_a_superscript_year_as_no_year(world: Any) -> None:
    assert Client().get("/public/statistics/", {"year": "²"}).status_code == 200
    assert Client().get("/public/statistics/export/funnel.xlsx", {"year": "²"}).status_code in (200, 404)


@pytest.mark.parametrize(("user", "method", "url", "data"), [
    ("sysadmin", "get", "/orgs/new/", {"parent": "abc"}),
    ("sysadmin", "get", "/orgs/new/", {"parent": "99999999999999999999"}),
    ("office_js", "post", "/cultivation/trainees/", {"enrolment": "abc", "major": "x"}),
    ("office_nc", "post", "/documents/issue/", {"subject": "99999999999999999999", "source": "x"}),
])
def test_a_tampered_id_in_a_form_or_link_answers_without_a_server_error(world: Any, user: str, method: str,
                                                                        url: str, data: dict[str, str]) -> None:
    client = world.client(user)
    response = getattr(client, method)(url, data)
    assert response.status_code in (200, 302, 400, 403, 404), response.status_code
