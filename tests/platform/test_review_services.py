"""Return for revision and resubmission, rejection with articles, role and scope checks, disqualification
and the ban registry at submission."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from review_helpers import case, submit, world

from jiangxin.platform.applications.models import Status
from jiangxin.platform.audit.service import verify_chain
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.people.services import impose_ban
from jiangxin.platform.review import services as rs
from jiangxin.platform.review.bans import submission_bans
from jiangxin.platform.review.models import CaseState, Step

pytestmark = pytest.mark.django_db
FACTS = {"applicant_type": "enterprise", "violation_on_record": False, "fraud_found": False,
         "previously_revoked": False}


def test_return_for_revision_over_national_day_then_resubmission_resumes_the_stage() -> None:
    w = world("nanchang_academy", year=2026)
    app = submit(w, "待修改学院", facts=FACTS)
    c = case(app)
    rs.return_for_revision(c, actor=w.district_users[0], reasons="请补充实训场地证明", today=dt.date(2026, 9, 30))
    c.refresh_from_db()
    app.refresh_from_db()
    # I-WF-01: five working days after 30 September 2026 skip the National Day holidays (8, 9, Saturday 10 worked, 12, 13)
    assert c.state == CaseState.RETURNED and c.returned_until == dt.date(2026, 10, 13)
    assert app.status == Status.RETURNED and "2026年10月13日" in app.status_note
    app.status = Status.SUBMITTED  # what applications.services.submit does on RETURNED → SUBMITTED
    app.save()
    c.refresh_from_db()
    assert (c.state, c.stage) == (CaseState.ACTIVE, "recommendation")
    assert c.steps.last().action == "resubmit"


def test_an_entered_revision_deadline_must_lie_ahead() -> None:
    w = world("nanchang_academy", year=2026)
    c = case(submit(w, "学院", facts=FACTS))
    with pytest.raises(rs.ReviewError, match="晚于今天"):
        rs.return_for_revision(c, actor=w.office, reasons="x", deadline=dt.date(2020, 1, 1))


def test_rejection_needs_an_article_for_every_reason() -> None:
    w = world("nanchang_academy", year=2026)
    c = case(submit(w, "学院", facts=FACTS))
    with pytest.raises(rs.ReviewError, match="依据条款"):
        rs.reject(c, actor=w.office, reasons=[("材料不实", "")])
    rs.reject(c, actor=w.office, reasons=[("材料弄虚作假", "南昌工匠学院办法 第二十六条")])
    c.refresh_from_db()
    step = c.steps.last()
    assert c.state == CaseState.REJECTED and step.citations == ["南昌工匠学院办法 第二十六条"]
    assert verify_chain() == (True, None)


def test_wrong_role_and_other_district_are_refused() -> None:
    w = world("nanchang_academy", year=2026)
    c = case(submit(w, "东湖学院", district=0, facts=FACTS))
    with pytest.raises(PermissionDenied):
        rs.review_eligibility(c, actor=w.district_users[1], facts=FACTS)  # 西湖区 cannot see 东湖区's case
    with pytest.raises(TransitionRefused, match="角色"):                   # the applicant does not review:
        rs.review_eligibility(c, actor=w.applicants[0], facts=FACTS)      # refused by the registry
    rs.review_eligibility(c, actor=w.district_users[0], facts=FACTS)
    c.refresh_from_db()
    with pytest.raises(PermissionDenied):                                 # central review is the city's
        rs.record_site_visit(c, actor=w.district_users[0], visited_on=dt.date(2026, 9, 1), findings={},
                             passed=True)


def test_the_history_is_append_only() -> None:
    w = world("nanchang_academy", year=2026)
    c = case(submit(w, "学院", facts=FACTS))
    step = c.steps.first()
    step.reasons = "changed"
    with pytest.raises(ValueError, match="append-only"):
        step.save()
    with pytest.raises(ValueError, match="append-only"):
        step.delete()
    assert Step.objects.filter(case=c).count() >= 1


def test_disqualify_after_an_upheld_objection_closes_the_case() -> None:
    w = world("nanchang_academy", year=2026)
    app = submit(w, "学院", facts=FACTS)
    c = rs.disqualify(app, reason="公示异议经核实属实", citation="南昌工匠学院办法 第十九条（三）", actor=w.office)
    app.refresh_from_db()
    assert c.state == CaseState.DISQUALIFIED and app.status == Status.REJECTED
    assert rs.case_for(app) == c


def test_submission_bans_fraud_and_revocation(register: Any) -> None:
    w = world("nanchang_studio", year=2026)
    app = submit(w, "工作室", facts={})
    assert submission_bans(app) == []
    impose_ban(program="nanchang_studio", reason="考评弄虚作假", citation_label="南昌创新工作室办法 第十五条",
               start=dt.date(2025, 1, 1), organisation=app.applicant_org)
    assert submission_bans(app) == ["禁止申报（永久）：考评弄虚作假（南昌创新工作室办法 第十五条）"]
    other = submit(w, "另一工作室", facts={})
    impose_ban(program="nanchang_studio", reason="撤销命名并摘牌", citation_label="南昌创新工作室办法 第十一条（四）",
               start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), organisation=other.applicant_org)
    assert submission_bans(other) == ["曾被撤销命名并摘牌，不得再次申报（南昌创新工作室办法 第十五条）"]
    # a ban for another program does not bar this one
    third = submit(w, "第三工作室", facts={})
    impose_ban(program="ganzhou_craftsman", reason="x", citation_label="赣州工匠办法 第十二条",
               start=dt.date(2025, 1, 1), organisation=third.applicant_org)
    assert submission_bans(third) == []


def test_a_withdrawn_application_closes_its_case() -> None:
    w = world("nanchang_academy", year=2026)
    app = submit(w, "学院", facts=FACTS)
    app.status = Status.WITHDRAWN
    app.save()
    assert case(app).state == CaseState.WITHDRAWN
