"""The label layer (core/templatetags/labels.py): codes, ratios, money, dates and traces in the reader's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from jiangxin.platform.core.templatetags import labels

pytestmark = pytest.mark.django_db


def test_a_spending_split_shows_as_percentages() -> None:
    assert labels.percent(Decimal("0.9494")) == "94.94%" and labels.percent("0.0506") == "5.06%"
    assert labels.percent("0.8") == "80%"


def test_money_has_thousands_separators_and_its_unit() -> None:
    with translation.override("zh-hans"):
        assert labels.yuan(Decimal("1234567.5")) == "1,234,567.50 元"
    with translation.override("en"):
        assert labels.yuan("300000") == "300,000.00 yuan"


def test_dates_follow_the_reader_language() -> None:
    day = dt.date(2026, 12, 3)
    with translation.override("zh-hans"):
        assert labels.ldate(day) == "2026年12月3日"
    with translation.override("en"):
        assert labels.ldate(day) == "3 Dec 2026"


def test_stage_and_program_names_come_from_the_labels_in_both_languages() -> None:
    with translation.override("zh-hans"):
        assert labels.stage_title("central_review", "nanchang_academy") == "集中复审（实地考察与现场评审）"
        assert labels.program_name("nanchang_studio") == "南昌市示范性创新工作室"
    with translation.override("en"):
        assert labels.stage_title("central_review", "nanchang_academy/application_admissible") == \
            "Central review (field visit and on-site review)"
        assert labels.action_name("advance") == "Passed to the next stage"
        assert labels.audit_action("academy.import.finish") == "Trainee import finished"


def test_every_workflow_stage_has_a_label() -> None:
    from jiangxin.policy.labels import program_labels
    from jiangxin.policy.workflow import load_workflow

    for program in ("nanchang_academy", "nanchang_studio", "zhenjiang_park", "ganzhou_craftsman",
                    "jiangsu_technician"):
        wf = load_workflow(program)
        keys = [s.key for s in wf.stages] + [p.key for s in wf.stages for p in s.parts] + [wf.final_key]
        assert [k for k in keys if f"stage.{k}" not in program_labels(program)] == [], program


def test_a_citation_keeps_the_document_term_and_links_its_interpretation_by_title() -> None:
    label = "赣州工匠办法 第六条（工作或居住其一即可（I-TIME-10））"
    with translation.override("zh-hans"):
        html = str(labels.cite({"label": label}))
    assert '<cite class="citation" lang="zh-Hans">赣州工匠办法 第六条（工作或居住其一即可）</cite>' in html
    assert 'class="interp"' in html and ">在赣州工作或居住</a>" in html and ">I-TIME-10<" not in html


def test_a_trace_renders_steps_never_a_repr() -> None:
    outcome = {"computation": "jiangsu_technician/expenses", "trace": [
        {"rule": "teaching_share", "result": "0.9494", "passed": True,
         "inputs": {"lines": {"teaching": "9494", "support": "506"}},
         "citation": {"label": "江苏卓越技师办法 第十条"}}]}
    with translation.override("zh-hans"):
        html = Template("{% load labels %}{% trace outcome %}").render(Context({"outcome": outcome}))
    assert "{'" not in html and "[{'" not in html and 'data-rule="teaching_share"' in html
    assert "江苏卓越技师办法 第十条" in html


def test_prefilled_rubric_facts_read_as_titles_and_counts() -> None:
    value = {"skill_upgrading": {"sessions": 3, "trainees": 360}}
    with translation.override("zh-hans"):
        text = labels.rubric_value(value, "nanchang_academy.annual")
    assert "{'" not in text and "技能提升培训" in text and "360" in text


def test_help_texts_are_in_the_reader_language_without_codes() -> None:
    from jiangxin.platform.applications.formgen import localized_help

    text = "原则上: the office's recorded reason for accepting a leader without a listed honour (I-SEL-03); null when none"
    with translation.override("zh-hans"):
        assert localized_help(text) == "原则上"
    with translation.override("en"):
        assert localized_help(text) == "the office's recorded reason for accepting a leader without a listed honour"
