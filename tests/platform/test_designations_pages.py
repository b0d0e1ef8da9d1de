"""Designation and ledger pages per role, including what a role must not see; the public directory shows
revocations; the demo loader creates designations and a year of ledger records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import fixtures_apps
import pytest
import review_helpers as rh
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.designations import services as ds
from jiangxin.platform.designations.models import Designation, DesignationStatus
from jiangxin.platform.worklog.models import WorkEvidence, WorkRecord
from jiangxin.policy.outcome import cite

pytestmark = pytest.mark.django_db
media = fixtures_apps.media
ART24 = cite("nanchang_academy", "第二十四条").label


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def setup(db: None) -> dict[str, Any]:
    w = rh.world("nanchang_academy")
    apps = [rh.submit(w, "东湖工匠学院", district=0), rh.submit(w, "西湖工匠学院", district=1)]
    named = [ds.designate_from_case(rh.case(a), actor=w.office, on=dt.date(2025, 12, 20)) for a in apps]
    holder = rh.user(Role.UNIT, w.units[0], "holder")
    return {"w": w, "named": named, "holder": holder, "other_unit": rh.user(Role.UNIT, w.units[1], "other"),
            "sysadmin": rh.user(Role.SYSTEM_ADMIN, None, "sysadmin")}


def test_staff_directory_is_scoped(setup: dict[str, Any]) -> None:
    w, named = setup["w"], setup["named"]
    page = _client(w.office).get("/designations/").content.decode()
    assert named[0].certificate_no in page and named[1].certificate_no in page
    page = _client(w.district_users[0]).get("/designations/").content.decode()
    assert named[0].certificate_no in page and named[1].certificate_no not in page
    assert _client(w.district_users[0]).get(f"/designations/{named[1].pk}/").status_code == 404
    assert _client(setup["holder"]).get("/designations/").status_code == 403
    assert _client(setup["sysadmin"]).get("/designations/").status_code == 403
    assert _client(setup["sysadmin"]).get(f"/designations/{named[0].pk}/").status_code == 403


def test_unit_sees_its_own_designation_with_events_and_articles(setup: dict[str, Any]) -> None:
    w, named = setup["w"], setup["named"]
    ds.set_status(named[0], DesignationStatus.YELLOW_CARD, reason="年度考核不合格", citation=ART24, actor=w.office)
    page = _client(setup["holder"]).get("/designations/mine/").content.decode()
    assert named[0].certificate_no in page and named[1].certificate_no not in page
    assert "黄牌警告" in page and "年度考核不合格" in page and ART24 in page
    assert _client(setup["holder"]).get(f"/designations/{named[1].pk}/").status_code == 404
    assert _client(setup["holder"]).get(f"/designations/{named[0].pk}/").status_code == 200
    assert _client(w.office).get("/designations/mine/").status_code == 403


def test_office_changes_status_only_on_a_listed_ground_and_errors_show_in_chinese(setup: dict[str, Any]) -> None:
    from sanction_helpers import published

    w, d = setup["w"], setup["named"][0]
    c = _client(w.office)
    page = c.get(f"/designations/{d.pk}/").content.decode()
    assert "处分与退出" in page and ART24 in page and "第二十六条" in page
    free = c.post(f"/designations/{d.pk}/status/", {"status": "revoked", "reason": "弄虚作假", "citation": ART24})
    assert free.status_code == 400 and "请选择办法列明的情形" in free.content.decode()
    missing = c.post(f"/designations/{d.pk}/status/", {"ground": "yellow_card", "expect": "active"})
    assert missing.status_code == 400 and "所选情形须填写此项" in missing.content.decode()
    published(d, 2026, passed=False)
    ok = c.post(f"/designations/{d.pk}/status/", {"ground": "yellow_card", "failed_year": "2026",
                                                  "expect": "active"})
    assert ok.status_code == 302
    d.refresh_from_db()
    assert d.status == "yellow_card" and d.status_citation == ART24
    denied = _client(w.district_users[0]).post(f"/designations/{d.pk}/status/", {"ground": "lift_yellow_card"})
    assert denied.status_code == 403
    assert _client(setup["holder"]).post(f"/designations/{d.pk}/status/", {}).status_code == 403


def test_public_directory_shows_revocations(setup: dict[str, Any]) -> None:
    w, d = setup["w"], setup["named"][0]
    ds.set_status(d, DesignationStatus.REVOKED, reason="连续两年不合格", citation=ART24, actor=w.office)
    page = Client().get("/public/directory/").content.decode()
    assert "东湖工匠学院" in page and "已撤销" in page
    assert "西湖工匠学院" in page


def test_leader_change_form_records_history(setup: dict[str, Any], register: Any) -> None:
    w, d = setup["w"], setup["named"][0]
    person = register(name="新领衔", first17="36010219800101021", employer=d.holder_org)
    form = _client(w.office).get(f"/designations/{d.pk}/").content.decode()
    # a search-as-you-type choice of people by name with the masked ID (issue 13: pick lists, not codes)
    assert f'data-pick-url="/picks/designations.leaders/?designation={d.pk}"' in form and "档案编号" not in form
    found = _client(w.office).get(f"/picks/designations.leaders/?designation={d.pk}&q=新领").json()["results"]
    assert found == [{"id": person.pk, "label": f"新领衔（{person.id_mask}，{d.holder_org.name}）"}]
    r = _client(w.office).post(f"/designations/{d.pk}/leader/", {"person_id": person.pk,
                                                                 "effective_on": "2026-04-01", "reason": "调动"})
    assert r.status_code == 302
    page = _client(w.office).get(f"/designations/{d.pk}/").content.decode()
    assert "领衔人变更" in page and "新领衔" in page


def test_leader_change_offers_no_person_outside_the_offices_scope(setup: dict[str, Any], register: Any) -> None:
    w, d = setup["w"], setup["named"][0]
    stranger = register(name="外地人", first17="32010219800101021")
    r = _client(w.office).post(f"/designations/{d.pk}/leader/", {"person_id": stranger.pk,
                                                                 "effective_on": "2026-04-01"})
    assert r.status_code == 400 and "请从列表中选择人员" in r.content.decode()
    assert "外地人" not in _client(w.office).get(f"/designations/{d.pk}/").content.decode()


def test_ledger_pages_holder_records_with_evidence_office_reads_others_cannot(setup: dict[str, Any],
                                                                           media: Any) -> None:
    w, d = setup["w"], setup["named"][0]
    holder = _client(setup["holder"])
    r = holder.post(f"/worklog/{d.pk}/records/new/", {
        "kind": "media", "date": "2026-05-02", "title": "洪工杯报道", "level": "province",
        "file": SimpleUploadedFile("报道.pdf", fixtures_apps.pdf_bytes())})
    assert r.status_code == 302
    rec = WorkRecord.objects.get()
    assert WorkEvidence.objects.get().record == rec
    bad = holder.post(f"/worklog/{d.pk}/records/new/", {"kind": "training", "date": "2026-05-02", "title": "培训"})
    assert bad.status_code == 400 and "须填写" in bad.content.decode()
    page = holder.get(f"/worklog/{d.pk}/?year=2026").content.decode()
    assert "洪工杯报道" in page and f"#{rec.pk}" in page and "年度考核预填" in page
    office_page = _client(w.office).get(f"/worklog/{d.pk}/?year=2026").content.decode()
    assert "洪工杯报道" in office_page and "登记工作" not in office_page
    assert _client(w.office).post(f"/worklog/{d.pk}/records/new/", {}).status_code == 403
    assert _client(setup["other_unit"]).get(f"/worklog/{d.pk}/").status_code == 404
    assert _client(w.district_users[1]).get(f"/worklog/{d.pk}/").status_code == 404
    ev = WorkEvidence.objects.get()
    assert _client(w.office).get(f"/worklog/evidence/{ev.pk}/").status_code == 200
    assert _client(setup["other_unit"]).get(f"/worklog/evidence/{ev.pk}/").status_code == 404
    r = holder.post(f"/worklog/{d.pk}/funds/new/", {"date": "2026-02-01", "direction": "income",
                                                    "category": "subsidy", "amount": "1000.50", "notes": "补助"})
    assert r.status_code == 302
    assert "1000.50" in holder.get(f"/worklog/{d.pk}/?year=2026").content.decode()
    r = holder.post(f"/worklog/records/{rec.pk}/delete/")
    assert r.status_code == 302 and not WorkRecord.objects.exists()


def test_demo_loader_creates_designations_and_a_year_of_records(media: Any) -> None:
    import io

    from django.core.management import call_command

    from jiangxin.platform.demo.loaders.designations import load_designations_demo

    call_command("load_demo", stdout=io.StringIO())
    load_designations_demo()  # returns [] once the lead has wired it into load_demo
    made = list(Designation.objects.all())
    programs = {d.program for d in made}
    assert programs == {"nanchang_academy", "nanchang_studio", "zhenjiang_park", "ganzhou_craftsman",
                        "jiangsu_technician"}
    assert {d.status for d in made} >= {"active", "revoked", "exited"}
    academy = Designation.objects.get(name="南昌东湖职业技术学院工匠学院")
    assert academy.work_records.filter(year=2026).count() >= 10 and academy.fund_records.count() == 3
    from jiangxin.platform.worklog.services import rubric_facts

    entries, ids = rubric_facts(academy, 2026, "nanchang_academy.annual")
    assert entries["training_tasks"]["skill_upgrading"] == {"sessions": 3, "trainees": 360} and ids["media"]
    assert load_designations_demo() == []  # idempotent
