"""English pages: labels the platform writes itself (enum values, rubric terms and titles, worklog summaries, claim
facts, units, login events, messages) are English; the Chinese pages keep their Chinese wording.

Found by an English crawl of the demo as every role (Ganzhou routes 工艺专长…, rubric ticks 团队相对固定…, worklog
summaries 技能提升培训（培训期数 3…）, 承办竞赛项目数, the unit 家, 登录成功, the training file's minimum share).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import crawl
import pytest
from django.test import Client
from django.utils import translation

from jiangxin.platform.accounts.models import LoginEvent
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.templatetags import labels
from jiangxin.platform.panels import rubrics

pytestmark = pytest.mark.django_db


# --- enum values of the rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("route", "english"), [
    ("工艺专长", "Craft expertise"), ("高超技能", "Superb skill"), ("领军作用", "Leading role"),
    ("传承技艺", "Passing on the craft"), ("创新业绩", "Innovation record"), ("关键技术", "Key technology")])
def test_ganzhou_routes_have_english_names_and_keep_their_chinese(route: str, english: str) -> None:
    from jiangxin.policy.labels import enum_label
    from jiangxin.programs.ganzhou_craftsman.rules.eligibility import Route

    assert route in {r.value for r in Route}
    assert enum_label("ganzhou_craftsman", "route", route, "en") == english
    assert enum_label("ganzhou_craftsman", "route", route, "zh-hans") == route


def test_ganzhou_case_page_names_routes_and_what_is_missing_in_english() -> None:
    from review_helpers import case, read, submit, world

    w = world("ganzhou_craftsman", year=2026)
    facts = read("ganzhou_craftsman/examples/eligibility.json")
    for row in facts["routes"]:
        row.pop("confirmed_by", None)
    app = submit(w, "工匠候选", facts=facts)
    client = Client()
    client.force_login(w.district_users[0])
    url = f"/review/cases/{case(app).pk}/"
    html = crawl.in_language(client, "en").get(url).content.decode()
    assert "Key technology" in html and "Still needed before the next stage: " in html
    assert '<cite class="citation" lang="zh-Hans">赣州工匠办法 第六条' in html  # the article: the document's term
    assert not crawl.chinese_outside_data(html), crawl.chinese_outside_data(html)
    zh = crawl.in_language(client, "zh-hans").get(url).content.decode()
    assert "须由评审人（单位）确认条件“关键技术”（" in zh and "Key technology" not in zh


# --- rubric terms, titles and the shapes built from them ------------------------------------------------------


def _rubric(program: str) -> Any:
    from jiangxin.platform.assessments.profiles import _declared_rubric

    return _declared_rubric(program)


def test_studio_rubric_ticks_measures_and_sections_read_in_english() -> None:
    rubric = _rubric("nanchang_studio")
    with translation.override("en"):
        specs = rubrics.item_specs(rubric, {}, {})
        text = " | ".join(f"{s.section} {s.title} {s.shape} " + " ".join(f.label for f in s.fields)
                          + " ".join(f"{p.title} {p.shape} " + " ".join(f.label for f in p.fields) for p in s.parts)
                          for s in specs)
    assert "Tick what applies: Stable team = 5" in text and "Fixed premises = 5" in text
    assert "Counts against thresholds: Innovation projects this year ≥ 1" in text and "Formally named" in text
    assert "Innovation team" in text and "Projects of the year" in text
    for chinese in ("团队相对固定", "固定活动场所", "年度创新课题攻关项目数", "已正式命名", "创新团队", "年度课题或项目"):
        assert chinese not in text
    with translation.override("zh-hans"):
        zh = rubrics.item_specs(rubric, {}, {})
    assert any(f.label == "团队相对固定" for s in zh for f in s.fields) and any(s.section == "创新团队" for s in zh)


def test_academy_rubric_sections_have_english_names() -> None:
    rubric = _rubric("nanchang_academy")
    with translation.override("en"):
        sections = {s.section for s in rubrics.item_specs(rubric, {}, {})}
    assert {"Faculty building", "Vocational skills training", "Demonstration effect"} <= sections
    assert not any(crawl.HAN.search(s) for s in sections)


def test_rubric_parse_errors_follow_the_reader_language() -> None:
    rubric = _rubric("nanchang_academy")
    post = {"i__training_tasks__skill_upgrading__sessions": "-1"}
    with translation.override("en"):
        error = rubrics.parse_post(rubric, post).errors["training_tasks"]
    assert "enter a whole number of 0 or more" in error and "请填写" not in error
    with translation.override("zh-hans"):
        assert "请填写不小于 0 的整数" in rubrics.parse_post(rubric, post).errors["training_tasks"]


# --- worklog summaries -----------------------------------------------------------------------------------------


def test_worklog_summary_of_rubric_facts_is_english_with_each_parts_own_measure() -> None:
    value = {"public_welfare": {"sessions": 2, "person_times": 160}, "industry_contests": {"contests": 0}}
    with translation.override("en"):
        text = str(labels.rubric_value(value, "nanchang_academy.annual"))
    assert text == ("Free public-welfare training (Public-welfare sessions 2; Public-welfare trainee attendances 160); "
                    "Industry contests (Industry contests organised 0)")
    with translation.override("zh-hans"):
        zh = str(labels.rubric_value(value, "nanchang_academy.annual"))
    assert zh == "免费公益培训（公益培训次数 2；公益培训人次 160）；行业性竞赛（组织行业性竞赛场数 0）"


def test_worklog_placings_show_the_level_in_english_and_the_person_as_data() -> None:
    value = [{"person": "李明", "level": "省级", "placing": 2}]
    with translation.override("en"):
        html = str(labels.rubric_value(value, "nanchang_academy.annual"))
    assert '<span class="data">李明</span>' in html and "Provincial level" in html and "省级" not in html
    assert not crawl.chinese_outside_data(f"<p>{html}</p>")


def test_a_trace_names_a_chinese_keyed_input_in_english() -> None:
    from django.template import Context, Template

    outcome = {"computation": "nanchang_academy/annual_score", "trace": [
        {"rule": "annual_pass", "passed": False, "inputs": {"total": "76.5", "合格": "80"}}]}
    template = Template("{% load labels %}{% trace outcome %}")
    with translation.override("en"):
        html = template.render(Context({"outcome": outcome}))
    assert "Pass: " in html and "合格" not in html
    with translation.override("zh-hans"):
        assert "合格：" in template.render(Context({"outcome": outcome}))


# --- claim facts, units ----------------------------------------------------------------------------------------


def test_claim_facts_table_labels_and_terms_in_english() -> None:
    from jiangxin.platform.ledger.forms import facts_table
    from jiangxin.policy.registry import get_computation

    comp = get_computation("nanchang_academy", "contest_subsidy")
    facts = {"as_of": "2026-11-30", "hosted": {"市级洪工杯": 2}}
    with translation.override("en"):
        rows = facts_table(comp, facts, "nanchang_academy")
    assert str(rows[0]["label"]) == "Reference date" and rows[1]["label"] == "Contest items hosted"
    assert rows[1]["rows"] == [["City Honggong Cup", "2"]]
    with translation.override("zh-hans"):
        zh = facts_table(comp, facts, "nanchang_academy")
    assert str(zh[0]["label"]) == "计算基准日" and zh[1]["label"] == "承办竞赛项目数" and zh[1]["rows"][0][0] == "市级洪工杯"


@pytest.mark.parametrize(("unit", "english"), [("家", "studios"), ("项", "items")])
def test_chinese_parameter_units_have_english_names(unit: str, english: str) -> None:
    with translation.override("en"):
        assert labels.unit_name(unit) == english
    with translation.override("zh-hans"):
        assert labels.unit_name(unit) == unit


# --- login history ---------------------------------------------------------------------------------------------


def test_login_history_names_events_in_english(users: dict[str, Any], client_for: Any) -> None:
    for reason in ("ok", "otp_ok", "otp_failed"):
        LoginEvent.objects.create(username="someone", succeeded=reason != "otp_failed", reason=reason)
    client = client_for(users[Role.SECURITY_ADMIN])
    html = crawl.in_language(client, "en").get("/accounts/security/logins/").content.decode()
    assert "Signed in" in html and "Second factor passed" in html and "Second factor failed" in html
    assert "登录成功" not in html and "第二因素认证通过" not in html
    zh = crawl.in_language(client, "zh-hans").get("/accounts/security/logins/").content.decode()
    assert "登录成功" in zh and "第二因素认证失败" in zh


# --- training file ---------------------------------------------------------------------------------------------


def test_training_file_states_the_minimum_share_in_english(settings: Any, tmp_path: Any) -> None:
    from cultivation_helpers import make_year

    from jiangxin.platform.cultivation import services_training as services

    settings.MEDIA_ROOT = tmp_path / "media"
    y = make_year(n_a=1, n_b=0)
    e = y.enrolments_a[0]
    for s in y.plan.sessions.all():
        services.record_attendance(y.unit_user, s, [{"enrolment": e, "hours": s.hours * Decimal("0.5"),
                                                     "credits": s.credits * Decimal("0.5")}])
    client = Client()
    client.force_login(y.unit_user)
    html = crawl.in_language(client, "en").get(f"/cultivation/training/files/{e.pk}/").content.decode()
    assert '(minimum share 70%; <cite class="citation" lang="zh-Hans">江苏卓越技师办法 第二十一条' in html
    assert "最低比例" not in html and "（Minimum" not in html
    zh = crawl.in_language(client, "zh-hans").get(f"/cultivation/training/files/{e.pk}/").content.decode()
    assert "（最低比例 70%；" in zh
