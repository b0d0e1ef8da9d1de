"""The whole chain of each of the five programs through the review services: submission → … → the final
state, every step with its stored outcome and the article it rests on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from review_helpers import case, fake_panel, read, submit, world

from jiangxin.platform.applications.models import Status
from jiangxin.platform.demo.data import demo_pdf
from jiangxin.platform.notifications.models import Notification
from jiangxin.platform.portal.models import PublicListing
from jiangxin.platform.review import services as rs
from jiangxin.platform.review.models import CaseState, Decision

pytestmark = pytest.mark.django_db
PUBLISHED = dt.date(2026, 10, 15)   # a publicity window long closed by the test date (2026-11-23 or later)
NAMED = dt.date(2026, 11, 30)


def pdf(name: str = "推荐函.pdf") -> SimpleUploadedFile:
    body = demo_pdf("test") + b" " * 200
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def academy_facts() -> dict[str, Any]:
    return {"applicant_type": "enterprise", "violation_on_record": False, "fraud_found": False,
            "previously_revoked": False}


def test_nanchang_academy_art19_recommendation_visit_review_publicity_naming(monkeypatch: Any) -> None:
    w = world("nanchang_academy", year=2026)
    app = submit(w, "东湖精工工匠学院", facts=academy_facts())
    c = case(app)
    assert c.stage == "recommendation" and c.state == CaseState.ACTIVE
    # 初审推荐 by the district union: facts confirmed, application_admissible re-run, case moves on
    out = rs.review_eligibility(c, actor=w.district_users[0], facts=academy_facts())
    assert out["status"] == "eligible" and out["computation"] == "nanchang_academy/application_admissible"
    c.refresh_from_db()
    assert c.stage == "central_review"
    app.refresh_from_db()
    assert app.status == Status.RECOMMENDED
    # 实地考察 against the five areas, then 现场评审 (附件1 panel) shortlisted at ≥80 without veto
    areas = {a: f"{a}符合要求" for a in ("场地设备", "师资力量", "学系建设", "经费保障", "培训成效")}
    rs.record_site_visit(c, actor=w.office, visited_on=dt.date(2026, 9, 1), findings=areas, passed=True)
    c.refresh_from_db()
    assert c.stage == "central_review"  # the on-site review is still missing
    fake_panel(monkeypatch, {app.pk: ("86.5", False)})
    outcome = rs.record_panel(c, actor=w.office)
    assert outcome["value"] is True and outcome["status"] == "passed"
    c.refresh_from_db()
    assert c.stage == "publicity" and str(c.score) == "86.500"
    # 公示7天, closed and without objections → naming, by 31 December, with a public listing
    notice = rs.open_publicity(w.round, actor=w.office, start=PUBLISHED, today=PUBLISHED)
    assert (notice.window_end - notice.window_start).days == 6
    assert [x.pk for x in rs.close_publicity(w.round, actor=w.office)] == [c.pk]
    c.refresh_from_db()
    assert c.stage == "naming"
    named, warning = rs.name(c, actor=w.office, on=NAMED)
    assert warning == "" and named.stage == "named" and named.state == CaseState.DONE
    listing = PublicListing.objects.get(source_key=f"review:{c.pk}")
    assert listing.kind == "academy" and listing.since == NAMED
    last = named.steps.last()
    assert last.action == "name" and last.outcome["value"]["meets_deadline"] is True
    assert "南昌工匠学院办法 第十九条（四）" in last.citations[0]
    assert Notification.objects.filter(recipient=app.applicant_user, kind="result").exists()


def test_nanchang_academy_annex1_below_80_is_not_shortlisted_and_rejected_with_the_article(monkeypatch: Any) -> None:
    w = world("nanchang_academy", year=2026)
    app = submit(w, "低分学院", facts=academy_facts())
    c = case(app)
    rs.review_eligibility(c, actor=w.office, facts=academy_facts())
    c.refresh_from_db()
    fake_panel(monkeypatch, {app.pk: ("79.5", False)})
    outcome = rs.record_panel(c, actor=w.office)
    assert outcome["value"] is False
    assert [f["citation"]["label"] for f in outcome["failures"]] == ["南昌工匠学院办法 附件1备注2"]
    c.refresh_from_db()
    assert c.stage == "central_review"
    rs.reject(c, actor=w.office, reasons=[("panel_total_reaches_mark", "南昌工匠学院办法 附件1备注2")])
    c.refresh_from_db()
    app.refresh_from_db()
    assert c.state == CaseState.REJECTED and app.status == Status.REJECTED
    assert "附件1备注2" in app.status_note


def studio_facts() -> dict[str, Any]:
    return read("nanchang_studio/examples/eligibility.json")


def test_nanchang_studio_art7_review_score_rank_party_group_publicity_naming(monkeypatch: Any) -> None:
    w = world("nanchang_studio", year=2026, office_parameters={"naming_shortlist_mark": 80,
                                                              "naming_annual_quota": 2})
    apps = [submit(w, f"工作室{i}", district=i % 2, facts=studio_facts()) for i in range(4)]
    cases = [case(a) for a in apps]
    # submission completed 所在单位工会申请 and 党政认可 (a fact); the district reviews the six conditions
    assert [s.stage_from for s in cases[0].steps.all()][:2] == ["unit_union_application", "party_admin_approval"]
    for c, a in zip(cases, apps, strict=True):
        reviewer = w.district_users[apps.index(a) % 2]
        assert rs.review_eligibility(c, actor=reviewer, facts=studio_facts())["status"] == "eligible"
    fake_panel(monkeypatch, {apps[0].pk: ("92", False), apps[1].pk: ("85", False), apps[2].pk: ("85", False),
                             apps[3].pk: ("70", False)})
    for c in cases:
        c.refresh_from_db()
        assert c.stage == "city_review"
        rs.record_panel(c, actor=w.office)
    ranking = rs.compute_ranking(w.round)
    assert ranking["value"]["proposed"] == [cases[0].key]
    assert ranking["value"]["tie_at_cut"] == sorted([cases[1].key, cases[2].key])
    assert ranking["value"]["below_mark"] == [cases[3].key]
    rs.confirm_ranking(w.round, actor=w.office)
    for c in cases:
        c.refresh_from_db()
    assert [c.stage for c in cases[:3]] == ["party_group_decision"] * 3
    assert cases[3].state == CaseState.NOT_SELECTED
    # 党组会 decides (meeting date, minutes) within the quota
    decision = rs.record_party_decision(w.round, actor=w.office, decided=[cases[0].key, cases[2].key],
                                        meeting_date=dt.date(2026, 10, 10), reference="党组会纪要〔2026〕9号")
    assert decision.outcome["value"]["decided"] == [cases[0].key, cases[2].key]
    for c in cases:
        c.refresh_from_db()
    assert cases[1].state == CaseState.NOT_SELECTED and cases[2].stage == "publicity"
    notice = rs.open_publicity(w.round, actor=w.office, start=PUBLISHED, today=PUBLISHED)
    assert notice.working_days
    rs.close_publicity(w.round, actor=w.office)
    for c in (cases[0], cases[2]):
        c.refresh_from_db()
        named, warning = rs.name(c, actor=w.office, on=NAMED)
        assert named.stage == "named" and warning == ""
    assert PublicListing.objects.filter(kind="studio").count() == 2


def test_nanchang_studio_art7_naming_after_31_december_warns(monkeypatch: Any) -> None:
    w = world("nanchang_studio", year=2026, office_parameters={"naming_shortlist_mark": 80,
                                                              "naming_annual_quota": 2})
    app = submit(w, "迟到工作室", facts=studio_facts())
    c = case(app)
    rs.review_eligibility(c, actor=w.office, facts=studio_facts())
    fake_panel(monkeypatch, {app.pk: ("90", False)})
    c.refresh_from_db()
    rs.record_panel(c, actor=w.office)
    rs.confirm_ranking(w.round, actor=w.office)
    rs.record_party_decision(w.round, actor=w.office, decided=[c.key], meeting_date=dt.date(2026, 10, 10),
                             reference="纪要1")
    rs.open_publicity(w.round, actor=w.office, start=PUBLISHED, today=PUBLISHED)
    rs.close_publicity(w.round, actor=w.office)
    c.refresh_from_db()
    named, warning = rs.name(c, actor=w.office, on=dt.date(2027, 1, 5))
    assert "2026-12-31" in warning and "南昌创新工作室办法 第七条" in warning
    assert named.steps.last().outcome["value"]["meets_deadline"] is False


def test_zhenjiang_3_2_material_site_collective_vote_candidates_work_group_admission(monkeypatch: Any) -> None:
    w = world("zhenjiang_park", year=2026)
    facts = read("zhenjiang_park/examples/entry_eligibility.json")
    apps = [submit(w, f"大师工作室{i}", facts=facts) for i in range(2)]
    cases = [case(a) for a in apps]
    fake_panel(monkeypatch, {a.pk: ("88", False) for a in apps})
    areas = {a: "情况属实" for a in ("领衔人技艺", "设施设备", "工作经费与制度", "工作规划与项目")}
    for c in cases:
        rs.review_eligibility(c, actor=w.office, facts=facts)
        c.refresh_from_db()
        assert c.stage == "site_inspection"
        rs.record_site_visit(c, actor=w.office, visited_on=dt.date(2026, 5, 6), findings=areas, passed=True)
        c.refresh_from_db()
        assert c.stage == "collective_review"
        rs.record_panel(c, actor=w.office)
        c.refresh_from_db()
        assert c.stage == "vote"
    # 7 members: 4 for, 2 against, 1 absent → majority of those present; the second gets 3 of 7
    yes = rs.record_vote(cases[0], actor=w.office, members_total=7, votes={
        "甲": "for", "乙": "for", "丙": "for", "丁": "for", "戊": "against", "己": "against", "庚": "absent"})
    assert yes["value"]["candidate"] is True
    no = rs.record_vote(cases[1], actor=w.office, members_total=7, votes={
        "甲": "for", "乙": "for", "丙": "for", "丁": "against", "戊": "against", "己": "against", "庚": "abstain"})
    assert no["value"]["candidate"] is False and no["failures"]
    for c in cases:
        c.refresh_from_db()
    assert cases[0].stage == "candidate_list" and cases[1].state == CaseState.NOT_SELECTED
    assert cases[0].steps.get(action="vote").data["for"] == 4
    rs.confirm_candidate_list(w.round, actor=w.office)
    rs.record_work_group(w.round, actor=w.office, approved=[cases[0].key], meeting_date=dt.date(2026, 5, 20),
                         reference="工作小组会议纪要3号")
    cases[0].refresh_from_db()
    assert cases[0].stage == "admission"
    assert cases[0].steps.filter(action="advance").last().outcome["value"]["admitted"] is True
    admitted, _ = rs.name(cases[0], actor=w.office, on=dt.date(2026, 5, 25))
    assert admitted.stage == "admitted" and admitted.state == CaseState.DONE
    assert PublicListing.objects.get(source_key=f"review:{admitted.pk}").kind == "park_studio"


def ganzhou_facts(county: bool = False) -> dict[str, Any]:
    facts = read("ganzhou_craftsman/examples/eligibility.json")
    facts["county_level_craftsman"] = county
    return facts


def test_ganzhou_art7_recommendation_letter_review_ranking_publicity_approval_title(monkeypatch: Any) -> None:
    w = world("ganzhou_craftsman", year=2026)
    apps = [submit(w, f"工匠候选{i}", district=i % 2, facts=ganzhou_facts(county=(i == 2))) for i in range(3)]
    cases = [case(a) for a in apps]
    facts = read("ganzhou_craftsman/examples/eligibility.json")
    for i, c in enumerate(cases):
        reviewer = w.district_users[i % 2]
        rs.review_eligibility(c, actor=reviewer, facts=facts)
        c.refresh_from_db()
        assert c.stage == "recommendation"  # the recommendation letter is still missing (第七条（二）)
        assert rs.readiness(c)[0] == "须上传推荐函"  # and the reviewer's confirmation of the claimed route
        rs.attach_letter(c, actor=reviewer, uploaded=pdf())
        rs.confirm_conditions(c, actor=reviewer, conditions=["routes:关键技术"])
        rs.advance(c, actor=reviewer)
        c.refresh_from_db()
        assert c.stage == "expert_review"
    fake_panel(monkeypatch, {apps[0].pk: ("90", False), apps[1].pk: ("85", False), apps[2].pk: ("85", False)})
    for c in cases:
        rs.record_panel(c, actor=w.office)
    ranking = rs.compute_ranking(w.round)
    # equal scores: the county-level craftsman first (第六条 same conditions priority)
    order = [r["key"] for r in ranking["value"]["ranking"]]
    assert order == [cases[0].key, cases[2].key, cases[1].key]
    rs.confirm_ranking(w.round, actor=w.office)
    rs.open_publicity(w.round, actor=w.office, start=PUBLISHED, today=PUBLISHED)
    rs.close_publicity(w.round, actor=w.office)
    for c in cases:
        c.refresh_from_db()
        assert c.stage == "city_approval"
    rs.record_city_approval(w.round, actor=w.office, approved=[c.key for c in cases],
                            meeting_date=dt.date(2026, 11, 10), reference="赣市府字〔2026〕88号")
    for c in cases:
        c.refresh_from_db()
        titled, _ = rs.name(c, actor=w.office, on=NAMED)
        assert titled.stage == "title"
    assert Decision.objects.filter(round=w.round, kind="city_approval").get().reference == "赣市府字〔2026〕88号"


def jiangsu_facts(track: str) -> dict[str, Any]:
    facts = read("jiangsu_technician/examples/eligibility.json")
    if track == "A":
        facts.pop("chief_technician")
        facts.pop("outstanding")
        facts.update(track="A", skill_level="高级技师",
                     leading_talent={"criterion": "省级技能大师", "confirmed_by": "南京市人社局 张三"})
    return facts


def test_jiangsu_art3_a_recognised_b_selected_city_lead_then_province_confirms(monkeypatch: Any) -> None:
    w = world("jiangsu_technician", year=2026)
    a = submit(w, "A类人选", facts=jiangsu_facts("A"))
    b = submit(w, "B类人选", district=1, facts=jiangsu_facts("B"))
    ca, cb = case(a), case(b)
    assert (ca.stage, cb.stage) == ("direct_recognition", "selection")
    rs.review_eligibility(ca, actor=w.district_users[0], facts=jiangsu_facts("A"))
    ca.refresh_from_db()
    assert ca.stage == "city_confirmation"
    rs.review_eligibility(cb, actor=w.office, facts=jiangsu_facts("B"))
    fake_panel(monkeypatch, {})
    cb.refresh_from_db()
    rs.record_panel(cb, actor=w.office, score=Decimal("88"),
                    note="B类评选评审会纪要（评分名单）")
    cb.refresh_from_db()
    assert cb.stage == "city_confirmation"
    # 第十二条: the city-level lead of each 设区市 confirms only its own people
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied: another city's person
        rs.advance(cb, actor=w.district_users[0])
    rs.advance(ca, actor=w.district_users[0])
    rs.advance(cb, actor=w.district_users[1])
    decision = rs.confirm_province(w.round, actor=w.office)
    assert decision.outcome["value"]["A"]["count"] == 1 and decision.outcome["value"]["B"]["within_quota"] is True
    for c in (ca, cb):
        c.refresh_from_db()
        assert (c.stage, c.state) == ("confirmed", CaseState.DONE)


def test_jiangsu_art2_class_size_over_100_refuses_the_province_confirmation() -> None:
    w = world("jiangsu_technician", year=2026)
    apps = [submit(w, f"A{i}", facts=jiangsu_facts("A")) for i in range(101)]
    from jiangxin.platform.review.models import Case

    Case.objects.filter(application__in=apps).update(stage="province_confirmation")
    with pytest.raises(rs.ReviewError) as err:
        rs.confirm_province(w.round, actor=w.office)
    assert err.value.outcome is not None and err.value.outcome["value"]["A"]["within_quota"] is False
    assert not Case.objects.filter(state=CaseState.DONE).exists()





def test_jiangsu_art2_class_size_counts_every_round_of_the_year() -> None:
    """A second round opened in the same year does not get another hundred per class: the people the first round
    confirmed count against 第二条's limit too."""
    import dataclasses

    from jiangxin.platform.review.models import Case
    from jiangxin.platform.rounds.models import Round, RoundStatus

    w = world("jiangsu_technician", year=2026)
    first = [submit(w, f"A{i}", facts=jiangsu_facts("A")) for i in range(100)]
    Case.objects.filter(application__in=first).update(stage="confirmed", state=CaseState.DONE)
    second_round = Round.objects.create(program=w.round.program, year=2026, title="2026年卓越技师（补报）",
                                        organiser=w.round.organiser, opens=dt.date(2026, 5, 1),
                                        closes=dt.date(2026, 6, 30), status=RoundStatus.CLOSED)
    late = submit(dataclasses.replace(w, round=second_round), "A补", facts=jiangsu_facts("A"))
    Case.objects.filter(application=late).update(stage="province_confirmation")
    with pytest.raises(rs.ReviewError) as err:
        rs.confirm_province(second_round, actor=w.office)
    assert err.value.outcome is not None and err.value.outcome["value"]["A"]["within_quota"] is False
    assert Case.objects.get(application=late).state != CaseState.DONE
