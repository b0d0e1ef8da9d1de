"""Park pages: the park office sees every studio, a studio only its own, every other role 403; the public
catalogue and the enterprise service request (CSRF, Chinese errors, rate limit, nothing stored half-way) and
the office routing it to completion."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from stdnum.cn import uscc

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.notifications.models import Notification
from jiangxin.platform.park import services
from jiangxin.platform.park.demo import ensure_park_orgs
from jiangxin.platform.park.models import RequestStatus, ServiceKind, ServiceRequest

pytestmark = pytest.mark.django_db
CODE = "91321100MA1N2B3C4" + uscc.calc_check_digit("91321100MA1N2B3C4")


@pytest.fixture
def world(make_user: Any) -> dict[str, Any]:
    org, studios = ensure_park_orgs()
    office = make_user(Role.PARK_OFFICE, org)
    a = services.admit(office, studio_org=studios[0], name="甲工作室", agreement_no="ZJ-V-1",
                       signed_on=dt.date(2024, 4, 1), admission_date=dt.date(2024, 5, 1))
    b = services.admit(office, studio_org=studios[1], name="乙工作室", agreement_no="ZJ-V-2",
                       signed_on=dt.date(2024, 4, 1), admission_date=dt.date(2024, 5, 1))
    services.record_presence(office, a, "2025-03", 8)
    offering = services.publish_offering(office, a, kind=ServiceKind.GUIDANCE, title="焊接工艺指导",
                                         description="现场指导")
    return {"office": office, "a": a, "b": b, "offering": offering,
            "studio_a": make_user(Role.UNIT, studios[0]), "studio_b": make_user(Role.UNIT, studios[1])}


def test_park_office_sees_every_studio_and_the_presence_shortfall(world: dict[str, Any],
                                                                  client_for: Any) -> None:
    client = client_for(world["office"])
    home = client.get("/park/").content.decode()
    assert "甲工作室" in home and "乙工作室" in home
    page = client.get(f"/park/{world['a'].pk}/?year=2025").content.decode()
    assert "2026-04-30" in page  # rent-free until
    assert "附件2基础分第2项" in page
    assert client.get("/park/fees/").status_code == 200


def test_a_studio_sees_only_its_own(world: dict[str, Any], client_for: Any) -> None:
    client = client_for(world["studio_a"])
    assert client.get("/park/").status_code == 302  # straight to its own page
    assert client.get(f"/park/{world['a'].pk}/").status_code == 200
    assert client.get(f"/park/{world['b'].pk}/").status_code == 404
    assert client.get("/park/fees/").status_code == 403
    assert client.get("/park/admit/").status_code == 403
    # a studio cannot record presence or fees
    assert client.post(f"/park/{world['a'].pk}/", {"action": "presence", "month": "2025-04",
                                                   "days": "20"}).status_code == 403


@pytest.mark.parametrize("role", [Role.OFFICE, Role.DISTRICT, Role.EXPERT, Role.FINANCE, Role.TRAINEE,
                                  Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN])
def test_other_roles_get_403(world: dict[str, Any], make_user: Any, client_for: Any, role: str) -> None:
    client = client_for(make_user(role, world["a"].studio_org.parent))
    for url in ("/park/", f"/park/{world['a'].pk}/", "/park/requests/", "/park/fees/"):
        assert client.get(url).status_code == 403, url


def test_office_records_presence_with_chinese_error_for_32_days(world: dict[str, Any], client_for: Any) -> None:
    client = client_for(world["office"])
    bad = client.post(f"/park/{world['a'].pk}/", {"action": "presence", "month": "2025-05", "days": "32"})
    assert bad.status_code == 400
    assert "到园天数不能超过 31 天" in bad.content.decode()
    bad = client.post(f"/park/{world['a'].pk}/", {"action": "presence", "month": "2025-06", "days": "31"})
    assert bad.status_code == 400 and "0 至 30 天" in bad.content.decode()
    ok = client.post(f"/park/{world['a'].pk}/", {"action": "presence", "month": "2025-05", "days": "31"})
    assert ok.status_code == 302
    assert services.presence_log(world["a"], 2025)["2025-05"] == 31


def test_public_catalogue_and_request_routed_to_completion(world: dict[str, Any], client_for: Any) -> None:
    public = Client(enforce_csrf_checks=True)
    page = public.get("/public/park/")
    assert page.status_code == 200 and "焊接工艺指导" in page.content.decode()
    form = public.get("/public/park/request/")
    token = form.cookies["csrftoken"].value
    data = {"enterprise_name": "镇江某机械有限公司", "credit_code": CODE[:-1] + ("0" if CODE[-1] != "0" else "1"),
            "contact_name": "陈经理", "contact_phone": "0511-80000000", "kind": ServiceKind.GUIDANCE,
            "offering": str(world["offering"].pk), "need": "焊缝开裂，需要工艺指导", "csrfmiddlewaretoken": token}
    refused = public.post("/public/park/request/", data)
    assert refused.status_code == 400 and "统一社会信用代码不正确" in refused.content.decode()
    assert not ServiceRequest.objects.exists()
    assert Client(enforce_csrf_checks=True).post("/public/park/request/", {**data, "credit_code": CODE}).status_code == 403
    done = public.post("/public/park/request/", {**data, "credit_code": CODE})
    assert done.status_code == 200 and "受理编号" in done.content.decode()
    req = ServiceRequest.objects.get()
    assert req.status == RequestStatus.NEW
    assert Notification.objects.filter(recipient=world["office"]).exists()

    office = client_for(world["office"])
    assert office.post(f"/park/requests/{req.pk}/", {"to": "routed", "residency": world["a"].pk}).status_code == 302
    assert Notification.objects.filter(recipient=world["studio_a"], title__contains=req.receipt).exists()
    studio_b = client_for(world["studio_b"])
    assert studio_b.get(f"/park/requests/{req.pk}/").status_code == 404
    studio_a = client_for(world["studio_a"])
    assert studio_a.get(f"/park/requests/{req.pk}/").status_code == 200
    assert studio_a.post(f"/park/requests/{req.pk}/", {"to": "in_progress"}).status_code == 302
    skip = studio_a.post(f"/park/requests/{req.pk}/", {"to": "routed", "residency": world["b"].pk})
    assert skip.status_code == 400
    assert studio_a.post(f"/park/requests/{req.pk}/", {"to": "done", "note": "已完成指导"}).status_code == 302
    req.refresh_from_db()
    assert req.status == RequestStatus.DONE
    actions = list(AuditEvent.objects.filter(object_type="park.ServiceRequest").values_list("action", flat=True))
    assert actions == ["park.request_new", "park.request_routed", "park.request_in_progress", "park.request_done"]


def test_public_request_is_rate_limited(world: dict[str, Any], settings: Any) -> None:
    settings.JIANGXIN_PARK_REQUEST_LIMIT = 2
    client = Client()
    data = {"enterprise_name": "镇江某机械有限公司", "credit_code": CODE, "contact_name": "陈经理",
            "contact_phone": "0511-80000000", "kind": ServiceKind.TRAINING, "need": "培训"}
    assert client.post("/public/park/request/", data).status_code == 200
    assert client.post("/public/park/request/", data).status_code == 200
    third = client.post("/public/park/request/", data)
    assert third.status_code == 400 and "提交过于频繁" in third.content.decode()
    assert ServiceRequest.objects.count() == 2


def test_public_request_missing_fields_in_chinese(world: dict[str, Any]) -> None:
    response = Client().post("/public/park/request/", {"kind": ServiceKind.TRAINING})
    text = response.content.decode()
    assert response.status_code == 400
    assert "请填写企业名称" in text and "请描述服务需求" in text and "请填写统一社会信用代码" in text


def test_office_admits_through_the_form_and_a_studio_reports_with_evidence(world: dict[str, Any], client_for: Any,
                                                                          settings: Any, tmp_path: Any) -> None:
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from fixtures_apps import pdf_bytes

    from jiangxin.platform.orgs.models import Category, Level, Organisation
    from jiangxin.platform.park.models import DataReport, Residency, Room

    settings.MEDIA_ROOT = tmp_path
    studio = Organisation(name="丙精工有限公司", level=Level.MEMBER, category=Category.ENTERPRISE,
                          jurisdiction=world["a"].studio_org.jurisdiction, parent=world["a"].studio_org.parent)
    studio.save()
    room = Room.objects.create(building="B栋", number="301", area=Decimal("96.00"))
    office = client_for(world["office"])
    fake = office.post("/park/admit/", {"studio_org": studio.pk, "name": "丙工作室", "agreement_no": "ZJ-V-3",
                                        "signed_on": "2025-03-01", "admission_date": "2025-03-10",
                                        "rooms": [room.pk],
                                        "agreement_file": SimpleUploadedFile("协议.pdf", b"not a pdf")})
    assert fake.status_code == 400 and "文件内容不是可接受的格式" in fake.content.decode()
    assert not Residency.objects.filter(agreement_no="ZJ-V-3").exists()
    done = office.post("/park/admit/", {"studio_org": studio.pk, "name": "丙工作室", "agreement_no": "ZJ-V-3",
                                        "signed_on": "2025-03-01", "admission_date": "2025-03-10",
                                        "rooms": [room.pk],
                                        "agreement_file": SimpleUploadedFile("协议.pdf", pdf_bytes())})
    assert done.status_code == 302
    residency = Residency.objects.get(agreement_no="ZJ-V-3")
    assert residency.rent_free_until == dt.date(2027, 3, 9) and residency.agreement_file

    studio_a = client_for(world["studio_a"])
    missing_level = studio_a.post(f"/park/{world['a'].pk}/report/", {
        "year": 2025, "kind": "media", "title": "省电视台报道", "count": 1,
        "evidence": SimpleUploadedFile("报道.pdf", pdf_bytes())})
    assert missing_level.status_code == 400 and "须注明级别" in missing_level.content.decode()
    ok = studio_a.post(f"/park/{world['a'].pk}/report/", {
        "year": 2025, "kind": "media", "title": "省电视台报道", "count": 1, "level": "省级",
        "evidence": SimpleUploadedFile("报道.pdf", pdf_bytes())})
    assert ok.status_code == 302
    assert DataReport.objects.get().evidence_type == "pdf"
    assert services.entries_for(world["a"], 2025)["media_reports"] == {"省级": 1}
    assert client_for(world["studio_b"]).get(f"/park/{world['a'].pk}/report/").status_code == 404
