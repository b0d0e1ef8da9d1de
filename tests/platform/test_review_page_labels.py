"""Main pages show Chinese names instead of stored codes: outcome conclusions (eligible → 符合条件),
round decisions (party_group → 党组会研究确定, stage keys → stage titles), and the program of a
designation (nanchang_academy → its title) in the directory and on the detail page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import review_helpers as rh
from django.test import Client
from test_review_publicity_task import _studios_at_publicity

from jiangxin.platform.core.templatetags.rules import outcome_status, program_title
from jiangxin.platform.designations import services as ds
from jiangxin.platform.rounds.models import Program

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_outcome_status_and_program_title_filters() -> None:
    rh.world("nanchang_academy")
    assert [outcome_status(s) for s in ("eligible", "ineligible", "passed", "failed", "ok")] == [
        "符合条件", "不符合条件", "通过", "未通过", "已计算"]
    assert outcome_status("something_new") == "something_new"
    assert program_title("nanchang_academy") == Program.objects.get(key="nanchang_academy").title
    assert program_title("no_such_program") == "no_such_program"


def test_round_and_case_pages_name_decisions_stages_and_conclusions_in_chinese(monkeypatch: Any) -> None:
    w, apps = _studios_at_publicity(monkeypatch)
    office = _client(w.office)
    page = office.get(f"/review/rounds/{w.round.pk}/").content.decode()
    assert "党组会研究确定" in page and "排序确认" in page
    assert "/ party_group" not in page and "party_group_decision /" not in page
    case_page = office.get(f"/review/cases/{rh.case(apps[0]).pk}/").content.decode()
    assert re.search(r'data-status="eligible">符合条件<', case_page)
    assert 'data-status="eligible">eligible<' not in case_page


def test_designation_directory_and_detail_show_the_program_title() -> None:
    w = rh.world("nanchang_academy")
    app = rh.submit(w, "示例学院")
    d = ds.designate_from_case(rh.case(app), actor=w.office, on=dt.date(2025, 12, 20))
    title = Program.objects.get(key="nanchang_academy").title
    office = _client(w.office)
    directory = office.get("/designations/").content.decode()
    assert f'<option value="nanchang_academy">{title}</option>' in directory
    detail = office.get(f"/designations/{d.pk}/").content.decode()
    assert f"{title} ·" in detail and "nanchang_academy ·" not in detail
