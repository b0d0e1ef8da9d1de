"""Helpers for the review tests: a small org tree per jurisdiction, rounds, submitted applications,
stubbed panel results (the panels app is tested on its own) and a closed publicity window."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.applications.models import Application, Status
from jiangxin.platform.core.transitions import within
from jiangxin.platform.orgs.models import Category, Jurisdiction, Level, Organisation
from jiangxin.platform.review.models import Case
from jiangxin.platform.rounds.models import Program, Round, RoundStatus
from jiangxin.platform.rounds.services import sync_programs

PASSWORD = "Correct-Horse-42"


def org(name: str, level: str, category: str, jurisdiction: str, parent: Organisation | None = None) -> Organisation:
    o = Organisation(name=name, level=level, category=category, jurisdiction=jurisdiction, parent=parent)
    o.save()
    return o


def user(role: str, organisation: Organisation | None, username: str, person: Any = None) -> User:
    u = User(username=username, role=role, organisation=organisation, must_change_password=False, person=person)
    u.set_password(PASSWORD)
    u.save()
    return u


@dataclasses.dataclass
class World:
    program: str
    round: Round
    authority: Organisation
    districts: list[Organisation]
    units: list[Organisation]
    office: User
    district_users: list[User]
    applicants: list[User]


TREES = {
    "nanchang_academy": (Jurisdiction.NANCHANG, "南昌市总工会", Category.UNION, ["东湖区总工会", "西湖区总工会"]),
    "nanchang_studio": (Jurisdiction.NANCHANG, "南昌市总工会", Category.UNION, ["东湖区总工会", "西湖区总工会"]),
    "zhenjiang_park": (Jurisdiction.ZHENJIANG, "镇江市人力资源和社会保障局", Category.HR_BUREAU, ["镇江技能大师产业创新园管理办公室"]),
    "ganzhou_craftsman": (Jurisdiction.GANZHOU, "赣州市人力资源和社会保障局", Category.HR_BUREAU,
                          ["章贡区人力资源和社会保障局", "南康区人力资源和社会保障局"]),
    "jiangsu_technician": (Jurisdiction.JIANGSU, "江苏省人力资源和社会保障厅", Category.HR_BUREAU,
                           ["南京市人力资源和社会保障局", "苏州市人力资源和社会保障局"]),
}


def world(program: str, n: int = 2, *, year: int = 2025, quota: int | None = None,
          office_parameters: dict[str, Any] | None = None) -> World:
    sync_programs()
    jur, top, cat, district_names = TREES[program]
    authority = org(top, Level.AUTHORITY, cat, jur)
    districts = [org(d, Level.DISTRICT, cat if program != "zhenjiang_park" else Category.PARK, jur, authority)
                 for d in district_names]
    office = user(Role.OFFICE, authority, f"office_{program}")
    district_users = [user(Role.DISTRICT, d, f"district_{program}_{i}") for i, d in enumerate(districts)]
    rnd = Round.objects.create(program=Program.objects.get(key=program), year=year, title=f"{year}年{program}",
                               organiser=authority, opens=dt.date(year, 1, 1), closes=dt.date(year, 3, 31),
                               quota=quota, status=RoundStatus.CLOSED, office_parameters=office_parameters or {})
    return World(program, rnd, authority, districts, [], office, district_users, [])


def submit(w: World, title: str, *, district: int = 0, facts: dict[str, Any] | None = None) -> Application:
    """An application as the applications app leaves it after a successful submit (the review app opens
    the case from its post-save hook)."""
    individual = w.program in ("ganzhou_craftsman", "jiangsu_technician")
    i = len(w.applicants)
    parent = w.districts[district]
    person = None
    if individual:
        applicant_org = parent
        person = _person(f"申报人{i}", i)
        u = user(Role.INDIVIDUAL, None, f"person_{w.program}_{i}", person=person)
    else:
        applicant_org = org(f"{title}单位", Level.MEMBER, Category.ENTERPRISE, parent.jurisdiction, parent)
        w.units.append(applicant_org)
        u = user(Role.UNIT, applicant_org, f"unit_{w.program}_{i}")
    w.applicants.append(u)
    app = Application.objects.create(round=w.round, kind="individual" if individual else "unit", title=title,
                                     applicant_org=applicant_org, applicant_person=person, applicant_user=u,
                                     facts=facts or {},
                                     status=Status.DRAFT)
    app.status = Status.SUBMITTED
    app.eligibility = {"status": "eligible", "failures": [], "trace": []}
    with within("applications.submit"):  # the state the registered submit leaves (tests may run in "raise" mode)
        app.save()
    return app


def _person(name: str, i: int) -> Any:
    from jiangxin.platform.people.services import register_person

    first17 = f"36070219800101{i:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]
    sex = "male" if int(first17[-1]) % 2 else "female"
    return register_person(name=name, id_number=first17 + check, sex=sex, birth_date=dt.date(1980, 1, 1))


def case(app: Application) -> Case:
    return Case.objects.get(application=app)


def fake_panel(monkeypatch: Any, scores: dict[int, tuple[str, bool]]) -> None:
    """panels.services.panel_result → a complete result with the given (total, vetoed) per application id."""
    from jiangxin.platform.panels import services as panels

    def result(application: Application, *, stage_key: str | None = None) -> Any:
        if application.pk not in scores:
            return None
        total, vetoed = scores[application.pk]
        return panels.PanelResult(Decimal(total), vetoed, {}, 3, "mean", True,
                                  {"method": "mean", "experts": 3, "total": total})

    monkeypatch.setattr(panels, "panel_result", result)


def read(name: str) -> dict[str, Any]:
    import json
    from pathlib import Path

    import jiangxin.programs as programs

    path = Path(programs.__file__).parent / name
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data.get("facts", data) if "facts" in data and isinstance(data["facts"], dict) else data
