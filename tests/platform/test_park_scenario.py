"""镇江创新园: admission → a year of presence and fees → failed 附件2 evaluation → rectification (五（四）4) →
exit (五（四）), all through park.services, with real values from the zhenjiang_park computations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.audit.service import verify_chain
from jiangxin.platform.park import services
from jiangxin.platform.park.demo import ensure_park_orgs
from jiangxin.platform.park.models import ReportKind, ResidencyStatus, Room

pytestmark = pytest.mark.django_db

YEAR = 2025
BASE = {"signage": ["有标识"], "development_plan": "有实质内容的规划", "honours_board": ["有展示栏"],
        "equipment": ["设备足以正常运作"], "management_rules": ["已建立"], "leader_duties": ["已建立"],
        "rules_posted": [], "plans_and_logs": ["已建立"], "process_ledger": ["已建立且齐全"],
        "training_apprentices": [], "tech_projects": [], "exchange_events": [], "social_service": [],
        "economic_benefit": "无显著效益"}


@pytest.fixture
def park(make_user: Any) -> dict[str, Any]:
    org, studios = ensure_park_orgs()
    return {"org": org, "studios": studios, "office": make_user(Role.PARK_OFFICE, org),
            "studio_user": make_user(Role.UNIT, studios[0]), "other_user": make_user(Role.UNIT, studios[1])}


class FakeDesignation:
    """Stands in for designations.Designation (only ``pk`` and ``holder_org`` are read)."""

    def __init__(self, pk: int | None, holder_org: Any = None) -> None:
        self.pk, self.holder_org = pk, holder_org


def _admit(park: dict[str, Any], **kw: Any) -> Any:
    room = Room.objects.create(building="A栋", number=kw.pop("number", "101"), area=Decimal("120.50"))
    return services.admit(park["office"], studio_org=park["studios"][0], name="金山焊接技能大师工作室",
                          agreement_no=kw.pop("agreement_no", "ZJ-2024-001"), signed_on=dt.date(2024, 4, 20),
                          admission_date=dt.date(2024, 5, 1), rooms=[room],
                          designation=kw.pop("designation", None))


def test_zhenjiang_4_1_admission_records_agreement_rooms_and_two_year_rent_free_term(park: dict[str, Any]) -> None:
    residency = _admit(park)
    assert residency.rent_free_until == dt.date(2026, 4, 30)
    assert residency.rent_free_outcome["trace"][0]["citation"]["label"].endswith("四（一）")
    assert [str(r) for r in residency.rooms.all()] == ["A栋 101（120.50㎡）"]
    assert AuditEvent.objects.filter(action="park.admit", object_id=str(residency.pk)).exists()
    with pytest.raises(services.ParkError, match="已分配"):
        services.admit(park["office"], studio_org=park["studios"][1], name="另一工作室", agreement_no="ZJ-2",
                       signed_on=dt.date(2024, 5, 1), admission_date=dt.date(2024, 5, 1),
                       rooms=list(residency.rooms.all()))
    with pytest.raises(PermissionDenied):
        services.admit(park["studio_user"], studio_org=park["studios"][0], name="x", agreement_no="ZJ-3",
                       signed_on=dt.date(2024, 5, 1), admission_date=dt.date(2024, 5, 1))


def test_admission_to_exit_scenario(park: dict[str, Any], settings: Any, tmp_path: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from fixtures_apps import pdf_bytes

    settings.MEDIA_ROOT = tmp_path
    office = park["office"]
    residency = _admit(park, designation=FakeDesignation(424242))

    # a year of presence: 4 months short (9, 8, 0 and 7 days → 1 + 2 + 10 + 3 = 16 missing days)
    days = {1: 12, 2: 9, 3: 10, 4: 10, 5: 11, 6: 10, 7: 8, 8: 10, 9: 15, 10: 0, 11: 12, 12: 7}
    for month, d in days.items():
        services.record_presence(office, residency, f"{YEAR}-{month:02d}", d)
    rows, outcome = services.presence_rows(residency, YEAR)
    assert outcome is not None
    short = {r["month"]: (r["missing"], r["deduction"]) for r in rows if r["missing"]}
    assert short == {"2025-02": (1, 2), "2025-07": (2, 4), "2025-10": (10, 20), "2025-12": (3, 6)}
    assert outcome["value"]["missing_days"] == 16
    assert outcome["value"]["points"] == "0"  # 20 − 2 × 16 floors at 0
    assert all(r["citation"].endswith("附件2基础分第2项") for r in rows)
    assert services.presence_months(FakeDesignation(424242), YEAR) == {f"{YEAR}-{m:02d}": d for m, d in days.items()}
    assert services.presence_months(FakeDesignation(None), YEAR) == {}

    # fees: two months underpaid
    for month in range(1, 4):
        services.set_obligation(office, residency, f"{YEAR}-{month:02d}", utilities="280.00", property_fee="135.50")
    services.record_payment(office, residency, f"{YEAR}-01", amount="415.50", paid_on=dt.date(YEAR, 1, 10))
    services.record_payment(office, residency, f"{YEAR}-02", amount="200.00", paid_on=dt.date(YEAR, 2, 10))
    with pytest.raises(services.ParkError, match=r"最多 215\.50"):
        services.record_payment(office, residency, f"{YEAR}-02", amount="300", paid_on=dt.date(YEAR, 2, 11))
    arrears = services.arrears(residency, dt.date(YEAR, 4, 1))
    assert arrears["status"] == "failed"
    assert arrears["value"]["total"] == "631.00"
    assert arrears["value"]["months_in_arrears"] == ["2025-02", "2025-03"]

    # a studio reports results with evidence; they feed the bonus items
    services.submit_report(park["studio_user"], residency, year=YEAR, kind=ReportKind.MEDIA, title="市电视台报道",
                           level="市级", evidence=SimpleUploadedFile("报道.pdf", pdf_bytes()))
    entries = services.evaluation_entries(FakeDesignation(424242), YEAR)
    assert entries["days_on_site"]["2025-10"] == 0
    assert entries["media_reports"] == {"市级": 1}
    assert entries["trainees_certified"] == 0

    # failed evaluation (park office fallback, pass mark 120 set by the office)
    evaluation = services.record_evaluation(office, residency, YEAR, BASE, pass_mark=120)
    assert evaluation.passed is False
    assert evaluation.total == Decimal(evaluation.outcome["value"]["total"])
    assert evaluation.total < 120
    assert evaluation.outcome["value"]["missing_days"] == 16

    # rectification: 3 months from 2026-01-20; re-check after the deadline still below the mark → exit
    rect = services.open_rectification(office, residency, YEAR, notice_date=dt.date(2026, 1, 20), period_months=3)
    residency.refresh_from_db()
    assert residency.status == ResidencyStatus.RECTIFYING
    assert rect.deadline == dt.date(2026, 4, 20)
    rect = services.recheck(office, rect, recheck_date=dt.date(2026, 5, 6), recheck_total="101")
    assert rect.stage == "exit"

    outcome = services.exit_residency(office, residency, on=dt.date(2026, 5, 10))
    residency.refresh_from_db()
    assert residency.status == ResidencyStatus.EXITED
    assert outcome["value"]["grounds"] == ["evaluation_failed_or_fraud"]
    assert [f["citation"]["label"] for f in outcome["failures"]][-1].endswith("五（四）4")
    assert AuditEvent.objects.filter(action="park.exit").count() == 1
    assert verify_chain() == (True, None)
    with pytest.raises(services.ParkError, match="已取消入驻"):
        services.exit_residency(office, residency, on=dt.date(2026, 5, 11), serious_loss=True)


def test_zhenjiang_5_4_no_exit_without_a_ground(park: dict[str, Any]) -> None:
    residency = _admit(park)
    with pytest.raises(services.ParkError, match="不符合取消入驻资格"):
        services.exit_residency(park["office"], residency, on=dt.date(2025, 6, 1), leader_left=True,
                                qualified_successor=True)
    outcome = services.exit_residency(park["office"], residency, on=dt.date(2025, 6, 1), leader_left=True,
                                      qualified_successor=False)
    assert outcome["value"]["grounds"] == ["leader_left_without_successor"]


def test_zhenjiang_4_2_benefits_startup_subsidy_and_priority_flags(park: dict[str, Any]) -> None:
    residency = _admit(park)
    benefit = services.record_benefits(park["office"], residency, as_of=dt.date(2025, 6, 30),
                                       upgraded_to_business=True, outstanding_in=["竞赛指导"],
                                       startup_subsidy_amount="50000")
    assert benefit.startup_subsidy is True
    assert benefit.startup_subsidy_amount == Decimal("50000.00")
    assert benefit.performance_reward is True
    assert benefit.priority_flags["priority_examiner_pool"] is True


def test_rectification_refused_when_the_evaluation_passed(park: dict[str, Any]) -> None:
    residency = _admit(park)
    good = {**BASE, "training_apprentices": ["带徒未出成果"], "tech_projects": ["已开展且有经济效益"],
            "exchange_events": ["已开展至少一次"], "social_service": ["已参加"], "trainees_certified": 120,
            "media_reports": {"市级": 1, "省级": 1}, "achievements": {"省级": 1}, "economic_benefit": "良"}
    for month in range(1, 13):
        services.record_presence(park["office"], residency, f"{YEAR}-{month:02d}", 12)
    evaluation = services.record_evaluation(park["office"], residency, YEAR, good, pass_mark=120)
    assert evaluation.passed is True
    with pytest.raises(services.ParkError, match="无需整改"):
        services.open_rectification(park["office"], residency, YEAR, notice_date=dt.date(2026, 1, 5),
                                    period_months=3)


def test_demo_loads_twice(park: dict[str, Any]) -> None:
    from jiangxin.platform.park.demo import load_park_demo
    from jiangxin.platform.park.models import Residency, ServiceRequest

    first = load_park_demo(dt.date(2026, 3, 1))
    again = load_park_demo(dt.date(2026, 3, 1))
    assert len(first["residencies"]) == 2 and len(again["residencies"]) == 2
    assert Residency.objects.filter(status=ResidencyStatus.RECTIFYING).count() == 1
    assert ServiceRequest.objects.count() == 1
    from django.test import Client

    from jiangxin.platform.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="demo_park_zj"))
    for residency in first["residencies"]:
        page = client.get(f"/park/{residency.pk}/?year=2025")
        assert page.status_code == 200
        assert "评分明细" in page.content.decode()
    assert "限期整改" in page.content.decode()
    req = ServiceRequest.objects.get()
    assert client.get(f"/park/requests/{req.pk}/").status_code == 200
    assert client.get("/public/park/").status_code == 200


def test_zhenjiang_5_4_exit_also_marks_the_designation_exited(park: dict[str, Any]) -> None:
    from jiangxin.platform.designations.services import designate

    designation = designate(program="zhenjiang_park", name="金山焊接技能大师工作室", on=dt.date(2024, 5, 1),
                            actor=park["office"], holder_org=park["studios"][0])
    residency = services.admit(park["office"], studio_org=None, name="金山焊接技能大师工作室",
                               agreement_no="ZJ-D-1", signed_on=dt.date(2024, 4, 20),
                               admission_date=dt.date(2024, 5, 1), designation=designation)
    assert residency.studio_org == park["studios"][0]
    services.record_presence(park["office"], residency, "2025-03", 4)
    assert services.presence_months(designation, 2025) == {"2025-03": 4}
    services.exit_residency(park["office"], residency, on=dt.date(2025, 6, 1), serious_loss=True)
    designation.refresh_from_db()
    assert designation.status == "exited"
    assert designation.status_citation.endswith("五（四）3")
