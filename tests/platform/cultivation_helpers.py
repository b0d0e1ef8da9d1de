"""A ready-made Jiangsu cultivation year for the cultivation tests (SETUP helper; shared by all three parts).

``make_year(n_a=10, n_b=10, year=2026)`` builds, through the ORM and ``people.services.register_person`` only:

- the province tree: 江苏省人社厅 (root) → 南京市人社局 (the city) and 苏州市人社局 (another city);
- users: ``office`` (province office), ``lead`` (DISTRICT user of 南京市人社局, the year's CityLead),
  ``city_staff`` (another 南京 bureau user who is not the lead), ``unit_user`` (TRAINING_UNIT of the unit),
  ``other_unit_user`` (TRAINING_UNIT of a unit in 苏州), ``trainee_user`` (TRAINEE linked to the first A
  trainee's person), ``employer_user`` (UNIT of the trainees' employer);
- ``unit`` (承训单位 in 南京) with two published majors ``majors`` (the A trainees chose the first, the B
  trainees the second), ``other_unit`` (承训单位 in 苏州) with one published major ``other_major``;
- ``mentor`` (副高级 title, qualified under 第十六条) assigned to every trainee;
- ``enrolments_a`` / ``enrolments_b``: ENROLLED enrolments, each with person, employer, home city 南京 and a
  ``jiangsu_technician`` cohort designation;
- ``plan``: the unit's APPROVED TrainingPlan (200 hours, 20 credits) whose sessions (opening, theory, practice,
  comprehensive) pass ``training_plan_check``: inside the first three quarters, span under five months,
  theory:practice 80:120.

All users have the password ``conftest.PASSWORD``. Call it inside a ``django_db`` test.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from stdnum.cn import ric

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.cultivation.models import (
    CatalogueCategory,
    CityLead,
    CultivationYear,
    Delivery,
    Enrolment,
    EnrolmentStatus,
    Major,
    Mentor,
    PlanSession,
    PlanStatus,
    SessionKind,
    SessionRole,
    Title,
    TrainingPlan,
    YearStatus,
)
from jiangxin.platform.designations.models import Designation, Kind
from jiangxin.platform.orgs.models import Category, Jurisdiction, Level, Organisation

PASSWORD = "Correct-Horse-42"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"

_counter = itertools.count(1)


@dataclass
class Year:
    year: CultivationYear
    province: Organisation
    city: Organisation
    other_city: Organisation
    unit: Organisation
    other_unit: Organisation
    employer: Organisation
    office: User
    lead: User
    city_staff: User
    unit_user: User
    other_unit_user: User
    trainee_user: User
    employer_user: User
    majors: list[Major]
    other_major: Major
    mentor: Mentor
    enrolments_a: list[Enrolment]
    enrolments_b: list[Enrolment]
    plan: TrainingPlan
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def enrolments(self) -> list[Enrolment]:
        return [*self.enrolments_a, *self.enrolments_b]


def resident_id(region: str, birth: dt.date, seq: int, male: bool) -> str:
    """A valid resident ID number; odd sequence = male."""
    seq = (seq % 500) * 2 + (1 if male else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


def make_org(name: str, level: str, category: str, parent: Organisation | None = None,
             jurisdiction: str = Jurisdiction.JIANGSU, region: str = "") -> Organisation:
    org = Organisation(name=name, level=level, category=category, jurisdiction=jurisdiction, parent=parent,
                       region=region)
    org.save()
    return org


def make_user(role: str, org: Organisation | None, username: str | None = None, person: Any = None) -> User:
    user = User(username=username or f"cy_{role}_{next(_counter)}", role=role, organisation=org, person=person,
                must_change_password=False)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_person(n: int, employer: Organisation, *, male: bool = True, birth: dt.date | None = None,
                region: str = "320102", skill_level: str = "senior_technician") -> Any:
    from jiangxin.platform.people.services import register_person

    birth = birth or dt.date(1975 + n % 15, 1 + n % 12, 1 + n % 28)
    name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)] + GIVEN[(n * 3 + 1) % len(GIVEN)]
    return register_person(name=name, id_number=resident_id(region, birth, n, male), employer=employer,
                           skill_level=skill_level, skill_occupation="焊工",
                           original_retirement_age=60 if male else 55)


def make_designation(person: Any, scope_org: Organisation, year: int, track: str, n: int) -> Designation:
    return Designation.objects.create(
        program="jiangsu_technician", kind=Kind.COHORT, name=f"卓越技师培育对象（{track}类）", holder_person=person,
        scope_org=scope_org, year=year, designated_on=dt.date(year, 1, 15),
        certificate_no=f"JS{year}-{track}-{n:04d}-{next(_counter)}", ends_on=dt.date(year + 1, 12, 31))


def plan_sessions(year: int) -> list[dict[str, Any]]:
    """A plan that passes training_plan_check: 2 Mar → 22 Jul, theory 80 h : practice 120 h."""
    d = dt.date
    return [
        {"key": "S01", "title": "开班仪式", "kind": SessionKind.THEORY, "role": SessionRole.OPENING,
         "delivery": Delivery.ONSITE, "start": d(year, 3, 2), "end": d(year, 3, 2), "hours": "8", "credits": "1"},
        {"key": "S02", "title": "前沿理论专题", "kind": SessionKind.THEORY, "role": SessionRole.REGULAR,
         "delivery": Delivery.BLENDED, "start": d(year, 3, 9), "end": d(year, 5, 15), "hours": "64",
         "credits": "7"},
        {"key": "S03", "title": "技术攻关实训", "kind": SessionKind.PRACTICE, "role": SessionRole.REGULAR,
         "delivery": Delivery.ONSITE, "start": d(year, 4, 1), "end": d(year, 7, 20), "hours": "120",
         "credits": "11"},
        {"key": "S04", "title": "综合培训", "kind": SessionKind.THEORY, "role": SessionRole.COMPREHENSIVE,
         "delivery": Delivery.ONSITE, "start": d(year, 7, 21), "end": d(year, 7, 22), "hours": "8",
         "credits": "1"},
    ]


def plan_check_outcome(plan: TrainingPlan, local: int, remote: int = 0) -> dict[str, Any]:
    from jiangxin.policy.registry import get_computation

    facts = {"as_of": f"{plan.year.year}-02-15", "plan_year": plan.year.year, "local_trainees": local,
             "remote_trainees": remote,
             "sessions": [{"key": s.key, "kind": s.kind, "start": s.start.isoformat(), "end": s.end.isoformat(),
                           "hours": str(s.hours), "delivery": s.delivery} for s in plan.sessions.all()]}
    return get_computation("jiangsu_technician", "training_plan_check").run(facts).to_dict()


def make_year(n_a: int = 10, n_b: int = 10, year: int = 2026, *, plan_status: str = PlanStatus.APPROVED,
              status: str = YearStatus.TRAINING) -> Year:
    tag = next(_counter)
    province = (Organisation.objects.filter(name="江苏省人力资源和社会保障厅", parent=None).first()
                or make_org("江苏省人力资源和社会保障厅", Level.AUTHORITY, Category.HR_BUREAU, region="江苏省"))
    city = make_org(f"南京市人力资源和社会保障局{tag}", Level.DISTRICT, Category.HR_BUREAU, province, region="南京市")
    other_city = make_org(f"苏州市人力资源和社会保障局{tag}", Level.DISTRICT, Category.HR_BUREAU, province,
                          region="苏州市")
    unit = make_org(f"南京技师学院{tag}", Level.MEMBER, Category.TRAINING_UNIT, city, region="南京市")
    other_unit = make_org(f"苏州技师学院{tag}", Level.MEMBER, Category.TRAINING_UNIT, other_city, region="苏州市")
    employer = make_org(f"南京长江船舶重工有限公司{tag}", Level.MEMBER, Category.ENTERPRISE, city, region="南京市")

    office = make_user(Role.OFFICE, province)
    lead = make_user(Role.DISTRICT, city)
    city_staff = make_user(Role.DISTRICT, city)
    unit_user = make_user(Role.TRAINING_UNIT, unit)
    other_unit_user = make_user(Role.TRAINING_UNIT, other_unit)
    employer_user = make_user(Role.UNIT, employer)

    cy = CultivationYear.objects.create(year=year, status=status, choice_closes_on=dt.date(year, 2, 20),
                                        report_due_on=dt.date(year, 10, 31), opened_by=office)
    CityLead.objects.create(year=cy, city_bureau=city, user=lead)

    majors = [
        Major.objects.create(year=cy, training_unit=unit, category=CatalogueCategory.MACHINERY, name="焊接技术",
                             code="0402", capacity=max(n_a, 1) + 5, description="焊接工艺与质量控制",
                             published=True),
        Major.objects.create(year=cy, training_unit=unit, category=CatalogueCategory.ELECTRICAL,
                             name="电气自动化", code="0503", capacity=max(n_b, 1) + 5,
                             description="自动化产线运维", published=True),
    ]
    other_major = Major.objects.create(year=cy, training_unit=other_unit, category=CatalogueCategory.MACHINERY,
                                       name="数控加工", code="0401", capacity=20, published=True)
    mentor = Mentor.objects.create(training_unit=unit, name="张教授", title=Title.ASSOCIATE_SENIOR,
                                   skill_level="高级技师", specialty="焊接")

    chosen = dt.datetime(year, 2, 1, 9, 0, tzinfo=dt.UTC)
    enrolments: dict[str, list[Enrolment]] = {"A": [], "B": []}
    for track, count, major in (("A", n_a, majors[0]), ("B", n_b, majors[1])):
        for i in range(count):
            n = tag * 100 + (0 if track == "A" else 50) + i
            person = make_person(n, employer, male=i % 3 != 0)
            designation = make_designation(person, city, year, track, n)
            enrolments[track].append(Enrolment.objects.create(
                year=cy, designation=designation, person=person, track=track, employer=employer, home_city=city,
                major=major, remote=False, chosen_at=chosen, mentor=mentor, status=EnrolmentStatus.ENROLLED))

    trainee_person = enrolments["A"][0].person if enrolments["A"] else None
    trainee_user = make_user(Role.TRAINEE, city, person=trainee_person)

    plan = TrainingPlan.objects.create(year=cy, training_unit=unit, hours_required=Decimal("200"),
                                       credits_required=Decimal("20"), status=plan_status,
                                       decided_by=lead if plan_status == PlanStatus.APPROVED else None)
    for s in plan_sessions(year):
        PlanSession.objects.create(plan=plan, key=s["key"], title=s["title"], kind=s["kind"], role=s["role"],
                                   delivery=s["delivery"], start=s["start"], end=s["end"],
                                   hours=Decimal(s["hours"]), credits=Decimal(s["credits"]))
    plan.check_outcome = plan_check_outcome(plan, len(enrolments["A"]) + len(enrolments["B"]))
    plan.save(update_fields=["check_outcome"])

    return Year(year=cy, province=province, city=city, other_city=other_city, unit=unit, other_unit=other_unit,
                employer=employer, office=office, lead=lead, city_staff=city_staff, unit_user=unit_user,
                other_unit_user=other_unit_user, trainee_user=trainee_user, employer_user=employer_user,
                majors=majors, other_major=other_major, mentor=mentor, enrolments_a=enrolments["A"],
                enrolments_b=enrolments["B"], plan=plan)
