"""Review pages per stage: 200 for the acting role, 403/404 for others (another district's cases included);
the case page shows every stored outcome as "why", and the applicant sees the reasons and deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from review_helpers import case, fake_panel, read, submit, user, world

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.review import services as rs
from jiangxin.platform.review.models import CaseState

pytestmark = pytest.mark.django_db
FACTS = {"applicant_type": "enterprise", "violation_on_record": False, "fraud_found": False,
         "previously_revoked": False}


def client(u: Any) -> Client:
    c = Client()
    c.force_login(u)
    return c


def test_queue_and_case_pages_by_role_and_district() -> None:
    w = world("nanchang_academy", year=2026)
    app = submit(w, "东湖学院", district=0, facts=FACTS)
    c = case(app)
    donghu, xihu = client(w.district_users[0]), client(w.district_users[1])
    page = donghu.get("/review/")
    assert page.status_code == 200 and "东湖学院" in page.content.decode()
    assert "东湖学院" not in xihu.get("/review/").content.decode()
    detail = donghu.get(f"/review/cases/{c.pk}/")
    assert detail.status_code == 200 and "核实申报事实" in detail.content.decode()
    assert xihu.get(f"/review/cases/{c.pk}/").status_code == 404
    assert client(user(Role.EXPERT, None, "expert1")).get(f"/review/cases/{c.pk}/").status_code == 404
    assert client(user(Role.EXPERT, None, "expert2")).get("/review/").status_code == 403
    assert client(w.applicants[0]).get("/review/").status_code == 403
    # the applicant sees the case (history) but no action forms
    own = client(w.applicants[0]).get(f"/review/cases/{c.pk}/")
    assert own.status_code == 200 and "核实申报事实" not in own.content.decode()
    # posting an action as the wrong district: 404; as the applicant: 403
    assert xihu.post(f"/review/cases/{c.pk}/advance/").status_code == 404
    assert client(w.applicants[0]).post(f"/review/cases/{c.pk}/advance/").status_code == 403


def test_eligibility_form_stores_the_confirmed_facts_and_moves_on() -> None:
    w = world("nanchang_academy", year=2026)
    c = case(submit(w, "学院", facts=FACTS))
    staff = client(w.district_users[0])
    r = staff.post(f"/review/cases/{c.pk}/eligibility/", {
        "applicant_type": "enterprise", "violation_on_record": "false", "fraud_found": "false",
        "previously_revoked": "false", "note": "已核实"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.stage == "central_review"
    page = staff.get(f"/review/cases/{c.pk}/").content.decode()
    assert "南昌工匠学院办法 第十九条（一）" in page and "eligibility_review" in page


def test_return_page_and_applicant_sees_reasons_and_deadline() -> None:
    w = world("nanchang_academy", year=2026)
    c = case(submit(w, "学院", facts=FACTS))
    r = client(w.office).post(f"/review/cases/{c.pk}/return/", {"reasons": "请补充经费保障证明",
                                                                 "deadline": "2099-01-15"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.state == CaseState.RETURNED
    page = client(w.applicants[0]).get(f"/review/cases/{c.pk}/").content.decode()
    assert "请补充经费保障证明" in page and "2099年1月15日" in page


def test_reject_page_offers_the_failed_conditions_with_articles() -> None:
    w = world("nanchang_academy", year=2026)
    c = case(submit(w, "学院", facts=FACTS))
    bad = {**FACTS, "previously_revoked": True}
    rs.review_eligibility(c, actor=w.office, facts=bad)
    staff = client(w.office)
    page = staff.get(f"/review/cases/{c.pk}/").content.decode()
    # the choice carries the condition's short title, which is what the applicant reads as the reason
    assert "未曾被撤销命名|南昌工匠学院办法 第二十六条" in page
    r = staff.post(f"/review/cases/{c.pk}/reject/", {"failed": ["未曾被撤销命名|南昌工匠学院办法 第二十六条"]})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.state == CaseState.REJECTED and c.steps.last().citations == ["南昌工匠学院办法 第二十六条"]


def test_site_visit_form_records_the_five_areas() -> None:
    w = world("nanchang_academy", year=2026)
    c = case(submit(w, "学院", facts=FACTS))
    rs.review_eligibility(c, actor=w.office, facts=FACTS)
    staff = client(w.office)
    data = {"visited_on": "2026-09-01", "passed": "1", "note": ""}
    data.update({f"area_{i}": "符合" for i in range(5)})
    assert staff.post(f"/review/cases/{c.pk}/site-visit/", data).status_code == 302
    c.refresh_from_db()
    assert c.details["field_visit"]["findings"]["培训成效"] == "符合"


def test_ranking_page_shows_tie_at_cut_and_quota_and_round_page_records_party_decision(monkeypatch: Any) -> None:
    w = world("nanchang_studio", year=2026, office_parameters={"naming_shortlist_mark": 80,
                                                              "naming_annual_quota": 1})
    facts = read("nanchang_studio/examples/eligibility.json")
    apps = [submit(w, f"工作室{i}", facts=facts) for i in range(2)]
    fake_panel(monkeypatch, {a.pk: ("88", False) for a in apps})
    for a in apps:
        c = case(a)
        rs.review_eligibility(c, actor=w.office, facts=facts)
        c.refresh_from_db()
        rs.record_panel(c, actor=w.office)
    staff = client(w.office)
    page = staff.get(f"/review/rounds/{w.round.pk}/ranking/")
    body = page.content.decode()
    assert page.status_code == 200 and 'data-quota="1"' in body and "名额线上并列" in body
    assert client(w.district_users[0]).get(f"/review/rounds/{w.round.pk}/ranking/").status_code == 403
    assert staff.post(f"/review/rounds/{w.round.pk}/ranking/", {}).status_code == 302
    assert case(apps[0]).stage == "party_group_decision"
    assert staff.get(f"/review/rounds/{w.round.pk}/").status_code == 200
    r = staff.post(f"/review/rounds/{w.round.pk}/do/party-decision/", {
        "decided": [case(apps[1]).key], "meeting_date": "2026-10-10", "reference": "纪要〔2026〕1号"})
    assert r.status_code == 302
    assert case(apps[1]).stage == "publicity" and case(apps[0]).state == CaseState.NOT_SELECTED


def test_vote_page_for_zhenjiang(monkeypatch: Any) -> None:
    w = world("zhenjiang_park", year=2026)
    facts = read("zhenjiang_park/examples/entry_eligibility.json")
    app = submit(w, "大师工作室", facts=facts)
    c = case(app)
    fake_panel(monkeypatch, {app.pk: ("80", False)})
    rs.review_eligibility(c, actor=w.office, facts=facts)
    rs.record_site_visit(c, actor=w.office, visited_on=dt.date(2026, 5, 1),
                         findings={a: "好" for a in ("领衔人技艺", "设施设备", "工作经费与制度", "工作规划与项目")}, passed=True)
    rs.record_panel(c, actor=w.office)
    staff = client(w.office)
    assert "记录表决" in staff.get(f"/review/cases/{c.pk}/").content.decode()
    rows = {"members-TOTAL_FORMS": "3", "members-INITIAL_FORMS": "0", "members-0-name": "甲", "members-0-vote": "for",
            "members-1-name": "乙", "members-1-vote": "for", "members-2-name": "丙", "members-2-vote": "against"}
    r = staff.post(f"/review/cases/{c.pk}/vote/", rows)
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.stage == "candidate_list"


def test_tasks_list_the_acting_stage_and_the_returned_case() -> None:
    from jiangxin.platform.review.tasks import tasks_for

    w = world("nanchang_academy", year=2026)
    c = case(submit(w, "学院", facts=FACTS))
    items = tasks_for(w.district_users[0])
    assert [(i.title, i.count) for i in items] == [("待办：推荐申报（初审）", 1)]
    rs.return_for_revision(c, actor=w.office, reasons="补充")
    assert tasks_for(w.applicants[0])[0].due == case(c.application).returned_until
