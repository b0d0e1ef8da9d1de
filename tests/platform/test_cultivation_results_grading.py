"""Grading a training unit's trainees (江苏卓越技师办法 第二十条, 第二十一条) through services and pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from cultivation_helpers import make_year
from cultivation_results_helpers import attend, attend_all, item_scores, to_grading

from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.cultivation import services_results as s
from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.models import Enrolment, EnrolmentStatus, UnitGrading

pytestmark = pytest.mark.django_db


def _scores(y, value="95"):
    return {e.pk: Decimal(value) for e in y.enrolments}


def test_grading_caps_excellent_and_good_at_thirty_percent_each():
    y = make_year(10, 10)
    attend_all(y)
    to_grading(y)
    grading = s.grade_unit(y.unit_user, y.year, y.unit, _scores(y))
    counts = grading.outcome["value"]["counts"]
    assert counts["优秀"] == 6 and counts["良好"] == 6 and counts["合格"] == 8
    grades = list(Enrolment.objects.filter(year=y.year).values_list("grade", flat=True))
    assert grades.count("优秀") == 6 and grades.count("良好") == 6
    assert all(e.status == EnrolmentStatus.GRADED for e in Enrolment.objects.filter(year=y.year))
    demoted = Enrolment.objects.filter(year=y.year, grade="合格").first()
    assert any("比例超过上限" in r for r in demoted.grade_outcome["value"]["reasons"])
    labels = {st["citation"]["label"] for st in grading.outcome["trace"]}
    assert any("第二十条" in label for label in labels)


def test_trainee_below_seventy_percent_of_hours_is_forced_to_fail():
    y = make_year(3, 0)
    attend_all(y)
    short = y.enrolments_a[0]
    attend(short, y.plan, Decimal("0.6"))
    s.grade_unit(y.unit_user, y.year, y.unit, _scores(y, "92"))
    short.refresh_from_db()
    assert short.grade == "不合格"
    assert short.grade_outcome["value"]["forced_fail"] is True
    assert any("第二十一条" in st["citation"]["label"] for st in short.grade_outcome["trace"])
    assert s.grading_rows(y.year, y.unit)[0]["hours_required"] == Decimal("200")


def test_deferred_trainees_are_not_graded_and_regrading_replaces_until_acceptance():
    y = make_year(4, 0)
    attend_all(y)
    deferred = y.enrolments_a[-1]
    Enrolment.objects.filter(pk=deferred.pk).update(status=EnrolmentStatus.DEFERRED)
    s.grade_unit(y.unit_user, y.year, y.unit, _scores(y, "75"))
    assert f"E{deferred.pk}" not in UnitGrading.objects.get().outcome["value"]["trainees"]
    s.grade_unit(y.unit_user, y.year, y.unit, _scores(y, "65"))
    assert set(Enrolment.objects.filter(status=EnrolmentStatus.GRADED).values_list("grade", flat=True)) == {"基本合格"}
    assert UnitGrading.objects.count() == 1
    assert AuditEvent.objects.filter(action="cultivation.grading").count() == 2
    s.assess_unit(y.office, y.year, y.unit, item_scores=item_scores(), finance_bureau="南京市财政局")
    with pytest.raises(CultivationError, match="不能再修改"):
        s.grade_unit(y.unit_user, y.year, y.unit, _scores(y, "90"))


def test_missing_score_and_other_units_are_refused():
    y = make_year(2, 0)
    attend_all(y)
    with pytest.raises(CultivationError, match="未填"):
        s.grade_unit(y.unit_user, y.year, y.unit, {y.enrolments[0].pk: Decimal("80")})
    with pytest.raises(CultivationError, match="只有该承训单位"):
        s.grade_unit(y.other_unit_user, y.year, y.unit, _scores(y))


def test_grading_page_lists_hours_and_saves_scores(client_for):
    y = make_year(2, 1)
    attend_all(y)
    client = client_for(y.unit_user)
    url = f"/cultivation/results/grading/{y.unit.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert y.enrolments[0].person.name in html and "200.0" in html
    data = {f"score_{e.pk}": "88" for e in y.enrolments}
    response = client.post(url, data)
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "评定结果" in html and "第二十条" in html
    assert client_for(y.other_unit_user).get(url).status_code == 404
    bad = client.post(url, {f"score_{e.pk}": "120" for e in y.enrolments})
    assert bad.status_code == 400 and "得分不能大于100" in bad.content.decode()
