"""An office's score with an out-of-range input (a negative count typed into the JSON entries, a judgement
above its cap) is refused with the rubric's own item names and a Chinese reason, never the item keys or the
policy core's English ("faculty_honours.…：a value greater than or equal to 0 (got -1)"), and writes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from crawl import parse
from test_assessments_flow import W, example, filed, open_academy, w  # noqa: F401  (w: the fixture)

from jiangxin.platform.assessments.models import AssessmentStatus

pytestmark = pytest.mark.django_db


def test_refused_score_names_the_rubric_items_in_chinese_and_writes_nothing(w: W, client_for: Any) -> None:  # noqa: F811
    rnd = open_academy(w)
    a = filed(w, rnd.assessments.get(designation=w.d["academy_a"]), w.unit_a)
    entries = example("nanchang_academy", "annual_score")
    entries["faculty_honours"] = {"赣鄱工匠或能工巧匠": -1}
    response = client_for(w.office).post(f"/assessments/{a.pk}/score/",
                                         {"entries": json.dumps(entries, ensure_ascii=False)}, follow=True)
    text = " ".join(parse(response.content.decode()).texts)
    assert "评分项目输入不正确" in text and "师资荣誉" in text and "数值低于下限" in text
    for raw in ("faculty_honours", "greater than", "got -1"):
        assert raw not in text
    a.refresh_from_db()
    assert a.status == AssessmentStatus.SUBMITTED and a.total is None and not a.entries


def test_studio_assessment_page_names_sections_and_parts_not_their_keys(w: W, client_for: Any) -> None:  # noqa: F811
    """创新工作室 template rubric (rubrics/assessment-template.yaml, key …assessment_template): the breakdown's
    分组 column and the parts' line read 领衔人才 / 年度课题或项目, not ``leader`` / ``annual_projects``."""
    import datetime as dt

    from jiangxin.platform.assessments import services

    rnd = services.open_round(w.office, w.programs["nanchang_studio"], year=2026, opens=dt.date(2026, 11, 1),
                              self_report_due=dt.date(2026, 12, 20),
                              office_parameters={"scoring_assessment_pass_mark": 80})
    a = filed(w, rnd.assessments.get(), w.unit_a)
    services.score(w.office, a, example("nanchang_studio", "assessment_score"))
    text = " ".join(parse(client_for(w.office).get(f"/assessments/{a.pk}/").content.decode()).texts)
    assert "领衔人才" in text and "活动保障" in text and "攻关课题" in text and "各分项得分相加" in text
    for key in ("leader", "support", "projects", "annual_projects", "recognised_results"):
        assert key not in text.split(), key
        assert f"{key}（" not in text and f"{key} " not in text, key
