"""Fixtures for the panels tests (PANELS helper): a Nanchang tree, an academy round with two submitted
applications, office staff, five independent experts and three with conflicts."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.applications.models import Application
from jiangxin.platform.orgs.models import Category, Jurisdiction, Level, Organisation
from jiangxin.platform.panels import services
from jiangxin.platform.panels.models import Panel, ScoreSheet
from jiangxin.platform.panels.rubrics import parse_post
from jiangxin.platform.rounds import services as round_services
from jiangxin.platform.rounds.models import Program, Round

PASSWORD = "Correct-Horse-42"
EXAMPLE = Path(__file__).resolve().parents[2] / "src/jiangxin/programs/nanchang_academy/examples/naming_score.json"


def academy_entries(**changes: Any) -> dict[str, Any]:
    """The academy example's 附件1 entries (scores 86 by the policy scorer)."""
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data.pop("as_of")
    data.update(changes)
    return data


@dataclass
class PanelWorld:
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    round: Round | None = None
    gz_round: Round | None = None
    apps: dict[str, Application] = field(default_factory=dict)

    def client(self, name: str) -> Client:
        c = Client()
        c.force_login(self.users[name])
        return c

    def panel(self, *, rubric_key: str = "", aggregation: str = "mean", stage_key: str = "central_review",
              experts: tuple[str, ...] = ("e1", "e2", "e3"), apps: tuple[str, ...] = ("a",), **kw: Any) -> Panel:
        assert self.round is not None
        panel = services.create_panel(self.users["office"], self.round, stage_key=stage_key, title="现场评审专家组",
                                      rubric_key=rubric_key, aggregation=aggregation, **kw)
        services.add_experts(self.users["office"], panel, [self.users[e] for e in experts])
        services.assign_applications(self.users["office"], panel, [self.apps[a] for a in apps])
        return panel

    def sheet(self, panel: Panel, expert: str, app: str = "a") -> ScoreSheet:
        return ScoreSheet.objects.select_related("member__panel__round__program").get(
            member__panel=panel, member__expert=self.users[expert], application=self.apps[app])

    def score_manual(self, panel: Panel, expert: str, value: str, *, app: str = "a", sign: bool = True) -> ScoreSheet:
        """Declare no conflict, enter the overall score, submit and (optionally) sign."""
        sheet = self.sheet(panel, expert, app)
        user = self.users[expert]
        services.declare(user, sheet, conflict=False)
        rubric = services.panel_rubric(panel)
        services.save_entries(user, sheet, parse_post(rubric, {"i__overall": value, "note__overall": "意见"}))
        services.submit_sheet(user, sheet)
        if sign:
            services.sign_sheet(user, sheet)
        sheet.refresh_from_db()
        return sheet

    def score_entries(self, panel: Panel, expert: str, entries: dict[str, Any], *, app: str = "a",
                      sign: bool = True) -> ScoreSheet:
        sheet = self.sheet(panel, expert, app)
        user = self.users[expert]
        services.declare(user, sheet, conflict=False)
        rubric = services.panel_rubric(panel)
        parsed = parse_post(rubric, {})
        parsed.entries, parsed.missing = entries, []
        services.save_entries(user, sheet, parsed)
        services.submit_sheet(user, sheet)
        if sign:
            services.sign_sheet(user, sheet)
        sheet.refresh_from_db()
        return sheet


def _org(name: str, level: str, category: str, parent: Organisation | None = None,
         jurisdiction: str = Jurisdiction.NANCHANG) -> Organisation:
    o = Organisation(name=name, level=level, category=category, jurisdiction=jurisdiction, parent=parent)
    o.save()
    return o


def make_user(username: str, role: str, org: Organisation | None = None, **fields: Any) -> User:
    user = User(username=username, role=role, organisation=org, must_change_password=False,
                display_name=fields.pop("display_name", username), **fields)
    user.set_password(PASSWORD)
    user.save()
    return user


def build_world() -> PanelWorld:
    round_services.sync_programs()
    w = PanelWorld()
    nc = _org("南昌市总工会", Level.AUTHORITY, Category.UNION)
    donghu = _org("东湖区总工会", Level.DISTRICT, Category.UNION, nc)
    xihu = _org("西湖区总工会", Level.DISTRICT, Category.UNION, nc)
    unit_a = _org("东湖精工有限公司", Level.MEMBER, Category.ENTERPRISE, donghu)
    unit_c = _org("东湖电子有限公司", Level.MEMBER, Category.ENTERPRISE, donghu)
    unit_b = _org("西湖机电有限公司", Level.MEMBER, Category.ENTERPRISE, xihu)
    college = _org("南昌职业大学", Level.MEMBER, Category.COLLEGE, nc)
    gz = _org("赣州市人力资源和社会保障局", Level.AUTHORITY, Category.HR_BUREAU, jurisdiction=Jurisdiction.GANZHOU)
    w.orgs.update(nc=nc, donghu=donghu, xihu=xihu, unit_a=unit_a, unit_b=unit_b, unit_c=unit_c, college=college,
                  gz=gz)
    w.users["office"] = make_user("office", Role.OFFICE, nc)
    w.users["office_gz"] = make_user("office_gz", Role.OFFICE, gz)
    w.users["district"] = make_user("district", Role.DISTRICT, donghu)
    w.users["unit"] = make_user("unit", Role.UNIT, unit_a)
    w.users["unit_b"] = make_user("unit_b", Role.UNIT, unit_b)
    w.users["finance"] = make_user("finance", Role.FINANCE, nc)
    for i in range(1, 7):
        w.users[f"e{i}"] = make_user(f"e{i}", Role.EXPERT, college, display_name=f"专家{i}")
    w.users["e_same"] = make_user("e_same", Role.EXPERT, unit_a, display_name="同单位专家")
    w.users["e_district"] = make_user("e_district", Role.EXPERT, unit_c, display_name="同区专家")
    w.users["outsider"] = make_user("outsider", Role.EXPERT, college, display_name="未分配专家")
    today = timezone.localdate()
    program = Program.objects.get(key="nanchang_academy")
    w.round = round_services.create_round(w.users["office"], program, year=today.year, title="工匠学院命名批次",
                                          opens=today - dt.timedelta(days=30), closes=today - dt.timedelta(days=1))
    w.gz_round = round_services.create_round(w.users["office_gz"], Program.objects.get(key="ganzhou_craftsman"),
                                             year=today.year, title="赣州工匠批次", opens=today,
                                             closes=today + dt.timedelta(days=10))
    for key, org, user in (("a", unit_a, "unit"), ("b", unit_b, "unit_b")):
        w.apps[key] = Application.objects.create(round=w.round, kind="unit", title=f"{org}工匠学院",
                                                 applicant_org=org, applicant_user=w.users[user], status="submitted",
                                                 details={"academy_name": f"{org}工匠学院", "host": str(org)})
    return w


@pytest.fixture
def pw(db: None) -> PanelWorld:
    return build_world()


D = Decimal
