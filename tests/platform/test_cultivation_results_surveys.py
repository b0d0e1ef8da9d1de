"""附件2 satisfaction and 附件3 employer questionnaires: once each a year, summaries per unit, scoping."""

from __future__ import annotations

import pytest
from cultivation_helpers import make_year
from cultivation_results_helpers import to_grading

from jiangxin.platform.cultivation import services_results as s
from jiangxin.platform.cultivation import surveys
from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.models import SurveyResponse

pytestmark = pytest.mark.django_db


def _answers(rating="excellent", **extra):
    answers = {i.key: rating for i in surveys.RATING_ITEMS}
    answers.update(suggestions="增加实操课时", **extra)
    return answers


def test_trainee_answers_once_and_only_while_open():
    y = make_year(2, 0, status="choosing")
    e = y.enrolments_a[0]
    with pytest.raises(CultivationError, match="尚未开始"):
        s.submit_satisfaction(y.trainee_user, e, _answers())
    to_grading(y)
    e.refresh_from_db()
    incomplete = _answers()
    incomplete.pop("overall")
    with pytest.raises(CultivationError, match="总体满意度"):
        s.submit_satisfaction(y.trainee_user, e, incomplete)
    s.submit_satisfaction(y.trainee_user, e, _answers())
    with pytest.raises(CultivationError, match="已填写过"):
        s.submit_satisfaction(y.trainee_user, e, _answers())
    with pytest.raises(CultivationError, match="本人"):
        s.submit_satisfaction(y.trainee_user, y.enrolments_a[1], _answers())


def test_summary_counts_distribution_and_satisfied_share():
    y = make_year(2, 0)
    to_grading(y)
    first, second = y.enrolments_a
    SurveyResponse.objects.create(year=y.year, kind="satisfaction", training_unit=y.unit, enrolment=first,
                                  answers=_answers("excellent"))
    SurveyResponse.objects.create(year=y.year, kind="satisfaction", training_unit=y.unit, enrolment=second,
                                  answers=_answers("fair"))
    summary = s.survey_summary(y.year, y.unit)
    assert summary["count"] == 2 and summary["trainees"] == 2
    overall = next(r for r in summary["items"] if r["item"].key == "overall")
    assert dict(overall["counts"]) == {"优秀": 1, "良好": 0, "一般": 1, "较差": 0}
    assert str(overall["satisfied_share"]) == "50.0"


def test_employer_answers_once_and_unit_sees_summary_without_names(client_for):
    y = make_year(1, 0)
    to_grading(y)
    employer = client_for(y.employer_user)
    page = employer.get("/cultivation/results/surveys/employer/")
    assert page.status_code == 200 and "附件3" in page.content.decode()
    data = {"occupation_1": "焊工", "occupation_1_senior_technician": "3", "occupation_1_technician": "12",
            "occupation_1_senior_worker": "40", "technical_problems": "厚板焊接变形", "staff_evaluation": "进步明显"}
    assert employer.post("/cultivation/results/surveys/employer/", data).status_code == 302
    with pytest.raises(CultivationError, match="已填写过"):
        s.submit_employer_survey(y.employer_user, y.year, data)
    trainee = client_for(y.trainee_user)
    e = y.enrolments_a[0]
    form = {i.key: "good" for i in surveys.RATING_ITEMS}
    assert trainee.post(f"/cultivation/results/surveys/satisfaction/{e.pk}/", form).status_code == 302
    unit_page = client_for(y.unit_user).get("/cultivation/results/surveys/").content.decode()
    assert "厚板焊接变形" in unit_page and "100.0" in unit_page
    assert e.person.name not in unit_page
    other = client_for(y.other_unit_user).get("/cultivation/results/surveys/").content.decode()
    assert y.unit.name not in other
    office = client_for(y.office).get("/cultivation/results/surveys/").content.decode()
    assert y.unit.name in office and y.other_unit.name in office
    lead = client_for(y.lead).get("/cultivation/results/surveys/").content.decode()
    assert y.unit.name in lead and y.other_unit.name not in lead


def test_results_pages_are_scoped(client_for):
    y = make_year(1, 0)
    assert client_for(y.other_unit_user).get(f"/cultivation/results/grading/{y.unit.pk}/").status_code == 404
    assert client_for(y.lead).get(f"/cultivation/results/grading/{y.unit.pk}/").status_code == 200
    assert client_for(y.city_staff).get("/cultivation/results/").status_code == 403
    assert client_for(y.trainee_user).get("/cultivation/results/").status_code == 403
    assert client_for(y.employer_user).get("/cultivation/results/expenses/").status_code == 403
    assert client_for(y.lead).get(f"/cultivation/results/acceptance/{y.other_unit.pk}/").status_code == 404
    home = client_for(y.unit_user).get("/cultivation/results/")
    assert home.status_code == 302 and f"/grading/{y.unit.pk}/" in home["Location"]
