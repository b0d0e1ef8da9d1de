"""A draft holding an out-of-range fact (a result recognised in year -1, saved before drafts were checked) is
refused at submission with the field's own label and a Chinese reason, on the confirmation page and in the
refusal messages; never the fact's path (``recognised_results.0.year``) or the policy core's English."""

from __future__ import annotations

import fixtures_apps
import pytest
from crawl import parse
from fixtures_apps import World

from jiangxin.platform.applications.models import Application, Status

pytestmark = pytest.mark.django_db
media = fixtures_apps.media
world = fixtures_apps.world

def _visible(html: str) -> str:
    return " ".join(parse(html).texts)


RAW = ("recognised_results.0.year", "recognised_results", "greater than", "got -1", "不符合要求")


def _tampered(world: World) -> Application:
    """A draft holding year -1: saving a draft now refuses it, so it is written as a draft saved before that was."""
    app = world.studio_application()
    results = [dict(r, year=-1) for r in world.studio_facts()["recognised_results"]]
    Application.objects.filter(pk=app.pk).update(facts={**app.facts, "recognised_results": results})
    app.refresh_from_db()
    return app


def test_submit_page_names_an_out_of_range_fact_by_its_label_in_chinese(world: World) -> None:
    app = _tampered(world)
    page = _visible(world.client("unit_a").get(f"/applications/{app.pk}/submit/").content.decode())
    assert "认定年份" in page and "数值低于下限" in page
    for raw in RAW:
        assert raw not in page


def test_refused_submission_of_an_out_of_range_fact_speaks_chinese_and_writes_nothing(world: World) -> None:
    app = _tampered(world)
    response = world.client("unit_a").post(f"/applications/{app.pk}/submit/", {"confirm": "yes"}, follow=True)
    html = _visible(response.content.decode())
    assert "申报信息不完整或有误" in html and "认定年份" in html and "数值低于下限" in html
    for raw in RAW:
        assert raw not in html
    app.refresh_from_db()
    assert app.status == Status.DRAFT and app.submitted_at is None
