"""Refusals of the review chain's guards, through the pages: each test is named after the article it checks,
asserts that nothing changed and that the page shows the Chinese reason with the article (issue 11, items 3–4).

Scenarios of the issue: a ranking against the quota while cases are still at the qualification review; a
returned case put on a notice; a back-dated notice; a naming date inside the publicity window; a stale form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from review_helpers import case, fake_panel, read, submit, world

from jiangxin.platform.applications.models import Status
from jiangxin.platform.publicity.models import Notice
from jiangxin.platform.review import services as rs
from jiangxin.platform.review.models import CaseState, Decision

pytestmark = pytest.mark.django_db
STUDIO = {"naming_shortlist_mark": 80, "naming_annual_quota": 5}
ACADEMY = {"applicant_type": "enterprise", "violation_on_record": False, "fraud_found": False,
           "previously_revoked": False}


def client(u: Any) -> Client:
    c = Client()
    c.force_login(u)
    return c


def page(response: Any) -> str:
    return str(response.content.decode())


def _studios(monkeypatch: Any, ready: int, behind: int) -> tuple[Any, list[Any], list[Any]]:
    """A studio round with ``ready`` cases scored and waiting at the ranking and ``behind`` still at the
    qualification review."""
    w = world("nanchang_studio", year=2026, office_parameters=STUDIO)
    facts = read("nanchang_studio/examples/eligibility.json")
    at_ranking = [submit(w, f"已评工作室{i}", facts=facts) for i in range(ready)]
    waiting = [submit(w, f"待审工作室{i}", facts=facts) for i in range(behind)]
    fake_panel(monkeypatch, {a.pk: (str(90 - i), False) for i, a in enumerate(at_ranking)})
    for a in at_ranking:
        rs.review_eligibility(case(a), actor=w.office, facts=facts)
        rs.record_panel(case(a), actor=w.office)
        assert case(a).stage == "ranking"
    return w, at_ranking, waiting


# ---- 南昌创新工作室办法 第七条: the ranking against the year's quota acts on the whole round ----------------------

def test_studio_第七条_ranking_refused_while_cases_at_qualification_review(monkeypatch: Any) -> None:
    w, ready, waiting = _studios(monkeypatch, ready=2, behind=1)
    office = client(w.office)
    text = page(office.get(f"/review/rounds/{w.round.pk}/ranking/"))
    assert "待审工作室0" in text and "未到达" in text  # the page says so before anyone confirms
    response = office.post(f"/review/rounds/{w.round.pk}/ranking/", {"note": ""}, follow=True)
    text = page(response)
    assert response.status_code == 200
    assert "未到达“入围排序" in text and "待审工作室0" in text and "南昌创新工作室办法 第七条" in text
    assert not Decision.objects.filter(round=w.round).exists()
    assert [case(a).stage for a in ready] == ["ranking", "ranking"]
    assert case(waiting[0]).stage == "qualification_review" and case(waiting[0]).state == CaseState.ACTIVE


def test_studio_第七条_a_returned_case_also_holds_the_ranking_until_excluded_with_a_reason(monkeypatch: Any) -> None:
    w, ready, waiting = _studios(monkeypatch, ready=2, behind=1)
    office = client(w.office)
    c = case(waiting[0])
    office.post(f"/review/cases/{c.pk}/return/", {"reasons": "补充材料", "expect": "active",
                                                  "stage": "qualification_review"})
    assert case(waiting[0]).state == CaseState.RETURNED
    refused = page(office.post(f"/review/rounds/{w.round.pk}/ranking/", {}, follow=True))
    assert "退回修改" in refused and "南昌创新工作室办法 第七条" in refused
    # excluding needs a reason; then the ranking covers the whole (remaining) round
    no_reason = page(office.post(f"/review/cases/{c.pk}/exclude/", {"reason": "", "expect": "returned"},
                                 follow=True))
    assert "请填写排除出本批次的理由" in no_reason and case(waiting[0]).state == CaseState.RETURNED
    office.post(f"/review/cases/{c.pk}/exclude/", {"reason": "逾期未补正材料", "expect": "returned"})
    excluded = case(waiting[0])
    assert excluded.state == CaseState.EXCLUDED and excluded.steps.last().reasons.startswith("逾期未补正材料")
    office.post(f"/review/rounds/{w.round.pk}/ranking/", {})
    assert Decision.objects.filter(round=w.round, kind="ranking").count() == 1
    assert [case(a).stage for a in ready] == ["party_group_decision", "party_group_decision"]


def test_studio_第七条_one_confirmed_ranking_per_round_and_re_ranking_needs_a_reason(monkeypatch: Any) -> None:
    w, ready, _ = _studios(monkeypatch, ready=2, behind=0)
    office = client(w.office)
    office.post(f"/review/rounds/{w.round.pk}/ranking/", {})
    assert Decision.objects.filter(round=w.round, kind="ranking").count() == 1
    again = page(office.post(f"/review/rounds/{w.round.pk}/ranking/", {}, follow=True))
    assert "只确认一次" in again and "南昌创新工作室办法 第七条" in again
    assert Decision.objects.filter(round=w.round, kind="ranking").count() == 1
    blank = page(office.post(f"/review/rounds/{w.round.pk}/do/rerank/", {"reason": ""}, follow=True))
    assert "重新排序须说明理由" in blank and case(ready[0]).stage == "party_group_decision"
    office.post(f"/review/rounds/{w.round.pk}/do/rerank/", {"reason": "评分录入有误，经主任办公会同意重新排序"})
    reopened = Decision.objects.filter(round=w.round).first()
    assert reopened is not None and reopened.kind == "ranking_reopened" and "评分录入有误" in reopened.note
    assert [case(a).stage for a in ready] == ["ranking", "ranking"]
    assert case(ready[0]).steps.last().action == "rerank"


def test_studio_第七条_party_group_decision_refused_while_a_case_is_still_before_it(monkeypatch: Any) -> None:
    w, ready, waiting = _studios(monkeypatch, ready=2, behind=1)
    rs.exclude_from_round(case(waiting[0]), actor=w.office, reason="撤回参评")
    rs.confirm_ranking(w.round, actor=w.office)
    # a late case (e.g. re-opened on appeal) sits behind the party-group decision: modelled by a fresh one
    facts = read("nanchang_studio/examples/eligibility.json")
    late = submit(w, "迟到工作室", facts=facts)
    keys = [case(a).key for a in ready]
    response = client(w.office).post(f"/review/rounds/{w.round.pk}/do/party-decision/", {
        "decided": keys, "meeting_date": "2026-10-10", "reference": "纪要〔2026〕1号"}, follow=True)
    text = page(response)
    assert "未到达“党组会研究确定”" in text and "迟到工作室" in text and "南昌创新工作室办法 第七条" in text
    assert not Decision.objects.filter(round=w.round, kind="party_group").exists()
    assert case(late).stage == "qualification_review"


# ---- 南昌工匠学院办法 第十九条（三）: the notice holds only cases at the publicity stage, from today on ----------------

def _academy_at_publicity(monkeypatch: Any, *, returned: bool = True) -> tuple[Any, Any, Any]:
    w = world("nanchang_academy", year=2026)
    good = submit(w, "东湖精工工匠学院", facts=ACADEMY)
    other = submit(w, "西湖机电工匠学院", district=1, facts=ACADEMY)
    fake_panel(monkeypatch, {good.pk: ("86", False)})
    c = case(good)
    rs.review_eligibility(c, actor=w.office, facts=ACADEMY)
    areas = {a: f"{a}符合要求" for a in ("场地设备", "师资力量", "学系建设", "经费保障", "培训成效")}
    rs.record_site_visit(case(good), actor=w.office, visited_on=dt.date(2026, 9, 1), findings=areas, passed=True)
    rs.record_panel(case(good), actor=w.office)
    assert case(good).stage == "publicity"
    if returned:
        rs.return_for_revision(case(other), actor=w.office, reasons="补充近两年培训记录")
        assert case(other).state == CaseState.RETURNED
    return w, good, other


def test_academy_第十九条三_returned_case_cannot_be_put_on_a_notice(monkeypatch: Any) -> None:
    w, good, other = _academy_at_publicity(monkeypatch)
    office = client(w.office)
    form = page(office.get(f"/publicity/rounds/{w.round.pk}/new/"))
    assert "东湖精工工匠学院" in form and "西湖机电工匠学院" not in form  # only cases at the publicity stage
    today = timezone.localdate().isoformat()
    response = office.post(f"/publicity/rounds/{w.round.pk}/new/", {
        "title": "公示", "start": today, "applications": [good.pk, other.pk]})
    assert response.status_code == 200 and "未到达公示环节" in page(response)
    assert not Notice.objects.exists()
    # nor the ready one alone while the returned one is still live in the round (the notice is the round's)
    response = office.post(f"/publicity/rounds/{w.round.pk}/new/", {
        "title": "公示", "start": today, "applications": [good.pk]})
    text = page(response)
    assert response.status_code == 200 and "西湖机电工匠学院" in text and "南昌工匠学院办法 第十九条（三）" in text
    assert not Notice.objects.exists() and Status.RETURNED == other.__class__.objects.get(pk=other.pk).status


def test_academy_第十九条三_round_page_notice_refused_while_a_case_is_returned(monkeypatch: Any) -> None:
    w, good, _other = _academy_at_publicity(monkeypatch)
    response = client(w.office).post(f"/review/rounds/{w.round.pk}/do/publicity-open/", {
        "start": timezone.localdate().isoformat(), "title": "公示", "reference": ""}, follow=True)
    text = page(response)
    assert "未到达“结果公示7天”" in text and "南昌工匠学院办法 第十九条（三）" in text
    assert not Notice.objects.exists() and case(good).steps.filter(action="publicity_opened").count() == 0


def test_academy_第十九条三_back_dated_notice_refused(monkeypatch: Any) -> None:
    w, good, other = _academy_at_publicity(monkeypatch, returned=False)
    rs.exclude_from_round(case(other), actor=w.office, reason="申报单位书面撤回")
    office = client(w.office)
    back = (timezone.localdate() - dt.timedelta(days=40)).isoformat()
    response = office.post(f"/publicity/rounds/{w.round.pk}/new/", {
        "title": "公示", "start": back, "applications": [good.pk]})
    text = page(response)
    assert response.status_code == 200 and "不能倒签" in text and "南昌工匠学院办法 第十九条（三）" in text
    assert not Notice.objects.exists()
    round_page = page(office.post(f"/review/rounds/{w.round.pk}/do/publicity-open/", {
        "start": back, "title": "公示", "reference": ""}, follow=True))
    assert "不能倒签" in round_page and not Notice.objects.exists()
    today = timezone.localdate()
    office.post(f"/publicity/rounds/{w.round.pk}/new/", {"title": "公示", "start": today.isoformat(),
                                                         "applications": [good.pk]})
    notice = Notice.objects.get()
    assert notice.published == today and notice.window_start > today  # the window runs from the day after


# ---- 南昌工匠学院办法 第十九条（四）: no naming inside the publicity window ------------------------------------------

def test_academy_第十九条四_naming_date_inside_the_publicity_window_refused(monkeypatch: Any) -> None:
    w, good, other = _academy_at_publicity(monkeypatch, returned=False)
    rs.exclude_from_round(case(other), actor=w.office, reason="申报单位书面撤回")
    published = dt.date(2026, 10, 15)
    notice = rs.open_publicity(w.round, actor=w.office, start=published, today=published)
    rs.close_publicity(w.round, actor=w.office)
    c = case(good)
    assert c.stage == "naming"
    inside = notice.window_end - dt.timedelta(days=1)
    office = client(w.office)
    check = page(office.get(f"/publicity/{notice.pk}/", {"planned": inside.isoformat()}))
    assert "在公示期内" in check and "可在期限内命名" not in check and "第十九条（三）" in check
    response = office.post(f"/review/cases/{c.pk}/name/", {"on": inside.isoformat(), "note": "",
                                                           "expect": "active", "stage": "naming"}, follow=True)
    text = page(response)
    assert "在公示期内" in text and "南昌工匠学院办法 第十九条（三）" in text
    c.refresh_from_db()
    assert c.stage == "naming" and c.state == CaseState.ACTIVE
    after = notice.window_end + dt.timedelta(days=1)
    office.post(f"/review/cases/{c.pk}/name/", {"on": after.isoformat(), "note": "", "expect": "active",
                                               "stage": "naming"})
    c.refresh_from_db()
    assert c.state == CaseState.DONE


# ---- stale forms ---------------------------------------------------------------------------------------

def test_stale_case_form_is_refused_and_not_applied_to_the_new_stage(monkeypatch: Any) -> None:
    w = world("nanchang_academy", year=2026)
    app = submit(w, "东湖精工工匠学院", facts=ACADEMY)
    c = case(app)
    rs.review_eligibility(c, actor=w.office, facts=ACADEMY)  # moved on meanwhile: recommendation → central
    response = client(w.office).post(f"/review/cases/{c.pk}/return/", {
        "reasons": "补充材料", "expect": "active", "stage": "recommendation"}, follow=True)
    assert "请刷新页面" in page(response)
    c.refresh_from_db()
    assert c.stage == "central_review" and c.state == CaseState.ACTIVE
    twice = client(w.office).post(f"/review/cases/{c.pk}/reject/", {"expect": "rejected",
                                                                     "stage": "central_review"}, follow=True)
    assert twice.status_code == 200
    c.refresh_from_db()
    assert c.state == CaseState.ACTIVE


# ---- 赣州工匠办法 第七条（三）（五）: ranking against the yearly number and the city's approval, whole round --------

def _ganzhou(monkeypatch: Any, ready: int, behind: int) -> tuple[Any, list[Any], list[Any]]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jiangxin.platform.demo.data import demo_pdf

    w = world("ganzhou_craftsman", year=2026)
    facts = read("ganzhou_craftsman/examples/eligibility.json")
    scored = [submit(w, f"工匠候选{i}", district=i % 2, facts=facts) for i in range(ready)]
    waiting = [submit(w, f"待推荐工匠{i}", facts=facts) for i in range(behind)]
    body = demo_pdf("推荐函")  # a real PDF: uploads are parsed (deep checks), fake bytes are refused
    for i, a in enumerate(scored):
        reviewer = w.district_users[i % 2]
        rs.review_eligibility(case(a), actor=reviewer, facts=facts)
        rs.attach_letter(case(a), actor=reviewer,
                         uploaded=SimpleUploadedFile("推荐函.pdf", body, content_type="application/pdf"))
        rs.confirm_conditions(case(a), actor=reviewer, conditions=["routes:关键技术"])
        rs.advance(case(a), actor=reviewer)
    fake_panel(monkeypatch, {a.pk: (str(90 - i), False) for i, a in enumerate(scored)})
    for a in scored:
        rs.record_panel(case(a), actor=w.office)
        assert case(a).stage == "ranking"
    return w, scored, waiting


def test_ganzhou_第七条三_ranking_refused_while_a_case_is_at_the_recommendation(monkeypatch: Any) -> None:
    w, scored, _waiting = _ganzhou(monkeypatch, ready=2, behind=1)
    text = page(client(w.office).post(f"/review/rounds/{w.round.pk}/ranking/", {}, follow=True))
    assert "未到达“" in text and "待推荐工匠0" in text and "赣州工匠办法 第七条（三）" in text
    assert not Decision.objects.filter(round=w.round).exists()
    assert [case(a).stage for a in scored] == ["ranking", "ranking"]


def test_ganzhou_第七条五_city_approval_refused_while_a_case_is_still_before_it(monkeypatch: Any) -> None:
    w, scored, _ = _ganzhou(monkeypatch, ready=2, behind=0)
    published = dt.date(2026, 10, 15)
    rs.confirm_ranking(w.round, actor=w.office)
    rs.open_publicity(w.round, actor=w.office, start=published, today=published)
    rs.close_publicity(w.round, actor=w.office)
    assert [case(a).stage for a in scored] == ["city_approval", "city_approval"]
    late = submit(w, "迟到工匠", facts=read("ganzhou_craftsman/examples/eligibility.json"))
    text = page(client(w.office).post(f"/review/rounds/{w.round.pk}/do/city-approval/", {
        "decided": [case(a).key for a in scored], "meeting_date": "2026-11-10", "reference": "赣市府字〔2026〕88号"},
        follow=True))
    assert "迟到工匠" in text and "赣州工匠办法 第七条（五）" in text
    assert not Decision.objects.filter(round=w.round, kind="city_approval").exists()
    assert [case(a).stage for a in scored] == ["city_approval", "city_approval"]
    assert case(late).stage == "recommendation"
