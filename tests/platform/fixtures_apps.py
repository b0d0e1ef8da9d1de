"""Fixtures for the rounds / applications / api / demo tests (PLATFORM-2)."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.applications import services as app_services
from jiangxin.platform.applications.models import Application
from jiangxin.platform.core.demo_fixtures import credit_code, resident_id
from jiangxin.platform.demo.data import demo_pdf
from jiangxin.platform.orgs.models import Category, Jurisdiction, Level, Organisation
from jiangxin.platform.orgs.seed import seed_org_tree
from jiangxin.platform.people.services import register_person
from jiangxin.platform.rounds import services as round_services
from jiangxin.platform.rounds.models import Program, Round
from jiangxin.policy.registry import get_computation

PASSWORD = "Correct-Horse-42"


@dataclass
class World:
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    rounds: dict[str, Round] = field(default_factory=dict)

    def client(self, name: str) -> Client:
        c = Client()
        c.force_login(self.users[name])
        return c

    def studio_facts(self, **changes: Any) -> dict[str, Any]:
        data = dict(get_computation("nanchang_studio", "eligibility").example)
        data.pop("as_of", None)
        data.update(changes)
        return data

    def studio_application(self, user: str = "unit_a", submit: bool = False, **changes: Any) -> Application:
        u = self.users[user]
        app = app_services.create_application(u, self.rounds["studio"])
        app = app_services.save_draft(u, app, self.studio_facts(**changes), {
            "studio_name": "测试创新工作室", "leader_name": "张三", "introduction": "简介"})
        if submit:
            app = app_services.submit(u, app)
        return app


def _user(username: str, role: str, org: Organisation | None, person: Any = None) -> User:
    user = User(username=username, role=role, organisation=org, person=person, must_change_password=False,
                display_name=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def _member(name: str, parent: Organisation, rng: random.Random, region: str) -> Organisation:
    org = Organisation(name=name, level=Level.MEMBER, category=Category.ENTERPRISE, jurisdiction=parent.jurisdiction,
                       parent=parent, credit_code=credit_code(rng, region))
    org.save()
    return org


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(db: None, media: Any) -> World:
    rng = random.Random(7)
    round_services.sync_programs()
    seed_org_tree()
    w = World()
    get = lambda name, j: Organisation.objects.get(name=name, jurisdiction=j)  # noqa: E731
    nc, gz, js = (get("南昌市总工会", Jurisdiction.NANCHANG), get("赣州市人力资源和社会保障局", Jurisdiction.GANZHOU),
                  get("江苏省人力资源和社会保障厅", Jurisdiction.JIANGSU))
    donghu, xihu = get("东湖区总工会", Jurisdiction.NANCHANG), get("西湖区总工会", Jurisdiction.NANCHANG)
    zhanggong = get("章贡区人力资源和社会保障局", Jurisdiction.GANZHOU)
    nankang = get("南康区人力资源和社会保障局", Jurisdiction.GANZHOU)
    nanjing = get("南京市人力资源和社会保障局", Jurisdiction.JIANGSU)
    park = get("镇江市技能大师产业创新园管理办公室", Jurisdiction.ZHENJIANG)
    unit_a = _member("东湖精工有限公司", donghu, rng, "360102")
    unit_b = _member("西湖机电有限公司", xihu, rng, "360103")
    w.orgs.update(nanchang=nc, ganzhou=gz, jiangsu=js, donghu=donghu, xihu=xihu, unit_a=unit_a, unit_b=unit_b,
                  zhanggong=zhanggong, nankang=nankang, nanjing=nanjing, park=park)
    p1 = register_person(name="李工匠", id_number=resident_id(rng, "360702", dt.date(1983, 3, 15), "male"),
                         skill_level="technician", original_retirement_age=60)
    p2 = register_person(name="王工匠", id_number=resident_id(rng, "360703", dt.date(1985, 6, 1), "male"),
                         skill_level="senior_technician", original_retirement_age=60)
    p3 = register_person(name="赵技师", id_number=resident_id(rng, "320102", dt.date(1978, 5, 12), "female"),
                         skill_level="technician", original_retirement_age=55)
    for name, role, org, person in [
        ("office_nc", Role.OFFICE, nc, None), ("office_gz", Role.OFFICE, gz, None),
        ("office_js", Role.OFFICE, js, None), ("park", Role.PARK_OFFICE, park, None),
        ("district_donghu", Role.DISTRICT, donghu, None), ("district_xihu", Role.DISTRICT, xihu, None),
        ("district_zhanggong", Role.DISTRICT, zhanggong, None), ("expert", Role.EXPERT, nc, None),
        ("unit_a", Role.UNIT, unit_a, None), ("unit_b", Role.UNIT, unit_b, None),
        ("indiv_1", Role.INDIVIDUAL, zhanggong, p1), ("indiv_2", Role.INDIVIDUAL, nankang, p2),
        ("trainee", Role.TRAINEE, nanjing, p3), ("finance", Role.FINANCE, js, None),
        ("sysadmin", Role.SYSTEM_ADMIN, None, None), ("auditadmin", Role.AUDIT_ADMIN, None, None),
    ]:
        w.users[name] = _user(name, role, org, person)
    today = timezone.localdate()
    programs = {p.key: p for p in Program.objects.all()}
    for key, program, user, params in [
        ("studio", "nanchang_studio", "office_nc", {"naming_annual_quota": 10, "naming_shortlist_mark": 80}),
        ("ganzhou", "ganzhou_craftsman", "office_gz", {}),
        ("jiangsu", "jiangsu_technician", "office_js", {}),
    ]:
        rnd = round_services.create_round(w.users[user], programs[program], year=today.year, title=f"{key} 批次",
                                          opens=today - dt.timedelta(days=5), closes=today + dt.timedelta(days=30),
                                          notice_reference="示例通知", office_parameters=params)
        w.rounds[key] = round_services.open_round(w.users[user], rnd)
    w.rounds["studio_draft"] = round_services.create_round(
        w.users["office_nc"], programs["nanchang_studio"], year=today.year + 1, title="下一年草稿批次",
        opens=today + dt.timedelta(days=100), closes=today + dt.timedelta(days=130))
    return w


def pdf_bytes() -> bytes:
    return demo_pdf("test")


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes() -> bytes:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


def jsonbody(response: Any) -> Any:
    return json.loads(response.content.decode("utf-8"))
