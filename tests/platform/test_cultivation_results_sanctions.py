"""第二十一条 sanctions and 第二十四条 deferral: bans on the register, the employer notified, submissions blocked,
deferral once only with nothing carried over."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from cultivation_helpers import make_year
from cultivation_results_helpers import attend

from jiangxin.platform.cultivation import services_results as s
from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.models import CultivationYear, Enrolment, EnrolmentStatus, YearStatus
from jiangxin.platform.notifications.models import Notification
from jiangxin.platform.people.models import Ban
from jiangxin.platform.review.bans import submission_bans

pytestmark = pytest.mark.django_db


def _application(program, person=None, org=None, kind="individual"):
    return SimpleNamespace(round=SimpleNamespace(program=SimpleNamespace(key=program)), applicant_person=person,
                           applicant_org=org, kind=kind)


def test_trainee_discipline_notifies_employer_and_bans_provincial_awards_for_three_years():
    y = make_year(2, 0)
    e = y.enrolments_a[0]
    day = dt.date.today()
    incident = s.record_incident(y.unit_user, y.year, kind="trainee_discipline", description="多次无故缺课",
                                 decided_on=day, enrolment=e, notify_employer=True)
    assert Notification.objects.filter(recipient=y.employer_user, title__contains="违反培训纪律").exists()
    ban = Ban.objects.get(pk__in=incident.ban_ids)
    assert ban.person == e.person and ban.program == "jiangsu_awards"
    assert ban.start == day and ban.end.year == day.year + 3
    assert "第二十一条" in ban.citation_label
    # the award ban does not stop the trainee taking part in the plan itself
    assert submission_bans(_application("jiangsu_technician", person=e.person)) == []


def test_trainee_discipline_without_notice_only_bans():
    y = make_year(1, 0)
    incident = s.record_incident(y.office, y.year, kind="trainee_discipline", description="违反实训安全规定",
                                 decided_on=dt.date.today(), enrolment=y.enrolments_a[0], notify_employer=False)
    assert len(incident.ban_ids) == 1
    assert not Notification.objects.filter(recipient=y.employer_user).exists()


def test_employer_refusing_support_cannot_recommend_staff_for_three_years():
    y = make_year(1, 0)
    incident = s.record_incident(y.office, y.year, kind="employer_no_support", description="拒不安排参训时间",
                                 decided_on=dt.date.today(), employer=y.employer, without_good_reason=True)
    bans = Ban.objects.filter(pk__in=incident.ban_ids)
    assert set(bans.values_list("program", flat=True)) == {"jiangsu_technician", "jiangsu_carriers"}
    assert all(b.organisation == y.employer for b in bans)
    blocked = submission_bans(_application("jiangsu_technician", org=y.employer, kind="unit"))
    assert blocked and "第二十一条" in blocked[0]
    assert Notification.objects.filter(recipient=y.employer_user).exists()


def test_employer_with_good_reason_gets_no_ban():
    y = make_year(1, 0)
    incident = s.record_incident(y.office, y.year, kind="employer_no_support", description="生产抢修任务",
                                 decided_on=dt.date.today(), employer=y.employer, without_good_reason=False)
    assert incident.ban_ids == []


def test_incident_page_lists_bans_and_only_parties_record(client_for):
    y = make_year(1, 0)
    e = y.enrolments_a[0]
    with pytest.raises(CultivationError):
        s.record_incident(y.other_unit_user, y.year, kind="trainee_discipline", description="x",
                          decided_on=dt.date.today(), enrolment=e, notify_employer=True)
    client = client_for(y.unit_user)
    response = client.post("/cultivation/results/incidents/", {
        "kind": "trainee_discipline", "enrolment": e.pk, "description": "冒名顶替签到",
        "decided_on": dt.date.today().isoformat(), "notify_employer": "yes"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "江苏省级技能人才评选表彰项目" in page and e.person.name in page and "第二十一条" in page
    registry = client_for(y.office).get("/people/bans/")
    assert registry.status_code == 200 and "江苏省级技能人才评选表彰项目" in registry.content.decode()
    missing = client.post("/cultivation/results/incidents/", {"kind": "trainee_discipline", "description": "x",
                                                               "decided_on": "2026-13-01"})
    assert missing.status_code == 400 and "请选择违反纪律的培育对象" in missing.content.decode()


def test_deferral_granted_once_with_nothing_carried_and_a_next_year_enrolment():
    y = make_year(2, 0)
    e = y.enrolments_a[0]
    attend(e, y.plan)
    s.request_deferral(y.trainee_user, e, reason="health", detail="手术后休养")
    assert Notification.objects.filter(recipient=y.lead).exists()
    s.decide_deferral(y.lead, e, approve=True)
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.DEFERRED
    outcome = e.deferral_outcome["outcome"]
    assert outcome["value"]["granted"] is True and outcome["value"]["hours_carried_over"] == "0"
    assert Decimal(outcome["value"]["hours_not_counted"]) == 200
    assert all(e.pk != r["enrolment"].pk for r in s.grading_rows(y.year, y.unit))
    following = CultivationYear.objects.create(year=y.year.year + 1, status=YearStatus.CHOOSING)
    created = s.returning_from_deferral(following)
    assert [n.person for n in created] == [e.person]
    assert s.returning_from_deferral(following) == []
    again = Enrolment.objects.get(year=following, person=e.person)
    Enrolment.objects.filter(pk=again.pk).update(status=EnrolmentStatus.ENROLLED)
    again.refresh_from_db()
    s.request_deferral(y.trainee_user, again, reason="work", detail="外派项目")
    s.decide_deferral(y.office, again, approve=True)
    again.refresh_from_db()
    assert again.status == EnrolmentStatus.ENROLLED
    assert again.deferral_outcome["state"] == "refused"
    assert any(st.get("passed") is False and "第二十四条" in st["citation"]["label"]
               for st in again.deferral_outcome["outcome"]["trace"])


def test_deferral_created_at_once_when_next_year_exists_and_only_deciders_decide(client_for):
    y = make_year(1, 0)
    e = y.enrolments_a[0]
    following = CultivationYear.objects.create(year=y.year.year + 1, status=YearStatus.CHOOSING)
    client = client_for(y.trainee_user)
    assert client.post(f"/cultivation/results/deferral/{e.pk}/", {"reason": "family", "detail": "照顾家人"}
                       ).status_code == 302
    with pytest.raises(CultivationError):
        s.decide_deferral(y.unit_user, Enrolment.objects.get(pk=e.pk), approve=True)
    lead = client_for(y.lead)
    assert e.person.name in lead.get("/cultivation/results/deferrals/").content.decode()
    assert lead.post("/cultivation/results/deferrals/", {"enrolment": e.pk, "decision": "approve"}).status_code == 302
    assert Enrolment.objects.filter(year=following, person=e.person).exists()
    mine = client.get("/cultivation/results/mine/").content.decode()
    assert "第二十四条" in mine


def test_opening_the_next_year_brings_back_the_deferred_trainee():
    from jiangxin.platform.cultivation.services_setup import open_year

    y = make_year(1, 0)
    e = y.enrolments_a[0]
    s.request_deferral(y.trainee_user, e, reason="health", detail="康复治疗")
    s.decide_deferral(y.office, e, approve=True)
    following = open_year(y.office, year=y.year.year + 1)
    back = Enrolment.objects.get(year=following, person=e.person)
    assert back.status == EnrolmentStatus.CHOOSING and back.track == "A" and back.designation == e.designation
