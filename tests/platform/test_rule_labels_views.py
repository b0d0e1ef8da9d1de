"""Failed conditions are shown by their short title (jiangxin.policy.labels), not only the rule id."""

from __future__ import annotations

import fixtures_apps
import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from fixtures_apps import World
from test_applications_views import _form_data

from jiangxin.platform.core.templatetags.rules import rule_label

pytestmark = pytest.mark.django_db
media = fixtures_apps.media
world = fixtures_apps.world


def _check_without_funds_and_approval(world: World, **headers: str) -> str:
    app = world.studio_application()
    data = _form_data(app)
    data.pop("has_dedicated_funds", None)     # 第二条（三）
    data.pop("party_admin_approved", None)    # 第七条
    client = world.client("unit_a")
    for name, value in headers.items():
        client.cookies[name] = value
    response = client.post(f"/applications/{app.pk}/check/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_live_check_shows_the_chinese_title_of_each_failed_condition(world: World) -> None:
    html = _check_without_funds_and_approval(world)
    assert "以下 2 项未满足" in html
    failures = html.split('<ul class="failures">', 1)[1].split("</ul>", 1)[0]
    assert "专项经费" in failures and "单位党政同意" in failures
    # the rule id stays in the markup for scripts and tests (data-rule), never as text or tooltip (issue 13)
    assert 'data-rule="funds"' in failures and 'data-rule="party_admin_approved"' in failures
    assert 'title="funds"' not in failures
    assert ">funds<" not in failures and ">party_admin_approved<" not in failures
    # the full trace also reads by title
    assert "领衔人荣誉" in html


def test_live_check_in_english_shows_the_english_title(world: World) -> None:
    html = _check_without_funds_and_approval(world, **{settings.LANGUAGE_COOKIE_NAME: "en"})
    failures = html.split('<ul class="failures">', 1)[1].split("</ul>", 1)[0]
    assert "Dedicated funds" in failures and "Approved by party and management" in failures


def test_filter_reads_stored_step_dicts_with_program_or_computation_key() -> None:
    step = {"rule": "retirement_margin", "citation": {"document": "jiangsu_technician", "article": "第二条"}}
    with translation.override("zh-hans"):
        assert rule_label(step, "jiangsu_technician") == "距法定退休不少于规定年限"
        assert rule_label(step, "jiangsu_technician/eligibility") == "距法定退休不少于规定年限"
        assert rule_label(step) == "距法定退休不少于规定年限"  # program taken from the citation
        assert rule_label({"rule": "no_such_rule"}, "jiangsu_technician") == "no_such_rule"
    with translation.override("en"):
        assert rule_label(step, "jiangsu_technician") == "Enough years before retirement"


def test_review_outcome_partial_shows_title_not_rule_id() -> None:
    outcome = {"status": "ineligible", "computation": "nanchang_studio/eligibility",
               "failures": [{"rule": "leader_honour", "passed": False,
                             "citation": {"document": "nanchang_studio", "article": "第二条", "clause": "（一）",
                                          "label": "南昌创新工作室办法 第二条（一）"}}]}
    outcome["trace"] = outcome["failures"]
    with translation.override("zh-hans"):
        html = Template('{% include "review/_outcome.html" %}').render(Context({"outcome": outcome}))
    assert "领衔人荣誉" in html
    assert 'data-rule="leader_honour"' in html and ">leader_honour<" not in html


def test_review_outcome_partial_without_computation_uses_generic_titles() -> None:
    outcome = {"status": "ok", "failures": [],
               "trace": [{"rule": "return_deadline", "result": "2026-12-01",
                          "citation": {"document": "interpretation", "article": "I-WF-01", "clause": "",
                                       "label": "匠心解释口径 I-WF-01"}}]}
    with translation.override("zh-hans"):
        html = Template('{% include "review/_outcome.html" %}').render(Context({"outcome": outcome}))
    assert "退回补正期限" in html and "return_deadline" in html
