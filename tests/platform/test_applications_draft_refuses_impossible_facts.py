"""Saving an application draft refuses, at once, a fact no application could have — a negative project count,
a year key that is no year or lies after the round's 基准日, a result recognised in year -1 — using the bounds
the policy core's fact schema declares for submission. The refusal names the field by its Chinese label with a
Chinese reason next to the field and writes nothing; a draft that is merely incomplete (blanks) still saves."""

from __future__ import annotations

from typing import Any

import fixtures_apps
import pytest
from crawl import parse
from fixtures_apps import World
from test_applications_views import _form_data

from jiangxin.platform.applications.models import Application
from jiangxin.platform.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
media = fixtures_apps.media
world = fixtures_apps.world

RAW = ("greater than", "got -", "innovation_projects_by_year", "recognised_results", "Value error", "as_of")
PROJECTS = "每年创新课题或攻关项目数"


def _state(app: Application) -> tuple[Any, ...]:
    app.refresh_from_db()
    saves = AuditEvent.objects.filter(action="application.save_draft", object_id=str(app.pk)).count()
    return app.facts, app.details, app.eligibility_status, app.eligibility_checked_at, app.updated_at, saves


def _post(world: World, app: Application, data: dict[str, str]) -> tuple[int, str, str]:
    response = world.client("unit_a").post(f"/applications/{app.pk}/edit/", data)
    html = response.content.decode()
    return response.status_code, " ".join(parse(html).texts), html


def _blanked(data: dict[str, str]) -> dict[str, str]:
    """The form with every yes/no question and the leader's honours left blank (an incomplete draft)."""
    return {k: v for k, v in data.items()
            if not (k.startswith("leader_honours") or v in ("on", "true", "false") or k.endswith("_confirmed"))}


@pytest.mark.parametrize("incomplete", [False, True], ids=["complete", "incomplete"])
def test_draft_with_a_negative_project_count_is_refused_with_the_field_label(world: World, incomplete: bool) -> None:
    app = world.studio_application()
    before = _state(app)
    data = _form_data(app)
    data = _blanked(data) if incomplete else data
    data["innovation_projects_by_year__0__value"] = "-5"
    data["d-studio_name"] = "改过的名称"
    status, text, html = _post(world, app, data)
    assert status == 200
    assert "草稿未保存" in text and f"{PROJECTS} 2024：数值低于下限" in text
    assert 'has-error' in html or 'errorlist' in html
    for raw in RAW:
        assert raw not in text, raw
    assert _state(app) == before


@pytest.mark.parametrize(("field", "value", "said"), [
    ("innovation_projects_by_year__0__key", "abcd", f"{PROJECTS} abcd：应为整数"),
    ("innovation_projects_by_year__0__key", "2999", f"{PROJECTS}：年份不能晚于资格审查基准日所在年份"),
    ("recognised_results__0__year", "-1", "认定年份：数值低于下限"),
    ("recognised_results__0__year", "1e20", "认定年份"),
])
def test_draft_with_a_fact_no_application_could_have_is_refused_and_writes_nothing(
        world: World, field: str, value: str, said: str) -> None:
    app = world.studio_application()
    before = _state(app)
    data = _form_data(app)
    data[field] = value
    status, text, _ = _post(world, app, data)
    assert status == 200 and said in text, text[-800:]
    for raw in RAW:
        assert raw not in text, raw
    assert _state(app) == before


def test_draft_with_blanks_is_saved(world: World) -> None:
    app = world.studio_application()
    saves = _state(app)[-1]
    data = _blanked(_form_data(app))
    for blank in ("recognised_results__0__year", "prior_naming", "unit_form"):
        data.pop(blank)
    status, _, _ = _post(world, app, data)
    assert status == 302
    facts, _, eligibility, *_, after = _state(app)
    assert after == saves + 1 and eligibility == "incomplete"
    assert "prior_naming" not in facts and "unit_form" not in facts
    assert "year" not in facts["recognised_results"][0]
    assert facts["innovation_projects_by_year"] == {"2024": 2, "2025": 1}
