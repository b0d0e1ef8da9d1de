"""Demo designations for the demo's named units and a year of work/fund ledger records.

Call :func:`load_designations_demo` after ``demo.data`` has built its story (it looks units, people and
users up by the demo's names; anything missing is skipped). Running it twice changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.designations.models import Designation, DesignationStatus
from jiangxin.platform.designations.services import designate, set_status
from jiangxin.platform.orgs.models import Organisation
from jiangxin.policy.outcome import cite

YEAR = 2026


def _org(name: str) -> Organisation | None:
    return Organisation.objects.filter(name=name).first()


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _holder_user(org: Organisation, username: str) -> User:
    """The unit's login (created with the demo password when the demo has none for it)."""
    existing = User.objects.filter(organisation=org, role=Role.UNIT).order_by("pk").first()
    if existing is not None:
        return existing
    from jiangxin.platform.accounts.services import create_user
    from jiangxin.platform.core.demo_fixtures import DEMO_PASSWORD

    user, _ = create_user(username=username, role=Role.UNIT, organisation=org, display_name=f"{org.name[:8]} 联络员",
                          password=DEMO_PASSWORD)
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    return user


def _pdf(title: str) -> SimpleUploadedFile:
    from jiangxin.platform.core.demo_fixtures import demo_pdf

    return SimpleUploadedFile(title, demo_pdf(title))


def load_designations_demo(say: Any = None) -> list[Designation]:
    """Designations for the named demo units (one per program, plus a revoked and an exited one)."""
    say = say or (lambda text: None)
    if Designation.objects.filter(certificate_no__startswith="NCGJXY-2025-").exists():
        say("命名演示数据已存在，未做任何改动。\n")
        return []
    made: list[Designation] = []
    with transaction.atomic():
        nc, zj, park, gz, js = (_user(u) for u in ("demo_office_nc", "demo_office_zj", "demo_park_zj",
                                                   "demo_office_gz", "demo_office_js"))
        college, studio_unit, other_unit = (_org(n) for n in ("南昌东湖职业技术学院", "南昌赣江精密机械有限公司",
                                                               "南昌洪都智能装备有限公司"))
        jinshan, beigu = _org("镇江金山焊接技术有限公司"), _org("镇江北固精工有限公司")
        if nc and college:
            academy = designate(program="nanchang_academy", name="南昌东湖职业技术学院工匠学院",
                                on=dt.date(2025, 12, 20), actor=nc, holder_org=college, reason="命名（演示）")
            made.append(academy)
            _academy_ledger(academy, _holder_user(college, "demo_unit_academy"))
        if nc and other_unit:
            revoked = designate(program="nanchang_academy", name="南昌洪都智能装备工匠学院", on=dt.date(2025, 12, 20),
                                actor=nc, holder_org=other_unit, reason="命名（演示）")
            art24 = cite("nanchang_academy", "第二十四条").label
            set_status(revoked, DesignationStatus.YELLOW_CARD, reason="年度考核不合格（演示）", citation=art24,
                       actor=nc, on=dt.date(2026, 3, 1))
            made.append(set_status(revoked, DesignationStatus.REVOKED, reason="连续两年考核不合格（演示）",
                                   citation=art24, actor=nc, on=dt.date(2026, 11, 1)))
        if nc and studio_unit:
            leader = studio_unit.people.order_by("pk").first()
            made.append(designate(program="nanchang_studio", name="赣江精密焊接创新工作室", on=dt.date(2025, 12, 25),
                                  actor=nc, holder_org=studio_unit, leader_person=leader, reason="命名（演示）"))
        park_actor = park or zj
        if park_actor and jinshan:
            studio = designate(program="zhenjiang_park", name="金山焊接技能大师工作室", on=dt.date(2025, 5, 1),
                               actor=park_actor, holder_org=jinshan, reason="入驻（演示）")
            made.append(studio)
            _park_ledger(studio, _holder_user(jinshan, "demo_unit_zj"))
        if park_actor and beigu:
            from jiangxin.policy.registry import get_computation

            gone = designate(program="zhenjiang_park", name="北固精工钳工工作室", on=dt.date(2024, 3, 1),
                             actor=park_actor, holder_org=beigu, reason="入驻（演示）")
            exit_label = get_computation("zhenjiang_park", "exit_grounds").citation.label
            made.append(set_status(gone, DesignationStatus.EXITED, reason="整改期满仍未达标，退出园区（演示）",
                                   citation=exit_label, actor=park_actor, on=dt.date(2026, 6, 30)))
        gz_user = _user("demo_individual_gz")
        if gz and gz_user and gz_user.person:
            made.append(designate(program="ganzhou_craftsman", name=f"赣州工匠 {gz_user.person.name}",
                                  on=dt.date(2025, 12, 20), actor=gz, holder_person=gz_user.person,
                                  scope_org=gz_user.organisation, leader_person=gz_user.person,
                                  reason="确定为赣州工匠（演示）"))
        js_user = _user("demo_trainee_js")
        if js and js_user and js_user.person:
            made.append(designate(program="jiangsu_technician", name=f"卓越技师培育对象 {js_user.person.name}",
                                  on=dt.date(2026, 6, 1), actor=js, holder_person=js_user.person,
                                  scope_org=js_user.organisation, reason="入选培育计划（演示）"))
    say(f"命名：{len(made)} 个（含撤销、退出各 1 个）\n")
    return made


