"""Navigation and "my tasks" of the results part: each party sees its own entries and what waits for it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from cultivation_helpers import make_year
from cultivation_results_helpers import attend_all, to_grading

from jiangxin.platform.cultivation import nav_results
from jiangxin.platform.cultivation import services_results as s

pytestmark = pytest.mark.django_db


def _labels(items):
    return {str(i.label) for i in items}


def _titles(tasks):
    return {str(t.title): t.count for t in tasks}


def test_each_party_gets_its_entries_and_tasks(client_for):
    y = make_year(2, 0)
    to_grading(y)
    attend_all(y)
    assert "验收与经费" in _labels(nav_results.nav_items(y.office))
    assert "验收与经费" in _labels(nav_results.nav_items(y.lead))
    assert "培育对象评定" in _labels(nav_results.nav_items(y.unit_user))
    assert _labels(nav_results.nav_items(y.trainee_user)) == {"我的培育结果"}
    assert _labels(nav_results.nav_items(y.employer_user)) == {"培育计划用人单位调查"}
    assert nav_results.nav_items(y.city_staff) == []
    assert _titles(nav_results.tasks_for(y.unit_user)) == {"培育对象待评定": 2}
    assert "填写培育满意度问卷" in _titles(nav_results.tasks_for(y.trainee_user))
    assert "填写培育计划用人单位调查" in _titles(nav_results.tasks_for(y.employer_user))

    s.request_deferral(y.trainee_user, y.enrolments_a[0], reason="work", detail="外派")
    assert _titles(nav_results.tasks_for(y.lead))["延期申请待审批"] == 1
    assert "延期申请待审批" not in _titles(nav_results.tasks_for(y.unit_user))
    s.decide_deferral(y.office, y.enrolments_a[0], approve=True)
    page = client_for(y.lead).get("/cultivation/results/deferrals/").content.decode()
    assert "准予延期至" in page and "第二十四条" in page

    s.grade_unit(y.unit_user, y.year, y.unit, {y.enrolments_a[1].pk: Decimal("80")})
    assert _titles(nav_results.tasks_for(y.office))["承训单位待考核验收"] == 1
    assert "培育对象待评定" not in _titles(nav_results.tasks_for(y.unit_user))
    mine = client_for(y.trainee_user).get("/cultivation/results/mine/").content.decode()
    assert "已准予" in mine
