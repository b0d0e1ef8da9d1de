"""Park demo: ``load_park_demo()`` (idempotent). Uses the main demo's park office and Zhenjiang units when
they exist (demo_park_zj, demo_unit_zj, demo_unit_zj2), otherwise creates its own. Admits two studios, fills a
year of presence (with shortfall months) and fees (with arrears), reports, an evaluation that fails, an open
rectification, services in the public catalogue and one enterprise service request."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.orgs.models import Category, Jurisdiction, Level, Organisation

PARK_ORG = "镇江市技能大师产业创新园管理办公室"
STUDIOS = ("镇江金山焊接技术有限公司", "镇江北固精工有限公司")


def _credit_code(first17: str = "91321100MA1N2B3C4") -> str:
    from stdnum.cn import uscc

    return first17 + uscc.calc_check_digit(first17)


def ensure_park_orgs() -> tuple[Organisation, list[Organisation]]:
    park = Organisation.objects.filter(name=PARK_ORG).first()
    if park is None:
        park = Organisation(name=PARK_ORG, level=Level.AUTHORITY, category=Category.PARK,
                            jurisdiction=Jurisdiction.ZHENJIANG)
        park.save()
    studios = []
    for name in STUDIOS:
        org = Organisation.objects.filter(name=name, parent=park).first()
        if org is None:
            org = Organisation(name=name, level=Level.MEMBER, category=Category.ENTERPRISE,
                               jurisdiction=Jurisdiction.ZHENJIANG, parent=park)
            org.save()
        studios.append(org)
    return park, studios


def _user(username: str, role: str, org: Organisation) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        from jiangxin.platform.core.demo_fixtures import DEMO_PASSWORD

        user = User(username=username, role=role, organisation=org, must_change_password=False)
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _designation_of(studio: Organisation) -> Any:
    """The studio's admitted designation from the designations demo, when there is one not yet linked."""
    from django.apps import apps

    from jiangxin.platform.park.models import Residency

    if not apps.is_installed("jiangxin.platform.designations"):
        return None
    model = apps.get_model("designations", "Designation")
    taken = Residency.objects.exclude(designation_id=None).values_list("designation_id", flat=True)
    return model.objects.filter(program="zhenjiang_park", holder_org=studio).exclude(pk__in=list(taken)).first()


@transaction.atomic
def load_park_demo(today: dt.date | None = None) -> dict[str, Any]:
    from jiangxin.platform.park.actions.evaluation import open_rectification, record_evaluation
    from jiangxin.platform.park.actions.offerings import publish_offering
    from jiangxin.platform.park.actions.presence import record_presence
    from jiangxin.platform.park.actions.requests import submit_request
    from jiangxin.platform.park.actions.residency import admit, record_payment, set_obligation
    from jiangxin.platform.park.models import Residency, Room, ServiceKind, ServiceRequest

    today = today or dt.date.today()
    park, studios = ensure_park_orgs()
    office = _user("demo_park_zj", Role.PARK_OFFICE, park)
    _user("demo_unit_zj", Role.UNIT, studios[0])
    _user("demo_unit_zj2", Role.UNIT, studios[1])
    if Residency.objects.filter(agreement_no__startswith="ZJCXY-DEMO-").exists():
        return {"park": park, "residencies": list(Residency.objects.filter(agreement_no__startswith="ZJCXY-DEMO-"))}
    rooms = [Room.objects.get_or_create(building="A栋", number=n, defaults={"area": Decimal(a)})[0]
             for n, a in (("101", "120.00"), ("102", "85.50"), ("201", "150.00"))]
    year = today.year - 1
    admitted = dt.date(year - 1, 5, 1)
    first = admit(office, studio_org=studios[0], name="金山焊接技能大师工作室",
                           agreement_no="ZJCXY-DEMO-001", signed_on=admitted - dt.timedelta(days=10),
                           admission_date=admitted, rooms=rooms[:2], designation=_designation_of(studios[0]))
    second = admit(office, studio_org=studios[1], name="北固精密加工技能大师工作室",
                            agreement_no="ZJCXY-DEMO-002", signed_on=admitted, admission_date=admitted,
                            rooms=rooms[2:], designation=_designation_of(studios[1]))
    days_first = [12, 9, 14, 10, 11, 10, 8, 10, 15, 10, 12, 10]
    days_second = [6, 4, 10, 7, 5, 9, 3, 8, 6, 5, 7, 4]
    for month in range(1, 13):
        key = f"{year}-{month:02d}"
        for residency, days in ((first, days_first), (second, days_second)):
            record_presence(office, residency, key, days[month - 1])
            set_obligation(office, residency, key, utilities="280.00", property_fee="135.50")
            paid = Decimal("415.50") if residency is first or month < 9 else Decimal("200.00")
            record_payment(office, residency, key, amount=paid, paid_on=dt.date(year, month, 10))
    base = {"signage": ["有标识"], "development_plan": "有实质内容的规划", "honours_board": ["有展示栏"],
            "equipment": ["设备足以正常运作"], "management_rules": ["已建立"], "leader_duties": ["已建立"],
            "rules_posted": [], "plans_and_logs": ["已建立"], "process_ledger": ["已建立且齐全"],
            "training_apprentices": ["带徒未出成果"], "tech_projects": ["已开展且有经济效益"],
            "exchange_events": ["已开展至少一次"], "social_service": ["已参加"],
            "trainees_certified": 120, "media_reports": {"市级": 1, "省级": 1}, "achievements": {"省级": 1},
            "economic_benefit": "良"}
    record_evaluation(office, first, year, base, pass_mark=120)
    weak = {**base, "training_apprentices": [], "tech_projects": [], "exchange_events": [], "social_service": [],
            "trainees_certified": 0, "media_reports": {}, "achievements": {}, "economic_benefit": "无显著效益"}
    record_evaluation(office, second, year, weak, pass_mark=120)
    open_rectification(office, second, year, notice_date=min(today, dt.date(year + 1, 1, 20)),
                                 period_months=3)
    publish_offering(office, first, kind=ServiceKind.GUIDANCE, title="焊接工艺技术指导",
                              description="针对企业焊接质量问题提供现场技术指导和工艺改进方案。")
    publish_offering(office, first, kind=ServiceKind.TRAINING, title="焊工技能提升培训",
                              description="面向企业在职焊工的中高级技能培训，可结合技能等级认定。")
    offering = publish_offering(office, second, kind=ServiceKind.OUTSOURCING, title="精密零件加工外包",
                                         description="承接小批量精密零件加工和生产线工艺优化。")
    if not ServiceRequest.objects.exists():
        submit_request(enterprise_name="镇江示例机械有限公司", credit_code=_credit_code(),
                                contact_name="陈经理", contact_phone="0511-80000000",
                                need="需要对一条小批量加工线做工艺评估。", kind=offering.kind, offering=offering)
    return {"park": park, "residencies": [first, second]}