def _academy_ledger(d: Designation, unit: User) -> None:
    from jiangxin.platform.worklog import services as w

    rows: list[dict[str, Any]] = [
        {"kind": "training", "date": dt.date(YEAR, 3, 15), "title": "数控车工技能提升班（第一期）",
         "sessions": 1, "participants": 120},
        {"kind": "training", "date": dt.date(YEAR, 6, 10), "title": "焊工技能提升班（第二期）",
         "sessions": 1, "participants": 110},
        {"kind": "training", "date": dt.date(YEAR, 9, 20), "title": "电工技能提升班（第三期）",
         "sessions": 1, "participants": 130},
        {"kind": "public_welfare", "date": dt.date(YEAR, 4, 20), "title": "农民工免费技能培训",
         "sessions": 2, "participants": 160},
        {"kind": "contest_hosted", "date": dt.date(YEAR, 5, 1), "title": "洪工杯数控技能竞赛",
         "level": "city", "contest_class": "hong_gong_cup"},
        {"kind": "contest_entered", "date": dt.date(YEAR, 7, 8), "title": "江西省焊工职业技能竞赛", "level": "province"},
        {"kind": "contest_entered", "date": dt.date(YEAR, 8, 8), "title": "南昌市电工技能竞赛", "level": "city"},
        {"kind": "contest_judged", "date": dt.date(YEAR, 8, 9), "title": "南昌市电工技能竞赛评委",
         "level": "city", "person_name": "张师傅"},
        {"kind": "placing", "date": dt.date(YEAR, 7, 9), "title": "江西省焊工职业技能竞赛",
         "level": "province", "person_name": "李明", "placing": 2},
        {"kind": "patent", "date": dt.date(YEAR, 10, 12), "title": "一种焊缝检测夹具", "patent_type": "utility"},
        {"kind": "award", "date": dt.date(YEAR, 11, 2), "title": "市职工创新成果", "level": "city",
         "award_class": "city_innovation_2"},
        {"kind": "problem_solved", "date": dt.date(YEAR, 9, 1), "title": "解决薄板焊接变形难题"},
        {"kind": "media", "date": dt.date(YEAR, 5, 2), "title": "洪工杯竞赛报道", "level": "city"},
        {"kind": "exchange", "date": dt.date(YEAR, 10, 20), "title": "省级专业课程交流", "level": "province"},
    ]
    for i, row in enumerate(rows):
        rec = w.create_record(unit, d, row)
        if i % 3 == 0:
            w.add_evidence(unit, rec, _pdf(f"evidence-{i + 1}.pdf"))
    w.create_fund(unit, d, date=dt.date(YEAR, 2, 1), direction="income", category="subsidy",
                  amount=Decimal("200000.00"), notes="工匠学院建设补助（首期）")
    w.create_fund(unit, d, date=dt.date(YEAR, 3, 15), direction="spending", category="training",
                  amount=Decimal("36500.00"), notes="技能提升班授课及教材")
    w.create_fund(unit, d, date=dt.date(YEAR, 6, 30), direction="spending", category="equipment",
                  amount=Decimal("84200.00"), notes="实训焊机采购")


def _park_ledger(d: Designation, unit: User) -> None:
    from jiangxin.platform.worklog import services as w

    for row in (
        {"kind": "certified", "date": dt.date(YEAR, 6, 30), "title": "上半年带徒取得职业资格证书", "participants": 38},
        {"kind": "certified", "date": dt.date(YEAR, 12, 1), "title": "下半年带徒取得职业资格证书", "participants": 27},
        {"kind": "media", "date": dt.date(YEAR, 4, 18), "title": "江苏电视台专题报道", "level": "province"},
        {"kind": "patent", "date": dt.date(YEAR, 8, 3), "title": "压力容器焊接工装", "patent_type": "invention",
         "level": "city"},
        {"kind": "benefit", "date": dt.date(YEAR, 11, 15), "title": "焊接工艺改进节约成本约120万元"},
        {"kind": "exchange", "date": dt.date(YEAR, 9, 12), "title": "长三角技能大师交流", "level": "province"},
    ):
        rec = w.create_record(unit, d, row)
        w.add_evidence(unit, rec, _pdf(f"park-{rec.pk}.pdf"))
    w.create_fund(unit, d, date=dt.date(YEAR, 1, 10), direction="income", category="self_funded",
                  amount=Decimal("50000.00"), notes="单位配套经费")
    w.create_fund(unit, d, date=dt.date(YEAR, 5, 20), direction="spending", category="materials",
                  amount=Decimal("12800.50"), notes="带徒培训耗材")
