"""Leave requests decided by the trainee's own city lead (第十二条), and research reports (第十九条): one per
trainee per year, replaceable until evaluated, PDF/DOCX only; the unit's experts score blind; the mean counts."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from cultivation_helpers import make_user, make_year
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.cultivation import services_training as services
from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.models import CityLead, RequestStatus, ResearchReport
from jiangxin.platform.demo.data import demo_pdf
from jiangxin.platform.notifications.models import Notification

pytestmark = pytest.mark.django_db

PDF = demo_pdf("test")


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return out.getvalue()


@pytest.fixture
def y(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    year = make_year(n_a=2, n_b=1)
    year.year.report_due_on = None
    year.year.save()
    return year


@pytest.fixture
def experts(y: Any) -> list[Any]:
    return [make_user(Role.EXPERT, y.unit, username=f"expert{i}") for i in range(3)]


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _leave(y: Any) -> Any:
    return services.request_leave(y.trainee_user, y.enrolments_a[0], start=dt.date(2026, 4, 1),
                                  end=dt.date(2026, 4, 3), reason="家中有事")


# ---------------------------------------------------------------------------------------------------------
# leave


def test_trainee_requests_leave_and_the_city_lead_is_notified(y: Any) -> None:
    leave = _leave(y)
    assert leave.status == RequestStatus.PENDING
    assert Notification.objects.filter(recipient=y.lead).count() == 1
    assert AuditEvent.objects.filter(action="cultivation.leave_request").exists()
    with pytest.raises(CultivationError, match="重叠"):
        services.request_leave(y.trainee_user, y.enrolments_a[0], start=dt.date(2026, 4, 3),
                               end=dt.date(2026, 4, 5), reason="再请")
    with pytest.raises(CultivationError, match="本人"):
        services.request_leave(y.trainee_user, y.enrolments_a[1], start=dt.date(2026, 5, 1),
                               end=dt.date(2026, 5, 2), reason="代请")
    with pytest.raises(CultivationError, match="早于"):
        services.request_leave(y.trainee_user, y.enrolments_a[0], start=dt.date(2026, 5, 3),
                               end=dt.date(2026, 5, 2), reason="日期反了")


def test_only_the_lead_of_the_trainees_city_decides_and_trainee_and_unit_hear_of_it(y: Any) -> None:
    leave = _leave(y)
    other_lead = make_user(Role.DISTRICT, y.other_city)
    CityLead.objects.create(year=y.year, city_bureau=y.other_city, user=other_lead)
    for outsider in (other_lead, y.city_staff, y.office, y.unit_user):
        with pytest.raises(CultivationError, match="市级负责人"):
            services.decide_leave(outsider, leave, approve=True)
    with pytest.raises(CultivationError, match="审批意见"):
        services.decide_leave(y.lead, leave, approve=False)
    services.decide_leave(y.lead, leave, approve=True, note="同意")
    leave.refresh_from_db()
    assert leave.status == RequestStatus.APPROVED and leave.decided_by == y.lead
    assert Notification.objects.filter(recipient=y.trainee_user).count() == 1
    assert Notification.objects.filter(recipient=y.unit_user).count() == 1
    with pytest.raises(CultivationError, match="已审批"):
        services.decide_leave(y.lead, leave, approve=False, note="改主意")


def test_leave_pages_for_trainee_and_lead(y: Any) -> None:
    trainee = _client(y.trainee_user)
    resp = trainee.post("/cultivation/training/leave/", {"start": "2026-04-01", "end": "2026-04-02",
                                                          "reason": "就医"})
    assert resp.status_code == 302
    leave = y.enrolments_a[0].leave_requests.get()
    lead = _client(y.lead)
    page = lead.get("/cultivation/training/leave/?status=pending").content.decode()
    assert "就医" in page and f"/training/leave/{leave.pk}/decide/" in page
    assert "decide" not in _client(y.city_staff).get("/cultivation/training/leave/").content.decode()
    assert _client(y.city_staff).post(f"/cultivation/training/leave/{leave.pk}/decide/",
                                      {"decision": "approve"}).status_code == 404
    assert lead.post(f"/cultivation/training/leave/{leave.pk}/decide/",
                     {"decision": "reject", "note": "培训关键阶段"}).status_code == 302
    leave.refresh_from_db()
    assert leave.status == RequestStatus.REJECTED
    assert "培训关键阶段" in trainee.get("/cultivation/training/leave/").content.decode()


# ---------------------------------------------------------------------------------------------------------
# research reports


def _submit(y: Any, name: str = "r.pdf", content: bytes = PDF, title: str = "焊接变形控制研究") -> ResearchReport:
    return services.submit_report(y.trainee_user, y.enrolments_a[0], title=title, abstract="摘要",
                                  file=SimpleUploadedFile(name, content))


def test_one_report_a_year_replaceable_until_the_first_evaluation(y: Any, experts: list[Any]) -> None:
    first = _submit(y)
    assert Notification.objects.filter(recipient__in=experts).count() == 3
    second = _submit(y, "r.docx", _docx(), title="改进后的题目")
    assert second.pk == first.pk and ResearchReport.objects.count() == 1
    assert second.title == "改进后的题目" and second.file.name.endswith(".docx")
    services.evaluate_report(experts[0], second, score="80")
    with pytest.raises(CultivationError, match="不能再替换"):
        _submit(y)
    assert AuditEvent.objects.filter(action="cultivation.report_replace").count() == 1


def test_report_file_type_size_due_date_and_owner_are_checked(y: Any, settings: Any) -> None:
    with pytest.raises(CultivationError, match="PDF 或 DOCX"):
        _submit(y, "r.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    with pytest.raises(CultivationError, match="不符"):
        _submit(y, "r.pdf", _docx())
    with pytest.raises(CultivationError):
        _submit(y, "r.exe", b"MZ....")
    settings.JIANGXIN_UPLOAD_MAX_BYTES = 10
    with pytest.raises(CultivationError, match="过大"):
        _submit(y)
    settings.JIANGXIN_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    y.year.report_due_on = dt.date(2020, 1, 1)
    y.year.save()
    with pytest.raises(CultivationError, match="截止"):
        _submit(y)
    y.year.report_due_on = None
    y.year.save()
    with pytest.raises(CultivationError, match="本人"):
        services.submit_report(y.trainee_user, y.enrolments_a[1], title="t", abstract="",
                               file=SimpleUploadedFile("r.pdf", PDF))
    assert not ResearchReport.objects.exists()


def test_experts_score_once_each_and_the_report_score_is_the_mean(y: Any, experts: list[Any]) -> None:
    report = _submit(y)
    services.evaluate_report(experts[0], report, score="80", comment="扎实")
    services.evaluate_report(experts[1], report, score="91")
    report.refresh_from_db()
    assert report.score == Decimal("85.50")
    services.evaluate_report(experts[2], report, score="70")
    report.refresh_from_db()
    assert report.score == Decimal("80.33")
    with pytest.raises(CultivationError, match="重复"):
        services.evaluate_report(experts[0], report, score="99")
    outsider = make_user(Role.EXPERT, y.other_unit)
    with pytest.raises(CultivationError, match="评估专家"):
        services.evaluate_report(outsider, report, score="60")
    with pytest.raises(CultivationError, match="0 至 100"):
        services.evaluate_report(make_user(Role.EXPERT, y.unit), report, score="101")


def test_an_expert_sees_other_scores_only_after_scoring(y: Any, experts: list[Any]) -> None:
    report = _submit(y)
    services.evaluate_report(experts[0], report, score="77", comment="第一位专家的评语")
    second = _client(experts[1])
    listing = second.get("/cultivation/training/reports/").content.decode()
    assert "焊接变形控制研究" in listing and "待评估" in listing
    before = second.get(f"/cultivation/training/reports/{report.pk}/").content.decode()
    assert "77" not in before and "第一位专家的评语" not in before and 'id="blind-note"' in before
    assert second.post(f"/cultivation/training/reports/{report.pk}/", {"score": "83"}).status_code == 302
    after = second.get(f"/cultivation/training/reports/{report.pk}/").content.decode()
    assert "第一位专家的评语" in after and "80.00" in after
    assert second.get(f"/cultivation/training/reports/{report.pk}/file/").status_code == 200
    assert _client(make_user(Role.EXPERT, y.other_unit)).get(
        f"/cultivation/training/reports/{report.pk}/").status_code == 404


def test_trainee_report_page_uploads_and_locks_after_evaluation(y: Any, experts: list[Any]) -> None:
    c = _client(y.trainee_user)
    assert c.get("/cultivation/training/report/").status_code == 200
    bad = c.post("/cultivation/training/report/", {"title": "题目", "abstract": "",
                                                    "file": SimpleUploadedFile("r.txt", b"hello")})
    assert bad.status_code == 400 and "不支持的文件类型" in bad.content.decode()
    ok = c.post("/cultivation/training/report/", {"title": "题目", "abstract": "",
                                                   "file": SimpleUploadedFile("r.pdf", PDF)})
    assert ok.status_code == 302
    report = ResearchReport.objects.get()
    services.evaluate_report(experts[0], report, score="88")
    page = c.get("/cultivation/training/report/").content.decode()
    assert "88.00" in page and 'id="submit-report"' not in page
    # a locked report is refused with the reason and its article (issue 11), not a bare 403
    refused = c.post("/cultivation/training/report/", {"title": "x", "file": SimpleUploadedFile("r.pdf", PDF)})
    assert refused.status_code == 400 and "江苏卓越技师办法 第十九条" in refused.content.decode()
    assert ResearchReport.objects.get().title != "x"
