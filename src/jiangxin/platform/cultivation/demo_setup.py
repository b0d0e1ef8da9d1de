"""Cultivation-year demo, setup part (idempotent); called by cultivation.demo.load_cultivation_demo().

Opens the 2026 学年 through the services with the main demo's Jiangsu accounts: city leads for 南京
(``demo_lead_js``) and 苏州, a second training unit in 苏州, published majors in both, ten A and ten B
trainees selected for 2026 (synthetic but valid IDs), their choices (two remote), mentors, approved plans, and
the year moved to training. ``demo_trainee_js`` is enrolled but has not chosen, so a visitor can try it.
Skipped when the main demo is absent or the year already exists.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

YEAR = 2026
SEED = 2026_0606
NANJING_UNIT = "南京技师学院（示例承训单位）"
SUZHOU_UNIT = "苏州技师学院（示例承训单位）"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅"
#: (unit, category, name, code, capacity, description)
MAJORS = (
    (NANJING_UNIT, "machinery", "焊接技术", "0405", 12, "高强钢与特种材料焊接工艺、焊接质量控制"),
    (NANJING_UNIT, "electrical", "电气自动化", "0501", 10, "自动化产线运维与电气系统故障诊断"),
    (SUZHOU_UNIT, "machinery", "数控加工", "0401", 10, "多轴数控加工与精度补偿"),
    (SUZHOU_UNIT, "information", "工业机器人应用", "0608", 8, "工业机器人编程与系统集成"),
)
#: (unit, name, title, skill level, specialty)
MENTORS = (
    (NANJING_UNIT, "张建华", "正高级", "", "焊接工艺"),
    (NANJING_UNIT, "刘德明", "无", "高级技师", "焊接操作"),
    (NANJING_UNIT, "陈慧", "副高级", "", "电气控制"),
    (NANJING_UNIT, "周强", "中级", "技师", "电工（未达到指导教师条件，仅作演示）"),
    (SUZHOU_UNIT, "吴国平", "副高级", "", "数控技术"),
    (SUZHOU_UNIT, "孙立", "无", "特级技师", "机器人应用"),
)


def _sessions(year: int) -> list[dict[str, Any]]:
    d = dt.date
    return [
        {"key": "K01", "title": "开班仪式与学习动员", "kind": "theory", "role": "opening", "delivery": "onsite",
         "start": d(year, 3, 2), "end": d(year, 3, 2), "hours": "8", "credits": "1"},
        {"key": "K02", "title": "前沿技术与工艺理论", "kind": "theory", "role": "regular", "delivery": "blended",
         "start": d(year, 3, 9), "end": d(year, 5, 15), "hours": "64", "credits": "7"},
        {"key": "K03", "title": "技术攻关实操实训", "kind": "practice", "role": "regular", "delivery": "onsite",
         "start": d(year, 4, 1), "end": d(year, 7, 17), "hours": "120", "credits": "11"},
        {"key": "K04", "title": "综合培训与交流", "kind": "theory", "role": "comprehensive", "delivery": "onsite",
         "start": d(year, 7, 20), "end": d(year, 7, 21), "hours": "8", "credits": "1"},
    ]


def _user(username: str) -> Any:
    from jiangxin.platform.accounts.models import User

    return User.objects.filter(username=username).first()


def _account(username: str, role: str, org: Any, display: str) -> Any:
    from jiangxin.platform.accounts.services import create_user
    from jiangxin.platform.core.demo_fixtures import DEMO_PASSWORD

    user = _user(username)
    if user is None:
        user, _ = create_user(username=username, role=role, organisation=org, display_name=display,
                              password=DEMO_PASSWORD)
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    return user


def load() -> None:
    from jiangxin.platform.cultivation.models import CultivationYear
    from jiangxin.platform.orgs.models import Jurisdiction, Organisation

    office = _user("demo_office_js")
    trainee_user = _user("demo_trainee_js")
    nanjing_unit = Organisation.objects.filter(name=NANJING_UNIT).first()
    if office is None or nanjing_unit is None or CultivationYear.objects.filter(year=YEAR).exists():
        return None
    js = Organisation.objects.filter(jurisdiction=Jurisdiction.JIANGSU, parent__isnull=True,
                                     name="江苏省人力资源和社会保障厅").first()
    if js is None:
        return None
    with transaction.atomic():
        _build(office, trainee_user, js, nanjing_unit)
    return None


def _build(office: Any, trainee_user: Any, js: Any, nanjing_unit: Any) -> None:
    from jiangxin.platform.accounts.roles import Role
    from jiangxin.platform.core.demo_fixtures import credit_code
    from jiangxin.platform.cultivation.actions.choices import record_choice
    from jiangxin.platform.cultivation.actions.enrolment import enrol, enrol_cohort
    from jiangxin.platform.cultivation.actions.majors import publish_major, save_major
    from jiangxin.platform.cultivation.actions.mentors import assign_mentor, register_mentor
    from jiangxin.platform.cultivation.actions.plans import decide_plan, save_plan, save_session, submit_plan
    from jiangxin.platform.cultivation.actions.year import advance_phase, assign_city_lead, open_year
    from jiangxin.platform.cultivation.common_setup import PROGRAM
    from jiangxin.platform.cultivation.models import Enrolment, TrainingPlan
    from jiangxin.platform.cultivation.selectors.setup import unit_enrolments
    from jiangxin.platform.orgs.models import Category, Level, Organisation
    from jiangxin.platform.orgs.services import create_organisation

    rng = random.Random(SEED)
    today = timezone.localdate()
    nanjing = Organisation.objects.get(parent=js, name="南京市人力资源和社会保障局")
    suzhou = Organisation.objects.get(parent=js, name="苏州市人力资源和社会保障局")
    suzhou_unit = Organisation.objects.filter(name=SUZHOU_UNIT).first() or create_organisation(
        name=SUZHOU_UNIT, level=Level.MEMBER, category=Category.TRAINING_UNIT, jurisdiction=suzhou.jurisdiction,
        parent=suzhou, credit_code=credit_code(rng, "320500"), region="苏州市", contact_name="培训科",
        contact_phone="0512-60000000")
    units = {NANJING_UNIT: nanjing_unit, SUZHOU_UNIT: suzhou_unit}
    unit_users = {NANJING_UNIT: _user("demo_training_js") or _account(
        "demo_training_js", Role.TRAINING_UNIT, nanjing_unit, "承训单位 联络员"),
        SUZHOU_UNIT: _account("demo_training_js2", Role.TRAINING_UNIT, suzhou_unit, "苏州承训单位 联络员")}
    lead_nj = _account("demo_lead_js", Role.DISTRICT, nanjing, "南京市人社局 培育计划市级负责人")
    lead_sz = _account("demo_lead_sz", Role.DISTRICT, suzhou, "苏州市人社局 培育计划市级负责人")

    closes = today + dt.timedelta(days=30)
    year = open_year(office, year=YEAR, choice_closes_on=closes, report_due_on=max(closes, dt.date(YEAR, 12, 31)))
    assign_city_lead(office, year, city_bureau=nanjing, user=lead_nj)
    assign_city_lead(office, year, city_bureau=suzhou, user=lead_sz)

    majors = {}
    for unit_name, category, name, code, capacity, description in MAJORS:
        user = unit_users[unit_name]
        major = save_major(user, year, category=category, name=name, code=code, capacity=capacity,
                             description=description)
        majors[name] = publish_major(user, major)
    mentors: dict[str, list[Any]] = {NANJING_UNIT: [], SUZHOU_UNIT: []}
    for unit_name, name, title, skill, specialty in MENTORS:
        mentor = register_mentor(unit_users[unit_name], name=name, title=title, skill_level=skill,
                                   specialty=specialty)
        if title in ("副高级", "正高级") or skill in ("高级技师", "特级技师", "首席技师"):
            mentors[unit_name].append(mentor)

    people = _cohort(rng, office, nanjing, suzhou)
    result = enrol_cohort(office, year)
    if trainee_user is not None and trainee_user.person is not None and not Enrolment.objects.filter(
            year=year, person=trainee_user.person).exists():
        designation = trainee_user.person.designations.filter(program=PROGRAM).order_by("-year").first()
        enrol(office, year, person=trainee_user.person, track="B", designation=designation)
    # choices: Nanjing trainees mostly locally (two remote in 苏州), 苏州 trainees locally (one in 南京); one of the
    # cohort, like demo_trainee_js, has not chosen yet
    by_person = {e.person_id: e for e in result.created}
    plan_choice = {"A": ["焊接技术", "焊接技术", "电气自动化"], "B": ["电气自动化", "焊接技术", "电气自动化"]}
    for i, (person, track, city) in enumerate(people):
        e = by_person.get(person.pk)
        if e is None or i == len(people) - 1:
            continue
        if city == suzhou:
            name = "焊接技术" if i % 7 == 6 else ("数控加工" if track == "A" else "工业机器人应用")
        elif i in (4, 15):
            name = "数控加工" if track == "A" else "工业机器人应用"
        else:
            name = plan_choice[track][i % 3]
        record_choice(office, e, majors[name])
    for unit_name, unit in units.items():
        user = unit_users[unit_name]
        for i, e in enumerate(unit_enrolments(year, unit).order_by("person__name")):
            mentor = mentors[unit_name][i % len(mentors[unit_name])]
            assign_mentor(user, e, mentor, enterprise_mentor="企业技术骨干 担任企业导师" if i % 4 == 0 else "")
        plan = save_plan(user, year, hours_required=Decimal("200"), credits_required=Decimal("20"))
        for s in _sessions(YEAR):
            save_session(user, plan, {**s, "hours": Decimal(s["hours"]), "credits": Decimal(s["credits"])})
        submit_plan(user, TrainingPlan.objects.get(pk=plan.pk))
        decide_plan(lead_nj if unit_name == NANJING_UNIT else lead_sz, TrainingPlan.objects.get(pk=plan.pk),
                      approve=True, note="安排符合要求，同意实施。")
    advance_phase(office, year)


def _cohort(rng: random.Random, office: Any, nanjing: Any, suzhou: Any) -> list[tuple[Any, str, Any]]:
    """Ten A and ten B trainees selected for the year: persons and their 2026 designations."""
    from jiangxin.platform.core.demo_fixtures import resident_id
    from jiangxin.platform.designations.services import designate
    from jiangxin.platform.orgs.models import Organisation
    from jiangxin.platform.people.services import register_person

    employers = {nanjing.pk: Organisation.objects.filter(parent=nanjing, category="enterprise").first(),
                 suzhou.pk: Organisation.objects.filter(parent=suzhou, category="enterprise").first()}
    out: list[tuple[Any, str, Any]] = []
    for i in range(20):
        track = "A" if i < 10 else "B"
        city = suzhou if i % 10 in (7, 8, 9) else nanjing
        sex = "male" if rng.random() < 0.7 else "female"
        birth = dt.date(rng.randrange(1974, 1990), rng.randrange(1, 13), rng.randrange(1, 29))
        region = "320505" if city == suzhou else rng.choice(["320102", "320104", "320105"])
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        skill = rng.choice(["senior_technician", "senior_technician", "master_technician"])
        person = register_person(name=name, id_number=resident_id(rng, region, birth, sex),
                                 employer=employers[city.pk], skill_level=skill,
                                 skill_occupation=rng.choice(["焊工", "电工", "数控车工", "钳工"]),
                                 original_retirement_age=60 if sex == "male" else 55, actor=office)
        designate(program="jiangsu_technician", name=f"卓越技师培育对象（{track}类） {name}", on=dt.date(YEAR, 1, 15),
                  actor=office, holder_person=person, scope_org=city, reason="入选2026年培育计划（演示）")
        out.append((person, track, city))
    return out
