"""The Zhenjiang collective vote is entered one row per panel member (同意/不同意/弃权/缺席); the
policy core's ``admission_vote`` decides the majority; mistakes come back in Chinese next to the rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from review_helpers import case, fake_panel, read, submit, user, world

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.review import services as rs
from jiangxin.platform.review.models import CaseState

pytestmark = pytest.mark.django_db
AREAS = ("领衔人技艺", "设施设备", "工作经费与制度", "工作规划与项目")


def _at_vote(monkeypatch: Any) -> Any:
    w = world("zhenjiang_park", year=2026)
    facts = read("zhenjiang_park/examples/entry_eligibility.json")
    app = submit(w, "大师工作室", facts=facts)
    c = case(app)
    fake_panel(monkeypatch, {app.pk: ("80", False)})
    rs.review_eligibility(c, actor=w.office, facts=facts)
    rs.record_site_visit(c, actor=w.office, visited_on=dt.date(2026, 5, 1), findings={a: "好" for a in AREAS},
                         passed=True)
    rs.record_panel(c, actor=w.office)
    c.refresh_from_db()
    assert c.stage == "vote"
    staff = Client()
    staff.force_login(w.office)
    return w, c, staff


def _rows(*votes: tuple[str, str]) -> dict[str, str]:
    data = {"members-TOTAL_FORMS": str(len(votes)), "members-INITIAL_FORMS": "0"}
    for i, (name, vote) in enumerate(votes):
        data[f"members-{i}-name"] = name
        data[f"members-{i}-vote"] = vote
    return data


def test_vote_page_shows_a_row_per_panel_member_with_chinese_choices(monkeypatch: Any) -> None:
    from jiangxin.platform.panels.models import Assignment, Panel, PanelMember

    w, c, staff = _at_vote(monkeypatch)
    panel = Panel.objects.create(round=w.round, stage_key="collective_review", title="评议组", rubric_key="x")
    Assignment.objects.create(panel=panel, application=c.application)
    for i, name in enumerate(["王专家", "李专家"]):
        expert = user(Role.EXPERT, None, f"expert_vote_{i}")
        expert.display_name = name
        expert.save()
        PanelMember.objects.create(panel=panel, expert=expert)
    body = staff.get(f"/review/cases/{c.pk}/").content.decode()
    assert 'id="vote-form"' in body
    assert 'value="王专家"' in body and 'value="李专家"' in body
    for label in ("同意", "不同意", "弃权", "缺席"):
        assert label in body
    assert 'name="members-0-vote"' in body and 'name="members-4-vote"' in body  # 2 members + 3 blank rows


def test_majority_for_makes_a_candidate_and_blank_rows_are_not_counted(monkeypatch: Any) -> None:
    _w, c, staff = _at_vote(monkeypatch)
    data = _rows(("甲", "for"), ("乙", "for"), ("丙", "against"), ("", ""))
    assert staff.post(f"/review/cases/{c.pk}/vote/", data).status_code == 302
    c.refresh_from_db()
    assert c.stage == "candidate_list"
    vote = c.details["vote"]
    assert vote["members_total"] == 3 and vote["votes"] == {"甲": "for", "乙": "for", "丙": "against"}
    step = c.steps.get(action="vote")
    assert step.outcome["computation"] == "zhenjiang_park/admission_vote"


def test_majority_against_closes_the_case_as_not_selected(monkeypatch: Any) -> None:
    _w, c, staff = _at_vote(monkeypatch)
    staff.post(f"/review/cases/{c.pk}/vote/", _rows(("甲", "for"), ("乙", "against"), ("丙", "abstain")))
    c.refresh_from_db()
    assert c.state == CaseState.NOT_SELECTED


@pytest.mark.parametrize(("rows", "message"), [
    ((("甲", "for"), ("甲", "against")), "成员“甲”重复登记。"),
    ((("甲", "for"), ("乙", "")), "请选择“乙”的表决意见。"),
    ((("甲", "for"), ("", "against")), "请填写该成员的姓名。"),
    ((("", ""), ("", "")), "请逐一登记每位评审成员的表决意见。"),
    ((("甲", "yes"),), "请选择同意、不同意、弃权或缺席。"),
])
def test_wrong_rows_are_refused_in_chinese_and_nothing_is_recorded(monkeypatch: Any, rows: Any,
                                                                   message: str) -> None:
    _w, c, staff = _at_vote(monkeypatch)
    r = staff.post(f"/review/cases/{c.pk}/vote/", _rows(*rows))
    assert r.status_code == 200
    body = r.content.decode()
    assert message in body and "表决登记有误" in body
    c.refresh_from_db()
    assert c.stage == "vote" and "vote" not in c.details and not c.steps.filter(action="vote").exists()
