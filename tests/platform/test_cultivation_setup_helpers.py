"""The shared cultivation-year fixture builds a consistent year (the other cultivation tests rely on it)."""

from __future__ import annotations

import pytest
from cultivation_helpers import make_year

from jiangxin.platform.cultivation.access import city_of, is_city_lead, is_province_office, visible_enrolments
from jiangxin.platform.cultivation.models import EnrolmentStatus, PlanStatus


@pytest.mark.django_db
def test_make_year_builds_ten_a_and_ten_b_enrolled_trainees_with_an_approved_plan_that_passes_the_check() -> None:
    y = make_year()
    assert len(y.enrolments_a) == 10 and len(y.enrolments_b) == 10
    assert {e.status for e in y.enrolments} == {EnrolmentStatus.ENROLLED}
    assert {e.track for e in y.enrolments_a} == {"A"} and {e.track for e in y.enrolments_b} == {"B"}
    assert all(e.designation and e.designation.holder_person_id == e.person_id for e in y.enrolments)
    assert y.plan.status == PlanStatus.APPROVED and y.plan.sessions.count() == 4
    assert y.plan.check_outcome["status"] == "passed"
    assert city_of(y.unit) == y.city and city_of(y.other_unit) == y.other_city
    assert is_province_office(y.office) and is_city_lead(y.lead, y.year, y.city)
    assert not is_city_lead(y.city_staff, y.year)


@pytest.mark.django_db
def test_make_year_scopes_trainees_to_their_unit_and_themselves() -> None:
    y = make_year(n_a=3, n_b=2)
    assert visible_enrolments(y.unit_user, y.year).count() == 5
    assert visible_enrolments(y.other_unit_user, y.year).count() == 0
    assert list(visible_enrolments(y.trainee_user, y.year)) == [y.enrolments_a[0]]
    assert visible_enrolments(y.office, y.year).count() == 5
