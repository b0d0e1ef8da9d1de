"""江苏卓越技师办法 through the pages: every late or out-of-order step is refused with its article and changes
nothing — a choice after the unit's grading or acceptance (by the trainee or entered on paper by staff), a moved
deadline, an enrolment after the grading began, a plan edit after approval, attendance and report scores under a
finished grading, a grading after the acceptance, a stale form, funding above the passing count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from cultivation_helpers import make_person, make_user, make_year
from cultivation_results_helpers import attend_all, item_scores
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core import transitions as tr
from jiangxin.platform.cultivation import services_results as R
from jiangxin.platform.cultivation.models import (
    Attendance,
    Enrolment,
    EnrolmentStatus,
    PlanStatus,
    ReportEvaluation,
    ResearchReport,
    TrainingPlan,
    YearStatus,
)

pytestmark = pytest.mark.django_db


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def text(response: Any) -> str:
    return str(response.content.decode())


def _open_choice(y: Any) -> None:
    y.year.choice_closes_on = timezone.localdate() + dt.timedelta(days=30)
    y.year.save(update_fields=["choice_closes_on"])


def _graded(y: Any) -> None:
    attend_all(y)
    R.grade_unit(y.unit_user, y.year, y.unit, {e.pk: Decimal("85") for e in y.enrolments})


def _accepted(y: Any) -> Any:
    _graded(y)
    return R.assess_unit(y.office, y.year, y.unit, item_scores=item_scores(), finance_bureau="南京市财政局")


def _newcomer(y: Any, n: int) -> tuple[Enrolment, Any]:
    person = make_person(n, y.employer)
    e = Enrolment.objects.create(year=y.year, person=person, track="B", employer=y.employer, home_city=y.city)
    return e, make_user(Role.TRAINEE, y.city, person=person)


def test_jiangsu_第二十二条_choice_refused_after_acceptance_locked_and_never_in_the_locked_list() -> None:
    y = make_year(n_a=2, n_b=1)
    _open_choice(y)
    _accepted(y)
    e, trainee = _newcomer(y, 9101)
    r = client(trainee).post(reverse("cultivation:choose"), {"major": y.majors[0].pk, "expect": "choosing"})
    page = text(r)
    assert r.status_code == 400
    assert "考核验收已完成" in page and "江苏卓越技师办法 第二十二条" in page
    e.refresh_from_db()
    assert e.major_id is None and e.status == EnrolmentStatus.CHOOSING
    grading = text(client(y.unit_user).get(reverse("cultivation:results_grading", args=[y.unit.pk])))
    namesakes = sum(1 for x in y.enrolments if x.person.name == e.person.name)
    assert grading.count(f'<td><span class="data">{e.person.name}</span></td>') == namesakes
    assert e.pk not in {row["enrolment"].pk for row in R.grading_rows(y.year, y.unit)}


def test_jiangsu_第二十二条_choice_entered_on_paper_by_staff_refused_after_acceptance() -> None:
    y = make_year(n_a=1, n_b=1)
    _open_choice(y)
    _accepted(y)
    e, _trainee = _newcomer(y, 9102)
    r = client(y.office).post(reverse("cultivation:unit_trainees") + f"?year={y.year.year}",
                              {"enrolment": e.pk, "major": y.majors[1].pk, "expect": "choosing"}, follow=True)
    page = text(r)
    assert "江苏卓越技师办法 第二十二条" in page
    e.refresh_from_db()
    assert e.major_id is None and e.status == EnrolmentStatus.CHOOSING


def test_jiangsu_第二十条_choice_refused_into_a_unit_already_graded() -> None:
    y = make_year(n_a=1, n_b=1)
    _open_choice(y)
    _graded(y)
    e, trainee = _newcomer(y, 9103)
    r = client(trainee).post(reverse("cultivation:choose"), {"major": y.majors[0].pk})
    page = text(r)
    assert r.status_code == 400
    assert "评定已完成" in page and "江苏卓越技师办法 第二十条" in page
    e.refresh_from_db()
    assert e.major_id is None


def test_jiangsu_第二十条_graded_trainee_cannot_change_the_choice() -> None:
    y = make_year(n_a=1, n_b=0)
    _open_choice(y)
    _graded(y)
    graded = y.enrolments_a[0]
    r = client(y.trainee_user).post(reverse("cultivation:choose"), {"major": y.other_major.pk})
    page = text(r)
    assert r.status_code == 400 and "当前状态不能选择专业" in page and "第二十条" in page
    graded.refresh_from_db()
    assert graded.major_id == y.majors[0].pk and graded.status == EnrolmentStatus.GRADED


def test_jiangsu_第七条_choice_deadline_not_moved_once_the_choosing_phase_is_over() -> None:
    y = make_year(n_a=1, n_b=0)  # in training, choice closed
    closes = y.year.choice_closes_on
    later = timezone.localdate() + dt.timedelta(days=30)
    r = client(y.office).post(reverse("cultivation:year", args=[y.year.pk]),
                              {"action": "dates", "choice_closes_on": later.isoformat(),
                               "report_due_on": (later + dt.timedelta(days=30)).isoformat()}, follow=True)
    assert "江苏卓越技师办法 第七条" in text(r)
    y.year.refresh_from_db()
    assert y.year.choice_closes_on == closes


def test_jiangsu_第二十条_enrolment_refused_after_the_grading_began() -> None:
    y = make_year(n_a=1, n_b=0, status=YearStatus.GRADING)
    from jiangxin.platform.cultivation import services_setup as S

    person = make_person(9104, y.employer)
    with pytest.raises(tr.TransitionRefused, match="第二十条"):
        S.enrol(y.office, y.year, person=person, track="A", check=False)
    assert not Enrolment.objects.filter(person=person).exists()


def test_jiangsu_第十二条_plan_edit_refused_after_approval() -> None:
    y = make_year(n_a=1, n_b=0)
    before = y.plan.sessions.count()
    r = client(y.unit_user).post(reverse("cultivation:plan", args=[y.plan.pk]), {
        "action": "session", "key": "S09", "title": "追加课程", "kind": "theory", "role": "regular",
        "delivery": "onsite", "start": "2026-06-01", "end": "2026-06-02", "hours": "8", "credits": "1"},
        follow=True)
    page = text(r)
    assert "已锁定" in page and "江苏卓越技师办法 第十二条" in page
    assert y.plan.sessions.count() == before
    assert TrainingPlan.objects.get(pk=y.plan.pk).status == PlanStatus.APPROVED


def test_jiangsu_stale_plan_decision_is_refused_not_applied_twice() -> None:
    y = make_year(n_a=1, n_b=0, plan_status=PlanStatus.SUBMITTED)
    url = reverse("cultivation:plan", args=[y.plan.pk])
    first = client(y.lead).post(url, {"action": "decide", "decision": "approve", "note": "",
                                      "expect": "submitted"}, follow=True)
    assert TrainingPlan.objects.get(pk=y.plan.pk).status == PlanStatus.APPROVED, text(first)
    again = client(y.lead).post(url, {"action": "decide", "decision": "return", "note": "再改",
                                      "expect": "submitted"}, follow=True)
    assert "刷新" in text(again)
    assert TrainingPlan.objects.get(pk=y.plan.pk).status == PlanStatus.APPROVED


def test_jiangsu_第二十条_attendance_refused_after_grading() -> None:
    y = make_year(n_a=1, n_b=0)
    _graded(y)
    session = y.plan.sessions.get(key="S02")
    e = y.enrolments_a[0]
    before = Attendance.objects.get(enrolment=e, session=session).hours
    r = client(y.unit_user).post(reverse("cultivation:training_attendance_session", args=[session.pk]),
                                 {f"hours_{e.pk}": "1", f"credits_{e.pk}": "0"}, follow=True)
    page = text(r)
    assert "江苏卓越技师办法 第二十条" in page
    assert Attendance.objects.get(enrolment=e, session=session).hours == before


def test_jiangsu_第十九条_report_replacement_refused_after_scoring(settings: Any, tmp_path: Any) -> None:
    from fixtures_apps import pdf_bytes

    settings.MEDIA_ROOT = tmp_path
    y = make_year(n_a=1, n_b=0)
    e = y.enrolments_a[0]
    report = ResearchReport.objects.create(enrolment=e, title="焊接变形控制",
                                           file=SimpleUploadedFile("r.pdf", pdf_bytes()))
    ReportEvaluation.objects.create(report=report, expert=make_user(Role.EXPERT, y.unit), score=Decimal("88"))
    y.year.report_due_on = timezone.localdate() + dt.timedelta(days=10)
    y.year.save(update_fields=["report_due_on"])
    r = client(y.trainee_user).post(reverse("cultivation:training_my_report"),
                                    {"title": "替换稿", "abstract": "", "file": SimpleUploadedFile("n.pdf", pdf_bytes())})
    page = text(r)
    assert "不能再替换" in page and "江苏卓越技师办法 第十九条" in page
    assert ResearchReport.objects.get(pk=report.pk).title == "焊接变形控制"


def test_jiangsu_第二十二条_grading_refused_after_acceptance() -> None:
    y = make_year(n_a=1, n_b=1)
    _accepted(y)
    before = {e.pk: e.score for e in Enrolment.objects.filter(year=y.year)}
    data = {f"score_{e.pk}": "61" for e in y.enrolments}
    r = client(y.unit_user).post(reverse("cultivation:results_grading", args=[y.unit.pk]), data, follow=True)
    assert "江苏卓越技师办法 第二十二条" in text(r)
    assert {e.pk: e.score for e in Enrolment.objects.filter(year=y.year)} == before


def test_jiangsu_第二十二条_funding_never_above_the_accepted_passing_count() -> None:
    from jiangxin.platform.ledger.models import LedgerEntry

    y = make_year(n_a=2, n_b=1)
    acceptance = _accepted(y)
    # a trainee marked passed behind the acceptance's back (e.g. by an import) must not be paid for
    late = y.enrolments_a[1]
    Enrolment.objects.filter(pk=late.pk).update(passed=True)
    Enrolment.objects.filter(pk=y.enrolments_a[0].pk).update(passed=True)
    acceptance.passing_a = 1
    acceptance.save(update_fields=["passing_a"])
    entries = LedgerEntry.objects.count()
    r = client(y.office).post(reverse("cultivation:results_acceptance", args=[y.unit.pk]), {"action": "fund"},
                              follow=True)
    assert "江苏卓越技师办法 第二十二条" in text(r)
    assert LedgerEntry.objects.count() == entries


def test_jiangsu_wrong_role_cannot_advance_the_year_and_nothing_changes() -> None:
    y = make_year(n_a=1, n_b=0)
    from jiangxin.platform.cultivation import services_setup as S

    with pytest.raises(tr.TransitionRefused):
        S.advance_phase(y.lead, y.year)
    y.year.refresh_from_db()
    assert y.year.status == YearStatus.TRAINING


def test_cultivation_transitions_are_registered_with_roles_and_articles() -> None:
    grouped = tr.by_app()
    keys = {t.key for t in grouped["cultivation"]}
    assert {"cultivation.choose_major", "cultivation.record_choice", "cultivation.grade_unit",
            "cultivation.assess_unit", "cultivation.post_funding", "cultivation.decide_plan"} <= keys
    for t in grouped["cultivation"]:
        assert t.roles and t.citation.startswith("江苏卓越技师办法"), t.key
    tracked = tr.tracked_fields()
    assert "status" in tracked["cultivation.Enrolment"] and "major" in tracked["cultivation.Enrolment"]


def test_a_direct_status_write_is_reported_as_a_bypass(settings: Any) -> None:
    settings.JIANGXIN_TRANSITIONS_CHECK = "raise"
    y = make_year(n_a=1, n_b=0)
    e = y.enrolments_a[0]
    e.status = EnrolmentStatus.GRADED
    with pytest.raises(tr.UnregisteredStateChange):
        e.save()


def test_jiangsu_第二十一条_back_dated_finding_refused_so_the_ban_is_not_shortened() -> None:
    from jiangxin.platform.cultivation.models import Incident

    y = make_year(n_a=2, n_b=0)
    e = y.enrolments_a[1]
    r = client(y.unit_user).post("/cultivation/results/incidents/", {
        "kind": "trainee_discipline", "enrolment": e.pk, "description": "实训期间擅自离岗",
        "decided_on": dt.date(y.year.year - 2, 6, 1).isoformat(), "notify_employer": "yes"})
    page = text(r)
    assert "江苏卓越技师办法 第二十一条" in page
    assert not Incident.objects.filter(enrolment=e).exists()
