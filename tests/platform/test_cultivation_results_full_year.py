"""A full cultivation year for a unit with 10 A and 10 B trainees, through the pages where a person would act:
attendance (ORM, as the training part records it), a deferral, grading with the caps and a forced fail, a
discipline incident, expenses, questionnaires, provincial acceptance, funding on the ledger, certificates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from cultivation_helpers import make_year
from cultivation_results_helpers import attend, attend_all, item_scores

from jiangxin.platform.cultivation import surveys
from jiangxin.platform.cultivation.models import Enrolment, EnrolmentStatus, UnitAcceptance, YearStatus
from jiangxin.platform.ledger.models import EntryKind, LedgerEntry
from jiangxin.platform.people.models import Ban

pytestmark = pytest.mark.django_db


def test_a_full_year_from_attendance_to_money_and_certificates(client_for):
    y = make_year(10, 10)
    attend_all(y)
    short = y.enrolments_b[-1]
    attend(short, y.plan, Decimal("0.5"))

    # a trainee defers (第二十四条): asked by the trainee, decided by the city lead
    trainee = client_for(y.trainee_user)
    deferring = y.enrolments_a[0]
    assert trainee.post(f"/cultivation/results/deferral/{deferring.pk}/",
                        {"reason": "health", "detail": "住院治疗"}).status_code == 302
    lead = client_for(y.lead)
    assert lead.post("/cultivation/results/deferrals/", {"enrolment": deferring.pk, "decision": "approve"}
                     ).status_code == 302
    assert Enrolment.objects.get(pk=deferring.pk).status == EnrolmentStatus.DEFERRED

    y.year.status = YearStatus.GRADING
    y.year.save(update_fields=["status"])

    # the unit grades all 19 remaining trainees at once (第二十条, 第二十一条)
    unit = client_for(y.unit_user)
    grading_url = f"/cultivation/results/grading/{y.unit.pk}/"
    scores = {f"score_{e.pk}": str(99 - i) for i, e in enumerate(y.enrolments[1:])}
    assert unit.post(grading_url, scores).status_code == 302
    graded = Enrolment.objects.filter(year=y.year, status=EnrolmentStatus.GRADED)
    assert graded.count() == 19
    grades = list(graded.values_list("grade", flat=True))
    assert grades.count("优秀") == 5 and grades.count("良好") == 5  # floor(30% × 19)
    assert Enrolment.objects.get(pk=short.pk).grade == "不合格"
    assert "不合格" in unit.get(grading_url).content.decode()

    # a discipline incident (第二十一条) on a graded trainee
    offender = y.enrolments_a[1]
    assert unit.post("/cultivation/results/incidents/", {
        "kind": "trainee_discipline", "enrolment": offender.pk, "description": "实训期间擅自离岗",
        "decided_on": dt.date.today().isoformat(), "notify_employer": "yes"}).status_code == 302
    assert Ban.objects.filter(person=offender.person, program="jiangsu_awards").exists()

    # expenses (第十条) and questionnaires (附件2, 附件3)
    assert unit.post("/cultivation/results/expenses/", {
        "category": "teaching", "amount": "150000", "spent_on": f"{y.year.year}-07-30",
        "description": "授课课酬"}).status_code == 302
    assert unit.post("/cultivation/results/expenses/", {
        "category": "meals", "amount": "9000", "spent_on": f"{y.year.year}-07-30", "description": "学员工作餐",
        "at_unit_canteen": "yes", "trainee_only": "yes"}).status_code == 302
    assert "符合" in client_for(y.office).get("/cultivation/results/expenses/").content.decode()
    answers = {i.key: "excellent" for i in surveys.RATING_ITEMS}
    deferred_answer = trainee.post(f"/cultivation/results/surveys/satisfaction/{deferring.pk}/", answers)
    assert "只有本学年参训的培育对象可以填写" in deferred_answer.content.decode()  # deferred: not this year
    employer = client_for(y.employer_user)
    assert employer.post("/cultivation/results/surveys/employer/", {"occupation_1": "焊工",
                                                                    "staff_evaluation": "很好"}).status_code == 302

    # provincial acceptance (第二十二条, 附件4), then funding on the ledger
    office = client_for(y.office)
    y.year.status = YearStatus.ACCEPTANCE
    y.year.save(update_fields=["status"])
    acceptance_url = f"/cultivation/results/acceptance/{y.unit.pk}/"
    data = {f"item_{k}": v for k, v in item_scores("4.5").items()}
    data.update(action="assess", finance_bureau="南京市财政局")
    assert office.post(acceptance_url, data).status_code == 302
    acceptance = UnitAcceptance.objects.get(year=y.year, training_unit=y.unit)
    assert (acceptance.passing_a, acceptance.passing_b) == (9, 9)
    assert office.post(acceptance_url, {"action": "fund"}).status_code == 302
    entries = LedgerEntry.objects.filter(kind=EntryKind.PER_HEAD, year=y.year.year)
    assert entries.count() == 18
    assert sum(e.amount for e in entries) == Decimal(9 * 10000 + 9 * 8000)
    assert office.post(acceptance_url, {"action": "fund"}).status_code == 302
    assert entries.count() == 18

    # grades are locked, certificates for the 18 who passed only
    refused = unit.post(grading_url, scores)
    assert refused.status_code == 200 and "不能再修改" in refused.content.decode()
    assert Enrolment.objects.get(pk=short.pk).grade == "不合格"
    passers = Enrolment.objects.filter(year=y.year, passed=True)
    assert passers.count() == 18 and all(e.certificate_no for e in passers)
    assert not Enrolment.objects.get(pk=short.pk).certificate_no
    overview = office.get("/cultivation/results/").content.decode()
    assert "162000" in overview
    first_passer = passers.first()
    assert office.get(f"/cultivation/results/certificate/{first_passer.pk}/").status_code == 200
    assert office.get(f"/cultivation/results/certificate/{short.pk}/").status_code == 404
