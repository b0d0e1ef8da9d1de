"""Terms of the rules stored in Chinese (honours, titles, grades, rubric ticks), application-form labels, rubric
inputs and grading reasons read in the reader's language, and stay exactly as before on Chinese pages (issue 13)."""

from __future__ import annotations

import pytest
from django.utils import translation

from jiangxin.platform.applications import services
from jiangxin.platform.applications.formgen import FactsForm
from jiangxin.platform.core.templatetags import labels
from jiangxin.platform.cultivation.templatetags.cultivation_results import grade_reasons
from jiangxin.platform.panels import rubrics

pytestmark = pytest.mark.django_db

HAN = "\u4e00-\u9fff"


def _has_han(text: str) -> bool:
    import re

    return bool(re.search(f"[{HAN}]", text))


def test_stored_honours_titles_and_grades_show_in_english_and_unchanged_in_chinese() -> None:
    with translation.override("en"):
        assert labels.enum_name("洪城工匠") == "Hongcheng craftsman"
        assert labels.enum_names(["全国技术能手", "讲师"]) == "National technical expert, Lecturer"
        assert labels.enum_name("良好") == "Good" and labels.enum_name("高级技师") == "Senior technician"
    with translation.override("zh-hans"):
        assert labels.enum_names(["全国技术能手", "讲师"]) == "全国技术能手、讲师"
        assert labels.enum_name("良好") == "良好"


def test_application_form_labels_come_from_the_label_layer_in_english() -> None:
    facts = services.eligibility_computation("nanchang_studio").facts
    with translation.override("en"):
        form = FactsForm(facts)
        english = {str(f.label).rstrip(" *") for f in form.fields.values()}
        assert {"Fixed venue", "Honour", "Year/key"} <= english
        assert "Leader's honours *" in [g.title for g in form.groups]
        assert not [label for label in english if _has_han(label)]
        honour_choices = dict(form.fields["leader_honours__0__kind"].choices)
        assert honour_choices["洪城工匠"] == "Hongcheng craftsman"
    with translation.override("zh-hans"):
        form = FactsForm(facts)
        assert str(form.fields["has_fixed_venue"].label) == "固定活动场所 *"
        assert dict(form.fields["leader_honours__0__kind"].choices)["洪城工匠"] == "洪城工匠"


def test_rubric_inputs_read_in_english_and_as_the_core_says_them_in_chinese() -> None:
    from jiangxin.programs.zhenjiang_park.scoring import RUBRIC

    with translation.override("en"):
        specs = {s.key: s for s in rubrics.item_specs(RUBRIC, {}, {})}
        signage = specs["signage"]
        assert signage.title == "Studio signage" and signage.section == "Infrastructure"
        assert signage.shape == "Tick what applies: Signage in place = 5"
        assert [f.label for f in signage.fields] == ["Signage in place"]
        plan = specs["development_plan"]
        assert ("无规划", "No plan（0 pts）") in plan.fields[0].choices
    with translation.override("zh-hans"):
        signage = next(s for s in rubrics.item_specs(RUBRIC, {}, {}) if s.key == "signage")
        assert signage.title == "工作室标识" and signage.shape == RUBRIC.items[0].scorer.shape()


def test_grading_reasons_are_said_again_in_english() -> None:
    stored = ["分数81按分档为良好", "良好比例超过上限，按分数由良好调为合格", "学分10/20.0不足70%，直接认定不合格"]
    with translation.override("en"):
        text = str(grade_reasons(stored))
        assert "score 81 falls in the Good band" in text
        assert "share of Good above its cap: moved by score from Good to Pass" in text
        assert "credits 10/20.0 below 70%: failed outright" in text
        assert not _has_han(text.replace("；", ""))
    with translation.override("zh-hans"):
        assert str(grade_reasons(stored)) == "；".join(stored)
    with translation.override("en"):
        assert 'lang="zh-Hans"' in str(grade_reasons(["其他说明"]))
