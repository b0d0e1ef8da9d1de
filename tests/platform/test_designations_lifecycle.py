"""Designations: naming from a case (idempotent, holder and leader from the application), certificate
numbers per program/year, the lifecycle with reasons and articles, fixed terms from the policy core, leader
history, the public directory (revocations visible) and the audit chain."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import review_helpers as rh

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.audit.service import verify_chain
from jiangxin.platform.designations import services as ds
from jiangxin.platform.designations.models import Designation, DesignationEvent, DesignationStatus, EventKind
from jiangxin.platform.portal.models import PublicListing
from jiangxin.policy.outcome import cite

pytestmark = pytest.mark.django_db
NAMED = dt.date(2025, 12, 20)
ART24 = cite("nanchang_academy", "第二十四条").label


def _named(program: str = "nanchang_academy", n: int = 1, **details: Any) -> tuple[rh.World, list[Designation]]:
    w = rh.world(program)
    out = []
    for i in range(n):
        app = rh.submit(w, f"示例{i + 1}号", district=i % len(w.districts))
        if details:
            app.details = details
            app.save(update_fields=["details"])
        out.append(ds.designate_from_case(rh.case(app), actor=w.office, on=NAMED))
    return w, out


def test_designate_from_case_holds_the_unit_numbers_the_certificate_and_publishes() -> None:
    w, (d,) = _named()
    assert d.holder_org == w.units[0] and d.holder_person is None
    assert d.kind == "named" and d.year == 2025 and d.status == DesignationStatus.ACTIVE
    assert d.certificate_no == "NCGJXY-2025-001"
    event = d.events.get()
    assert event.kind == EventKind.DESIGNATED and event.to_status == "active" and event.citation
    listing = PublicListing.objects.get(source_key=f"review:{d.case_id}")
    assert listing.status == "有效" and "NCGJXY-2025-001" in listing.summary


def test_designate_from_case_is_idempotent_per_case() -> None:
    w, (d,) = _named()
    again = ds.designate_from_case(d.case, actor=w.office, on=dt.date(2025, 12, 28))
    assert again.pk == d.pk and again.designated_on == NAMED
    assert Designation.objects.count() == 1 and DesignationEvent.objects.count() == 1


def test_certificate_numbers_run_per_program_and_year_without_gaps() -> None:
    w, named = _named(n=3)
    assert [d.certificate_no for d in named] == ["NCGJXY-2025-001", "NCGJXY-2025-002", "NCGJXY-2025-003"]
    later = ds.designate(program="nanchang_academy", name="次年", on=dt.date(2026, 12, 1), actor=w.office,
                         holder_org=w.units[0])
    assert later.certificate_no == "NCGJXY-2026-001"
    studio = ds.designate(program="nanchang_studio", name="工作室", on=dt.date(2025, 12, 1), actor=w.office,
                          holder_org=w.units[1])
    assert studio.certificate_no == "NCCXGZS-2025-001"


def test_a_failed_designation_does_not_use_up_a_number() -> None:
    w, _ = _named()
    with pytest.raises(ds.DesignationError):
        ds.designate(program="nanchang_academy", name="无单位", on=NAMED, actor=w.office)
    d = ds.designate(program="nanchang_academy", name="第二个", on=NAMED, actor=w.office, holder_org=w.units[0])
    assert d.certificate_no == "NCGJXY-2025-002"


def test_leader_comes_from_the_application_details(register: Any) -> None:
    w = rh.world("nanchang_studio")
    app = rh.submit(w, "赣江工作室")
    leader = register(name="李领衔", first17="36010219800101003", employer=w.units[0])
    app.details = {"studio_name": "赣江工作室", "leader_name": "李领衔"}
    app.save(update_fields=["details"])
    d = ds.designate_from_case(rh.case(app), actor=w.office, on=NAMED)
    assert d.leader_person == leader


def test_individual_programs_hold_the_person_and_ganzhou_runs_its_cultivation_period(register: Any) -> None:
    w = rh.world("ganzhou_craftsman")
    app = rh.submit(w, "赣州工匠 王芳")
    person = register()
    app.applicant_person = person
    app.save(update_fields=["applicant_person"])
    d = ds.designate_from_case(rh.case(app), actor=w.office, on=NAMED)
    assert d.holder_person == person and d.holder_org is None and d.scope_org == w.districts[0]
    assert d.kind == "title" and d.certificate_no == "GZGJ-2025-001" and d.leader_person == person
    assert d.ends_outcome["computation"] == "ganzhou_craftsman/cultivation_period"
    assert d.ends_on == dt.date.fromisoformat(d.ends_outcome["value"]["end"])
    assert dt.date(2028, 12, 18) <= d.ends_on <= dt.date(2028, 12, 20)
    assert PublicListing.objects.get(source_key=f"review:{d.case_id}").masked_person != "王芳"


def test_zhenjiang_rent_free_term_and_jiangsu_tracking_set_the_end_date() -> None:
    w = rh.world("zhenjiang_park")
    park = ds.designate(program="zhenjiang_park", name="金山工作室", on=dt.date(2024, 5, 1), actor=w.office,
                        holder_org=w.districts[0])
    assert park.kind == "admitted"
    assert park.ends_on == dt.date(2026, 4, 30)  # two years, the admission day is day 1
    assert park.ends_outcome["computation"] == "zhenjiang_park/rent_free_term"
    js = rh.world("jiangsu_technician")
    from jiangxin.platform.people.models import Person

    person = Person.objects.create(name="赵技师", sex="female", birth_date=dt.date(1980, 1, 1), id_cipher="x",
                                   id_hash="h1", id_mask="320102********0001")
    cohort = ds.designate(program="jiangsu_technician", name="培育对象", on=dt.date(2026, 6, 1), actor=js.office,
                          holder_person=person, scope_org=js.districts[0])
    assert cohort.kind == "cohort" and cohort.ends_on == dt.date(2028, 5, 31)
    assert cohort.ends_outcome["trace"][0]["parameters"] == {"tracking_years": 2}


def test_yellow_card_then_revocation_with_the_article_is_kept_and_shown_publicly() -> None:
    w, (d,) = _named()
    ds.set_status(d, DesignationStatus.YELLOW_CARD, reason="年度考核不合格", citation=ART24, actor=w.office,
                  on=dt.date(2026, 3, 1))
    d = ds.set_status(d, DesignationStatus.REVOKED, reason="连续两年不合格", citation=ART24, actor=w.office,
                      on=dt.date(2027, 3, 1))
    assert d.status == "revoked" and d.status_citation == ART24 and d.status_changed_on == dt.date(2027, 3, 1)
    steps = [(e.from_status, e.to_status, e.citation) for e in d.events.filter(kind=EventKind.STATUS)]
    assert steps == [("active", "yellow_card", ART24), ("yellow_card", "revoked", ART24)]
    listing = PublicListing.objects.get(source_key=f"review:{d.case_id}")
    assert listing.published and listing.status.startswith("已撤销") and "第二十四条" in listing.status
    assert listing.until == dt.date(2027, 3, 1)
    assert AuditEvent.objects.filter(action="designations.status").count() == 2
    assert verify_chain() == (True, None)


def test_revoked_is_final_and_transitions_need_reason_and_article() -> None:
    w, (d,) = _named()
    with pytest.raises(ds.DesignationError, match="依据条款"):
        ds.set_status(d, DesignationStatus.YELLOW_CARD, reason="不合格", citation=" ", actor=w.office)
    with pytest.raises(ds.DesignationError, match="理由"):
        ds.set_status(d, DesignationStatus.YELLOW_CARD, reason="", citation=ART24, actor=w.office)
    ds.set_status(d, DesignationStatus.REVOKED, reason="弄虚作假", citation=ART24, actor=w.office)
    with pytest.raises(ds.DesignationError, match="不能从"):
        ds.set_status(d, DesignationStatus.ACTIVE, reason="恢复", citation=ART24, actor=w.office)


def test_exit_is_for_the_park_only_and_expiry_only_after_the_term() -> None:
    w, (d,) = _named()
    with pytest.raises(ds.DesignationError, match="退出"):
        ds.set_status(d, DesignationStatus.EXITED, reason="退出", citation="x", actor=w.office)
    with pytest.raises(ds.DesignationError, match="期满"):
        ds.set_status(d, DesignationStatus.EXPIRED, reason="期满", citation="x", actor=w.office)
    pw = rh.world("zhenjiang_park")
    park = ds.designate(program="zhenjiang_park", name="工作室", on=dt.date(2024, 5, 1), actor=pw.office,
                        holder_org=pw.districts[0])
    with pytest.raises(ds.DesignationError, match="尚未届满"):
        ds.set_status(park, DesignationStatus.EXPIRED, reason="期满", citation="x", actor=pw.office,
                      on=dt.date(2026, 4, 30))
    done = ds.expire_ended("zhenjiang_park", dt.date(2026, 5, 1), actor=pw.office)
    assert [x.pk for x in done] == [park.pk]
    park.refresh_from_db()
    assert park.status == "expired" and park.status_citation == park.ends_outcome["citation"]["label"]


def test_nanchang_academy_第二十四条_yellow_card_is_lifted_only_after_a_later_passing_assessment() -> None:
    from sanction_helpers import published

    from jiangxin.platform.core.transitions import TransitionRefused

    w, (d,) = _named()
    ds.set_status(d, DesignationStatus.YELLOW_CARD, reason="不合格", citation=ART24, actor=w.office,
                  outcome={"year": 2025, "kind": "yellow_card"})
    with pytest.raises(TransitionRefused, match="考核合格"):
        ds.set_status(d, DesignationStatus.ACTIVE, reason="整改到位", citation=ART24, actor=w.office)
    published(d, 2026, passed=True)
    d = ds.set_status(d, DesignationStatus.ACTIVE, reason="整改到位", citation=ART24, actor=w.office)
    assert d.status == "active" and d.events.count() == 3


def test_only_office_staff_in_scope_change_a_designation() -> None:
    w, (d,) = _named()
    with pytest.raises(ds.DesignationError, match="主管部门"):
        ds.set_status(d, DesignationStatus.YELLOW_CARD, reason="x", citation="y", actor=w.district_users[0])
    other = rh.world("zhenjiang_park")
    with pytest.raises(ds.DesignationError, match="管辖范围"):
        ds.set_status(d, DesignationStatus.YELLOW_CARD, reason="x", citation="y", actor=other.office)


def test_leader_change_keeps_the_history(register: Any) -> None:
    w = rh.world("nanchang_studio")
    first = register(name="甲", first17="36010219800101011")
    second = register(name="乙", first17="36010219800101012")
    third = register(name="丙", first17="36010219800101013")
    d = ds.designate(program="nanchang_studio", name="工作室", on=NAMED, actor=w.office,
                     holder_org=w.districts[0], leader_person=first)
    ds.change_leader(d, second, actor=w.office, effective_on=dt.date(2026, 4, 1))
    d = ds.change_leader(d, third, actor=w.office, effective_on=dt.date(2026, 9, 1))
    assert d.leader_person == third
    history = [(e.data["from_name"], e.data["to_name"], e.effective_on) for e in ds.leader_history(d)]
    assert history == [("甲", "乙", dt.date(2026, 4, 1)), ("乙", "丙", dt.date(2026, 9, 1))]
    assert all("第七条" in e.citation for e in ds.leader_history(d))
    with pytest.raises(ds.DesignationError, match="相同"):
        ds.change_leader(d, third, actor=w.office, effective_on=dt.date(2026, 10, 1))


def test_events_are_append_only() -> None:
    _, (d,) = _named()
    event = d.events.get()
    event.reason = "改写"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_directory_scope_unit_sees_own_district_its_subtree() -> None:
    w, named = _named(n=2)  # one in each district
    unit_user = rh.user(Role.UNIT, w.units[0], "u_own")
    assert list(ds.directory_queryset(unit_user)) == [named[0]]
    assert list(ds.directory_queryset(w.district_users[1])) == [named[1]]
    assert set(ds.directory_queryset(w.office)) == set(named)
    other = rh.world("ganzhou_craftsman")
    assert not ds.directory_queryset(other.office).exists()
    admin = rh.user(Role.SYSTEM_ADMIN, None, "sys")
    assert not ds.directory_queryset(admin).exists()


def test_jiangsu_cohort_from_the_province_confirmation_is_not_in_the_public_directory(register: Any) -> None:
    w = rh.world("jiangsu_technician")
    app = rh.submit(w, "培育对象 王芳")
    app.applicant_person = register(first17="32010219800101002")
    app.save(update_fields=["applicant_person"])
    d = ds.designate_from_case(rh.case(app), actor=w.office, on=dt.date(2025, 6, 1))
    assert d.kind == "cohort" and d.certificate_no == "JSZYJS-2025-001"
    assert d.events.get().citation == "江苏卓越技师办法 第五条"
    assert d.ends_on == dt.date(2027, 5, 31)
    assert not PublicListing.objects.filter(source_key=f"review:{d.case_id}").exists()


def test_an_individual_case_without_a_person_record_is_still_named_and_seen_by_the_applicant() -> None:
    w = rh.world("ganzhou_craftsman")
    app = rh.submit(w, "赣州工匠 无档案")
    type(app).objects.filter(pk=app.pk).update(applicant_person=None)
    app.applicant_user.person = None
    app.applicant_user.save(update_fields=["person"])
    app.refresh_from_db()
    d = ds.designate_from_case(rh.case(app), actor=w.office, on=NAMED)
    assert d.holder_person is None and d.holder_label == "赣州工匠 无档案" and d.scope_org == w.districts[0]
    assert list(ds.directory_queryset(app.applicant_user)) == [d]
    assert list(ds.held_by(app.applicant_user)) == [d]


def test_office_task_lists_designations_whose_term_has_ended() -> None:
    from jiangxin.platform.designations.tasks import tasks_for

    w = rh.world("zhenjiang_park")
    assert tasks_for(w.office) == []
    ds.designate(program="zhenjiang_park", name="工作室", on=dt.date(2020, 5, 1), actor=w.office,
                 holder_org=w.districts[0])
    (task,) = tasks_for(w.office)
    assert task.count == 1 and task.url.endswith("?ended=1")
    assert tasks_for(w.district_users[0]) == []


def test_nanchang_academy_art24_after_the_cycle_a_failure_still_revokes() -> None:
    """The end of the subsidy cycle is not the end of the naming: it stays held and a later failure revokes."""
    w, (d,) = _named()
    d = ds.set_status(d, DesignationStatus.CYCLE_COMPLETE, reason="三笔补助均已拨付",
                      citation="南昌工匠学院办法 第二十条", actor=w.office)
    assert d.is_live
    d = ds.set_status(d, DesignationStatus.REVOKED, reason="补助周期结束后年度考核不合格",
                      citation="南昌工匠学院办法 第二十四条", actor=w.office)
    assert d.status == DesignationStatus.REVOKED
    with pytest.raises(ds.DesignationError):
        ds.set_status(d, DesignationStatus.ACTIVE, reason="x", citation="y", actor=w.office)


def test_set_status_many_on_loaded_designations_writes_once_and_refuses_a_moved_status() -> None:
    """``loaded``: the caller's instances are locked, not read again; a status changed since they were read
    refuses every change (nothing written)."""
    w, (d, e) = _named(n=2)
    change = {"status": DesignationStatus.YELLOW_CARD, "reason": "年度考核不合格", "citation": ART24,
              "from_status": "active"}
    ds.set_status(e, DesignationStatus.YELLOW_CARD, reason="年度考核不合格", citation=ART24, actor=w.office,
                  on=dt.date(2026, 3, 1))
    stale = Designation.objects.get(pk=e.pk)
    stale.status = "active"  # read before the change above
    before = AuditEvent.objects.count()
    with pytest.raises(ds.DesignationError, match="状态已发生变化"):
        ds.set_status_many([{**change, "designation": d}, {**change, "designation": stale}], actor=w.office,
                           on=dt.date(2026, 3, 1), loaded=True)
    assert AuditEvent.objects.count() == before
    assert Designation.objects.get(pk=d.pk).status == "active"
    loaded = Designation.objects.get(pk=d.pk)
    loaded.status = DesignationStatus.YELLOW_CARD  # the yearly run shows the change on the instance already
    ds.set_status_many([{**change, "designation": loaded}], actor=w.office, on=dt.date(2026, 3, 1), loaded=True)
    d.refresh_from_db()
    assert d.status == "yellow_card" and d.status_citation == ART24
    steps = [(ev.from_status, ev.to_status) for ev in d.events.filter(kind=EventKind.STATUS)]
    assert steps == [("active", "yellow_card")]
    assert verify_chain() == (True, None)


def test_set_status_many_tells_the_apps_that_listen_once_per_change_in_order() -> None:
    """The bulk path (the yearly run) sends ``status_changed`` as the one-by-one path does: each change, with
    its from-status, to-status and article."""
    from jiangxin.platform.designations.signals import status_changed

    w, (d, e) = _named(n=2)
    seen: list[tuple[int, str, str, str]] = []

    def listen(sender: Any, designation: Designation, from_status: str, to_status: str, citation: str,
               **kwargs: Any) -> None:
        seen.append((designation.pk, from_status, to_status, citation))

    change = {"reason": "年度考核不合格", "citation": ART24}
    status_changed.connect(listen)
    try:
        ds.set_status_many([{**change, "designation": d, "status": DesignationStatus.YELLOW_CARD},
                            {**change, "designation": e, "status": DesignationStatus.YELLOW_CARD},
                            {**change, "designation": d, "status": DesignationStatus.REVOKED}],
                           actor=w.office, on=dt.date(2026, 3, 1))
    finally:
        status_changed.disconnect(listen)
    assert seen == [(d.pk, "active", "yellow_card", ART24), (e.pk, "active", "yellow_card", ART24),
                    (d.pk, "yellow_card", "revoked", ART24)]
    audits = list(AuditEvent.objects.filter(action="designations.status", object_id=str(d.pk)).order_by("id"))
    assert [(a.before["status"], a.after["status"]) for a in audits] == [("active", "yellow_card"),
                                                                         ("yellow_card", "revoked")]
