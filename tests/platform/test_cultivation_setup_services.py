"""Setting up a cultivation year through the services: the year and its phases, city leads, enrolment with the
第二十三条 checks, majors and the trainees' choice, mentors (第十六条) and training plans (第九条, 第十七条)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from cultivation_helpers import make_person, make_user, make_year, plan_sessions
from django.utils import timezone

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.cultivation import services_setup as S
from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.models import (
    CityLead,
    CultivationYear,
    Delivery,
    Enrolment,
    EnrolmentStatus,
    Mentor,
    PlanStatus,
    SessionKind,
    SessionRole,
    Title,
    TrainingPlan,
    YearStatus,
)
from jiangxin.platform.designations.models import Designation, DesignationStatus, Kind
from jiangxin.platform.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _open_choice(y, days: int = 10) -> None:  # type: ignore[no-untyped-def]
    y.year.status = YearStatus.CHOOSING
    y.year.choice_closes_on = timezone.localdate() + dt.timedelta(days=days)
    y.year.save()


def _fresh(y, n: int = 1, track: str = "A", **kwargs):  # type: ignore[no-untyped-def]
    """A new choosing enrolment in the city of ``y`` with a trainee login."""
    person = make_person(9000 + n, y.employer)
    e = Enrolment.objects.create(year=y.year, person=person, track=track, employer=y.employer, home_city=y.city,
                                 status=EnrolmentStatus.CHOOSING, **kwargs)
    return e, make_user(Role.TRAINEE, y.city, person=person)


# ------------------------------------------------------------------------------------------------ the year


def test_province_office_opens_a_year_and_only_it_can() -> None:
    y = make_year(n_a=1, n_b=0)
    year = S.open_year(y.office, year=2031, choice_closes_on=dt.date(2031, 2, 20), report_due_on=dt.date(2031, 10, 31))
    assert year.status == YearStatus.CHOOSING and year.opened_by == y.office
    assert AuditEvent.objects.filter(action="cultivation.year_open").exists()
    with pytest.raises(CultivationError, match="已开设"):
        S.open_year(y.office, year=2031)
    with pytest.raises(CultivationError, match="省级主管部门"):
        S.open_year(y.lead, year=2032)
    assert not CultivationYear.objects.filter(year=2032).exists()


def test_phase_moves_only_when_every_unit_with_trainees_has_an_approved_plan() -> None:
    y = make_year(n_a=2, n_b=1, plan_status=PlanStatus.SUBMITTED, status=YearStatus.CHOOSING)
    with pytest.raises(CultivationError, match="培训计划尚未"):
        S.advance_phase(y.office, y.year)
    S.decide_plan(y.lead, y.plan, approve=True)
    S.advance_phase(y.office, y.year)
    y.year.refresh_from_db()
    assert y.year.status == YearStatus.TRAINING
    S.advance_phase(y.office, y.year)
    assert y.year.status == YearStatus.GRADING
    with pytest.raises(CultivationError, match="尚未完成培育对象评定"):
        S.advance_phase(y.office, y.year)


def test_city_lead_must_belong_to_the_bureau_and_replacing_is_audited() -> None:
    y = make_year(n_a=1, n_b=0)
    outsider = make_user(Role.DISTRICT, y.other_city)
    with pytest.raises(CultivationError, match="该设区市人社局的工作人员"):
        S.assign_city_lead(y.office, y.year, city_bureau=y.city, user=outsider)
    with pytest.raises(CultivationError, match="设区市人社局"):
        S.assign_city_lead(y.office, y.year, city_bureau=y.unit, user=y.unit_user)
    S.assign_city_lead(y.office, y.year, city_bureau=y.city, user=y.city_staff)
    lead = CityLead.objects.get(year=y.year, city_bureau=y.city)
    assert lead.user == y.city_staff and CityLead.objects.filter(year=y.year).count() == 1
    event = AuditEvent.objects.filter(action="cultivation.city_lead").latest("pk")
    assert event.before == {"user": y.lead.username}
    assert Notification.objects.filter(recipient=y.city_staff).exists()


# ------------------------------------------------------------------------------------------------ enrolment


def _designation(person, scope_org, year: int, name: str = "卓越技师培育对象（A类）", ends_on=None):  # type: ignore[no-untyped-def]
    return Designation.objects.create(program="jiangsu_technician", kind=Kind.COHORT, name=name, holder_person=person,
                                      scope_org=scope_org, year=year, designated_on=dt.date(year, 1, 10),
                                      certificate_no=f"T-{person.pk}-{year}",
                                      ends_on=ends_on or dt.date(year + 1, 12, 31))


def test_enrol_cohort_takes_new_selections_last_years_cohort_and_deferrals() -> None:
    y = make_year(n_a=2, n_b=1, year=2026)
    nxt = S.open_year(y.office, year=2027)
    new = make_person(7001, y.employer)
    _designation(new, y.city, 2027, "卓越技师培育对象（B类）")
    y.enrolments_b[0].status = EnrolmentStatus.DEFERRED
    y.enrolments_b[0].save()
    result = S.enrol_cohort(y.office, nxt)
    people = {e.person_id: e for e in result.created}
    assert set(people) == {new.pk, *(e.person_id for e in y.enrolments)}
    assert people[new.pk].track == "B" and people[new.pk].entry_outcome["status"] == "eligible"
    assert people[y.enrolments_a[0].person_id].track == "A"
    assert people[y.enrolments_a[0].person_id].entry_outcome is None  # continuing: not re-checked
    assert all(e.home_city == y.city for e in result.created)
    assert S.enrol_cohort(y.office, nxt).created == []  # idempotent


def test_enrolment_refused_within_three_years_of_an_earlier_participation_with_the_citation() -> None:
    y = make_year(n_a=1, n_b=0, year=2026)
    person = make_person(7002, y.employer)
    _designation(person, y.city, 2022, ends_on=dt.date(2023, 12, 31))
    _designation(person, y.city, 2026)
    year = CultivationYear.objects.get(year=2026)
    with pytest.raises(CultivationError, match="第二十三条") as info:
        S.enrol(y.office, year, person=person, track="A", designation=person.designations.get(year=2026))
    assert "间隔" in str(info.value)
    assert not Enrolment.objects.filter(person=person).exists()
    assert AuditEvent.objects.filter(action="cultivation.enrol_refused").exists()


def test_b_class_refused_to_a_recipient_of_the_former_chief_subsidy_unless_excepted() -> None:
    y = make_year(n_a=1, n_b=0)
    person = make_person(7003, y.employer)
    d = _designation(person, y.city, 2026, "卓越技师培育对象（B类）")
    with pytest.raises(CultivationError, match=r"首席技师一次性补助.*第二十三条"):
        S.enrol(y.office, y.year, person=person, track="B", designation=d, received_former_chief_subsidy=True)
    e = S.enrol(y.office, y.year, person=person, track="B", designation=d, received_former_chief_subsidy=True,
                former_subsidy_exception="苏人社〔2026〕1号")
    step = next(s for s in e.entry_outcome["trace"] if s["rule"] == "b_no_former_chief_subsidy")
    assert step["passed"] is True and step["citation"]["article"] == "第二十三条"


def test_enrolment_refused_while_the_employer_is_banned_from_recommending() -> None:
    from jiangxin.platform.people.services import impose_ban

    y = make_year(n_a=1, n_b=0)
    person = make_person(7004, y.employer)
    d = _designation(person, y.city, 2026)
    impose_ban(program="jiangsu_technician", reason="无正当理由不支持参训", citation_label="江苏卓越技师办法 第二十一条",
               start=dt.date(2025, 6, 1), end=dt.date(2028, 5, 31), organisation=y.employer)
    with pytest.raises(CultivationError, match=r"限制推荐.*第二十一条"):
        S.enrol(y.office, y.year, person=person, track="A", designation=d)


# ------------------------------------------------------------------------------------------------ majors, choice


def test_unit_creates_and_publishes_majors_but_cannot_unpublish_a_chosen_one() -> None:
    y = make_year(n_a=1, n_b=0)
    m = S.save_major(y.unit_user, y.year, category="information", name="工业互联网", code="0601", capacity=3)
    assert not m.published and m.training_unit == y.unit
    S.publish_major(y.unit_user, m)
    assert m.published
    with pytest.raises(CultivationError, match="同名"):
        S.save_major(y.unit_user, y.year, category="information", name="工业互联网")
    with pytest.raises(CultivationError, match="承训单位"):
        S.save_major(y.other_unit_user, y.year, major=m, category="information", name="改名")
    with pytest.raises(CultivationError, match="不能撤回"):
        S.publish_major(y.unit_user, y.majors[0], published=False)


def test_trainee_chooses_a_local_major_and_may_change_to_a_remote_one_before_the_deadline() -> None:
    y = make_year(n_a=1, n_b=0)
    _open_choice(y)
    e, trainee = _fresh(y)
    options = S.published_majors(y.year, y.city)
    assert [m.local for m in options][:2] == [True, True] and options[-1] == y.other_major
    S.choose_major(trainee, e, y.majors[0])
    e.refresh_from_db()
    assert e.major == y.majors[0] and not e.remote and e.status == EnrolmentStatus.ENROLLED and e.chosen_at
    assert Notification.objects.filter(recipient=y.unit_user).exists()
    S.choose_major(trainee, e, y.other_major)
    e.refresh_from_db()
    assert e.major == y.other_major and e.remote


def test_choice_refused_after_the_deadline_for_someone_else_and_when_full() -> None:
    y = make_year(n_a=1, n_b=0)
    _open_choice(y)
    e, trainee = _fresh(y)
    with pytest.raises(CultivationError, match="本人"):
        S.choose_major(y.trainee_user, e, y.majors[0])
    y.other_major.capacity = 0
    y.other_major.save()
    with pytest.raises(CultivationError, match="名额已满"):
        S.choose_major(trainee, e, y.other_major)
    y.year.choice_closes_on = timezone.localdate() - dt.timedelta(days=1)
    y.year.save()
    with pytest.raises(CultivationError, match="已截止"):
        S.choose_major(trainee, e, y.majors[0])
    e.refresh_from_db()
    assert e.major is None


def test_choices_xlsx_reads_back_the_attachment_1_columns() -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    y = make_year(n_a=2, n_b=1)
    y.enrolments_b[0].remote = True
    y.enrolments_b[0].save()
    wb = load_workbook(BytesIO(S.choices_xlsx(y.year, Enrolment.objects.filter(year=y.year).order_by("track", "pk"))))
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1] == S.CHOICE_HEADERS
    first = rows[2]
    assert first[0] == 1 and first[3] == "A类" and first[6] == y.unit.name and first[7] == "机械类"
    assert first[8] == "焊接技术" and first[9] == "本地" and first[5] == "南京市"
    assert rows[4][9] == "异地" and len(rows) == 5


# ------------------------------------------------------------------------------------------------ mentors


def test_unqualified_mentor_is_refused_with_article_16_and_qualified_by_skill_level_is_accepted() -> None:
    y = make_year(n_a=1, n_b=0)
    weak = S.register_mentor(y.unit_user, name="李讲师", title=Title.INTERMEDIATE, skill_level="技师")
    with pytest.raises(CultivationError, match="第十六条"):
        S.assign_mentor(y.unit_user, y.enrolments_a[0], weak)
    master = S.register_mentor(y.unit_user, name="王师傅", title=Title.NONE, skill_level="高级技师")
    e = S.assign_mentor(y.unit_user, y.enrolments_a[0], master, enterprise_mentor="船舶公司 陈工")
    assert e.mentor == master and e.enterprise_mentor == "船舶公司 陈工"
    outcome = S.mentor_outcome([e])
    assert outcome["status"] == "passed" and outcome["citation"]["article"] == "第十六条"
    other = Mentor.objects.create(training_unit=y.other_unit, name="外单位", title=Title.SENIOR)
    with pytest.raises(CultivationError, match="本单位"):
        S.assign_mentor(y.unit_user, e, other)


# ------------------------------------------------------------------------------------------------ plans


def _plan_with(y, sessions):  # type: ignore[no-untyped-def]
    TrainingPlan.objects.filter(pk=y.plan.pk).delete()
    plan = S.save_plan(y.unit_user, y.year, hours_required=Decimal("200"), credits_required=Decimal("20"))
    for s in sessions:
        S.save_session(y.unit_user, plan, {**s, "hours": Decimal(s["hours"]), "credits": Decimal(s["credits"])})
    plan.refresh_from_db()
    return plan


def test_plan_check_runs_on_every_change_and_a_good_plan_is_submitted_approved_and_locked() -> None:
    y = make_year(n_a=3, n_b=2)
    plan = _plan_with(y, plan_sessions(2026))
    assert plan.check_outcome["status"] == "passed" and plan.check_outcome["value"]["theory_share"] == "0.4000"
    assert plan.check_outcome["trace"][0]["citation"]["label"].endswith("第九条")
    S.submit_plan(y.unit_user, plan)
    assert plan.status == PlanStatus.SUBMITTED
    assert Notification.objects.filter(recipient=y.lead).exists()
    with pytest.raises(CultivationError, match="审核中"):
        S.save_session(y.unit_user, plan, {**plan_sessions(2026)[0], "key": "S09", "hours": Decimal(4),
                                           "credits": Decimal(0)})
    with pytest.raises(CultivationError, match="市级负责人"):
        S.decide_plan(y.city_staff, plan, approve=True)
    S.decide_plan(y.lead, plan, approve=True)
    assert plan.status == PlanStatus.APPROVED and plan.decided_by == y.lead
    assert Notification.objects.filter(recipient=y.unit_user, title__contains="审核通过").exists()
    with pytest.raises(CultivationError, match="锁定"):
        S.delete_session(y.unit_user, plan.sessions.first())
    with pytest.raises(CultivationError, match="锁定"):
        S.save_plan(y.unit_user, y.year, hours_required=Decimal(1), credits_required=Decimal(1))


def test_plan_returned_with_a_note_notifies_the_unit_and_can_be_resubmitted() -> None:
    y = make_year(n_a=1, n_b=1)
    plan = _plan_with(y, plan_sessions(2026))
    S.submit_plan(y.unit_user, plan)
    with pytest.raises(CultivationError, match="审核意见"):
        S.decide_plan(y.lead, plan, approve=False)
    S.decide_plan(y.lead, plan, approve=False, note="请补充综合培训内容")
    assert plan.status == PlanStatus.RETURNED
    assert Notification.objects.filter(recipient=y.unit_user, body="请补充综合培训内容").exists()
    S.save_session(y.unit_user, plan, {**plan_sessions(2026)[3], "key": "S05", "title": "综合培训（二）",
                                       "start": dt.date(2026, 7, 23), "end": dt.date(2026, 7, 23),
                                       "hours": Decimal(4), "credits": Decimal(0)})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    S.submit_plan(y.unit_user, plan)
    assert plan.status == PlanStatus.SUBMITTED


def test_plan_with_hard_violations_cannot_be_submitted_and_names_the_articles() -> None:
    y = make_year(n_a=1, n_b=0)
    sessions = plan_sessions(2026)
    sessions[2] = {**sessions[2], "end": dt.date(2026, 10, 20)}  # past the third quarter and over 5 months
    sessions.append({"key": "S06", "title": "线上实操", "kind": SessionKind.PRACTICE, "role": SessionRole.REGULAR,
                     "delivery": Delivery.ONLINE, "start": dt.date(2026, 5, 1), "end": dt.date(2026, 5, 2),
                     "hours": "8", "credits": "1"})
    plan = _plan_with(y, sessions)
    rules = {s["rule"] for s in S.failed_steps(plan.check_outcome)}
    assert rules == {"session_in_first_three_quarters", "span_at_most_five_months", "practice_is_onsite"}
    with pytest.raises(CultivationError, match=r"第九条.*第十七条"):
        S.submit_plan(y.unit_user, plan)
    assert TrainingPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_plan_off_the_4_to_6_balance_only_warns_and_can_still_be_submitted() -> None:
    y = make_year(n_a=1, n_b=0)
    sessions = plan_sessions(2026)
    sessions[1] = {**sessions[1], "hours": "160"}  # theory 176 : practice 120
    plan = _plan_with(y, sessions)
    assert S.plan_warnings(plan) and not S.failed_steps(plan.check_outcome)
    S.submit_plan(y.unit_user, plan)
    assert plan.status == PlanStatus.SUBMITTED


def test_choosing_a_remote_unit_counts_in_the_plan_check_facts() -> None:
    y = make_year(n_a=2, n_b=0)
    y.enrolments_a[0].remote = True
    y.enrolments_a[0].save()
    facts = S.plan_facts(y.plan)
    assert facts["local_trainees"] == 1 and facts["remote_trainees"] == 1
    assert S.plan_facts(TrainingPlan.objects.create(year=y.year, training_unit=y.other_unit,
                                                    hours_required=1, credits_required=1)) is None
    assert y.plan.status == PlanStatus.APPROVED and isinstance(y.mentor, Mentor)
    assert Title.ASSOCIATE_SENIOR == y.mentor.title
    assert DesignationStatus.ACTIVE == y.enrolments_a[1].designation.status
