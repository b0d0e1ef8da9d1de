"""The cultivation year's setup pages for each party, and their data scope."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from cultivation_helpers import make_person, make_user, make_year, plan_sessions
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.cultivation.models import (
    CityLead,
    CultivationYear,
    Enrolment,
    EnrolmentStatus,
    Major,
    Mentor,
    PlanSession,
    PlanStatus,
    TrainingPlan,
    YearStatus,
)

pytestmark = pytest.mark.django_db


def client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def test_home_page_shows_each_party_its_part() -> None:
    y = make_year(n_a=3, n_b=2)
    url = reverse("cultivation:home")
    office = text(client(y.office).get(url))
    assert "各市培育对象" in office and y.unit.name in office and "导出附件1汇总表" in office
    lead = text(client(y.lead).get(url))
    assert "市级负责人" in lead and "待审核的培训计划" in lead
    unit = text(client(y.unit_user).get(url))
    assert y.unit.name in unit and "焊接技术" in unit and 'id="unit-trainees">5<' in unit
    trainee = text(client(y.trainee_user).get(url))
    assert y.enrolments_a[0].person.name in trainee and "焊接技术" in trainee and y.mentor.name in trainee
    assert "技术攻关实训" in trainee and y.enrolments_a[1].person.name not in trainee
    employer = client(y.employer_user).get(url)
    assert employer.status_code == 200 and y.enrolments_b[0].person.name in text(employer)
    assert client(make_user(Role.EXPERT, None)).get(url).status_code == 403


def test_nav_and_tasks_show_the_cultivation_entry_to_parties() -> None:
    from jiangxin.platform.cultivation import nav_setup

    y = make_year(n_a=1, n_b=0, plan_status=PlanStatus.SUBMITTED)
    for user in (y.office, y.lead, y.unit_user, y.trainee_user):
        assert [n.url_name for n in nav_setup.nav_items(user)] == ["cultivation:home"]
    assert nav_setup.nav_items(y.employer_user) == []
    assert [t.title for t in nav_setup.tasks_for(y.lead)] == ["待审核的培训计划"]


def test_office_opens_a_year_assigns_a_lead_and_builds_the_list_through_pages() -> None:
    y = make_year(n_a=1, n_b=0)
    c = client(y.office)
    r = c.post(reverse("cultivation:year_open"), {"year": 2030, "choice_closes_on": "2030-02-20",
                                                   "report_due_on": "2030-10-31"})
    year = CultivationYear.objects.get(year=2030)
    assert r.status_code == 302 and r["Location"] == reverse("cultivation:year", args=[year.pk])
    page = c.get(r["Location"])
    assert page.status_code == 200 and y.city.name in text(page)
    r = c.post(r["Location"], {"action": "lead", "city_bureau": y.city.pk, "user": y.city_staff.pk})
    assert r.status_code == 302 and CityLead.objects.get(year=year, city_bureau=y.city).user == y.city_staff
    r = c.post(reverse("cultivation:year", args=[year.pk]), {"action": "phase"}, follow=True)
    assert "暂不能进入下一阶段" in text(r)
    assert client(y.lead).get(reverse("cultivation:year", args=[year.pk])).status_code == 403


def test_unit_publishes_a_major_and_another_unit_cannot_edit_it() -> None:
    y = make_year(n_a=1, n_b=0)
    c = client(y.unit_user)
    r = c.post(reverse("cultivation:majors"), {"category": "information", "name": "工业软件", "code": "0602",
                                               "capacity": "5", "description": ""})
    assert r.status_code == 302
    major = Major.objects.get(name="工业软件")
    assert not major.published
    r = c.post(reverse("cultivation:major_edit", args=[major.pk]), {"action": "publish"})
    major.refresh_from_db()
    assert r.status_code == 302 and major.published
    assert client(y.other_unit_user).get(reverse("cultivation:major_edit", args=[major.pk])).status_code == 404
    listing = text(client(y.other_unit_user).get(reverse("cultivation:majors")))
    assert "工业软件" not in listing and "数控加工" in listing
    r = c.post(reverse("cultivation:majors"), {"category": "information", "name": "", "code": ""})
    assert r.status_code == 400 and "errorlist" in text(r)


def test_trainee_chooses_on_the_page_local_first_and_remote_explained() -> None:
    y = make_year(n_a=1, n_b=0)
    y.year.status = YearStatus.CHOOSING
    y.year.choice_closes_on = timezone.localdate() + dt.timedelta(days=5)
    y.year.save()
    person = make_person(8801, y.employer)
    e = Enrolment.objects.create(year=y.year, person=person, track="B", employer=y.employer, home_city=y.city)
    c = client(make_user(Role.TRAINEE, y.city, person=person))
    home = text(c.get(reverse("cultivation:home")))
    assert 'id="choose-link"' in home
    local = text(c.get(reverse("cultivation:choose")))
    assert "焊接技术" in local and "数控加工" not in local and "线上" in local
    everything = text(c.get(reverse("cultivation:choose") + "?scope=all"))
    assert everything.index("焊接技术") < everything.index("数控加工")
    r = c.post(reverse("cultivation:choose"), {"major": y.other_major.pk}, follow=True)
    e.refresh_from_db()
    assert e.major == y.other_major and e.remote and "异地参训" in text(r)
    r = c.post(reverse("cultivation:choose"), {})
    assert r.status_code == 400 and "请选择一个专业" in text(r)


def test_unit_sees_only_its_own_trainees_and_assigns_mentors() -> None:
    y = make_year(n_a=2, n_b=1)
    mine = text(client(y.unit_user).get(reverse("cultivation:unit_trainees")))
    assert all(e.person.name in mine for e in y.enrolments) and "第十六条" in mine
    other = text(client(y.other_unit_user).get(reverse("cultivation:unit_trainees")))
    assert not any(e.person.name in other for e in y.enrolments)
    weak = Mentor.objects.create(training_unit=y.unit, name="赵助教", title="中级")
    e = y.enrolments_a[0]
    r = client(y.unit_user).post(reverse("cultivation:unit_trainees"), {"enrolment": e.pk, "mentor": weak.pk},
                                 )
    assert r.status_code == 400 and "不符合指导教师条件" in text(r)
    e.refresh_from_db()
    assert e.mentor == y.mentor
    r = client(y.other_unit_user).post(reverse("cultivation:unit_trainees"), {"enrolment": e.pk,
                                                                             "mentor": y.mentor.pk})
    assert r.status_code == 400
    e.refresh_from_db()
    assert e.mentor == y.mentor


def test_trainee_pages_show_only_their_own_enrolment() -> None:
    y = make_year(n_a=2, n_b=0)
    c = client(y.trainee_user)
    assert c.get(reverse("cultivation:unit_trainees")).status_code == 403
    assert c.get(reverse("cultivation:choices_export")).status_code == 403
    assert c.get(reverse("cultivation:plan", args=[y.plan.pk])).status_code == 403


def test_mentor_page_registers_and_marks_qualification() -> None:
    y = make_year(n_a=1, n_b=0)
    c = client(y.unit_user)
    r = c.post(reverse("cultivation:mentors"), {"name": "钱工", "title": "无", "skill_level": "技师", "specialty": ""})
    assert r.status_code == 302
    page = text(c.get(reverse("cultivation:mentors")))
    assert "钱工" in page and "不符合" in page and "第十六条" in page


def test_choices_export_is_scoped_to_the_city_and_filterable_for_the_province() -> None:
    from openpyxl import load_workbook

    y = make_year(n_a=2, n_b=1)
    other_person = make_person(8802, y.employer)
    Enrolment.objects.create(year=y.year, person=other_person, track="A", home_city=y.other_city,
                             status=EnrolmentStatus.CHOOSING)

    def rows(user, query: str = "") -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
        r = client(user).get(reverse("cultivation:choices_export") + query)
        assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
        return list(load_workbook(BytesIO(r.content)).active.iter_rows(values_only=True))[2:]

    assert len(rows(y.office)) == 4
    assert len(rows(y.office, f"?city={y.other_city.pk}")) == 1
    lead_rows = rows(y.lead)
    assert len(lead_rows) == 3 and other_person.name not in {r[1] for r in lead_rows}
    assert all(len(r) == 10 for r in lead_rows)  # 附件1 columns only: no ID numbers in the export


def test_plan_pages_build_submit_and_approve() -> None:
    y = make_year(n_a=1, n_b=1)
    TrainingPlan.objects.filter(pk=y.plan.pk).delete()
    c = client(y.unit_user)
    r = c.post(reverse("cultivation:plans"), {"hours_required": "200", "credits_required": "20"})
    plan = TrainingPlan.objects.get(year=y.year, training_unit=y.unit)
    assert r.status_code == 302 and r["Location"] == reverse("cultivation:plan", args=[plan.pk])
    url = r["Location"]
    for s in plan_sessions(2026):
        data = {"action": "session", **{k: v for k, v in s.items()}, "major": ""}
        data["start"], data["end"] = s["start"].isoformat(), s["end"].isoformat()
        assert c.post(url, data).status_code == 302
    page = text(c.get(url))
    assert "第九条" in page and "第十七条" in page and "0.4000" in page
    bad = {"action": "session", "key": "S09", "title": "线上实操", "kind": "practice", "role": "regular",
           "delivery": "online", "start": "2026-05-01", "end": "2026-05-02", "hours": "8", "credits": "1", "major": ""}
    assert c.post(url, bad).status_code == 302
    r = c.post(url, {"action": "submit"}, follow=True)
    assert "不能提交" in text(r) and TrainingPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT
    c.post(url, {"action": "delete", "session_id": PlanSession.objects.get(plan=plan, key="S09").pk})
    assert c.post(url, {"action": "submit"}).status_code == 302
    assert TrainingPlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED
    assert client(y.other_unit_user).get(url).status_code == 404
    assert client(y.city_staff).post(url, {"action": "decide", "decision": "approve"}).status_code == 403
    lead = client(y.lead)
    assert "市级负责人审核" in text(lead.get(url))
    assert lead.post(url, {"action": "decide", "decision": "approve", "note": ""}).status_code == 302
    assert TrainingPlan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED
    locked = text(c.get(url))
    assert "已锁定" in locked and "保存课程" not in locked
    assert c.post(url, {"action": "submit"}).status_code == 400


def test_office_builds_the_year_list_on_the_year_page_and_sees_refusals_with_citations() -> None:
    import datetime as dt

    from jiangxin.platform.designations.models import Designation, Kind

    y = make_year(n_a=1, n_b=0)
    year = CultivationYear.objects.create(year=2027, choice_closes_on=dt.date(2027, 2, 20))
    ok = make_person(8803, y.employer)
    Designation.objects.create(program="jiangsu_technician", kind=Kind.COHORT, name="卓越技师培育对象（A类）",
                               holder_person=ok, scope_org=y.city, year=2027, designated_on=dt.date(2027, 1, 10),
                               certificate_no="P-1", ends_on=dt.date(2028, 12, 31))
    again = make_person(8804, y.employer)
    for n, (yr, ends) in enumerate(((2025, dt.date(2026, 12, 31)), (2027, dt.date(2028, 12, 31)))):
        Designation.objects.create(program="jiangsu_technician", kind=Kind.COHORT, name="卓越技师培育对象（B类）",
                                   holder_person=again, scope_org=y.city, year=yr, designated_on=dt.date(yr, 1, 10),
                                   certificate_no=f"P-2-{n}", ends_on=ends)
    c = client(y.office)
    r = c.post(reverse("cultivation:year", args=[year.pk]), {"action": "cohort"}, follow=True)
    page = text(r)
    assert "已纳入 2 人" in page and "第二十三条" in page and again.name in page  # the new one and last year's
    assert Enrolment.objects.filter(year=year, person=ok).exists()
    assert not Enrolment.objects.filter(year=year, person=again).exists()


def test_city_staff_enter_a_paper_choice_for_a_trainee_of_their_city_only() -> None:
    y = make_year(n_a=1, n_b=0)
    y.year.choice_closes_on = timezone.localdate() + dt.timedelta(days=3)
    y.year.save()
    e = Enrolment.objects.create(year=y.year, person=make_person(8805, y.employer), track="A", employer=y.employer,
                                 home_city=y.city)
    url = reverse("cultivation:unit_trainees")
    assert "代为登记纸质选择" in text(client(y.city_staff).get(url))
    outsider = make_user(Role.DISTRICT, y.other_city)
    assert client(outsider).post(url, {"enrolment": e.pk, "major": y.majors[1].pk}).status_code == 404
    r = client(y.city_staff).post(url, {"enrolment": e.pk, "major": y.majors[1].pk})
    e.refresh_from_db()
    assert r.status_code == 302 and e.major == y.majors[1] and not e.remote
