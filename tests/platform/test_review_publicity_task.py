"""Cases reaching the publicity stage show up as an office task ("N 项申报待公示") linking to the round page,
where one form publishes them on a notice whose window the policy core computes; cases already on a notice
are never published twice (I-PUB-07)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from review_helpers import case, fake_panel, read, submit, world

from jiangxin.platform.publicity.models import Notice
from jiangxin.platform.publicity.services import compute_window
from jiangxin.platform.review import services as rs
from jiangxin.platform.review.tasks import tasks_for

pytestmark = pytest.mark.django_db


def _studios_at_publicity(monkeypatch: Any, n: int = 2) -> Any:
    w = world("nanchang_studio", year=2026, office_parameters={"naming_shortlist_mark": 80, "naming_annual_quota": 5})
    facts = read("nanchang_studio/examples/eligibility.json")
    apps = [submit(w, f"工作室{i}", facts=facts) for i in range(n)]
    fake_panel(monkeypatch, {a.pk: (str(90 - i), False) for i, a in enumerate(apps)})
    for a in apps:
        c = case(a)
        rs.review_eligibility(c, actor=w.office, facts=facts)
        c.refresh_from_db()
        rs.record_panel(c, actor=w.office)
    rs.confirm_ranking(w.round, actor=w.office)
    rs.record_party_decision(w.round, actor=w.office, decided=[case(a).key for a in apps],
                             meeting_date=dt.date(2026, 10, 10), reference="纪要〔2026〕1号")
    assert all(case(a).stage == "publicity" for a in apps)
    return w, apps


def test_cases_entering_publicity_become_an_office_task_until_a_notice_is_opened(monkeypatch: Any) -> None:
    w, apps = _studios_at_publicity(monkeypatch)
    task = next(t for t in tasks_for(w.office) if "待公示" in t.title)
    assert task.count == 2 and task.url == f"/review/rounds/{w.round.pk}/#publicity"
    assert not any("待公示" in t.title for t in tasks_for(w.district_users[0]))
    office = Client()
    office.force_login(w.office)
    dashboard = office.get("/").content.decode()
    assert "2 项申报待公示 — 发布公示" in dashboard and f'href="{task.url}"' in dashboard
    page = office.get(task.url).content.decode()
    assert 'id="publicity"' in page and 'data-unpublished="2"' in page and "南昌创新工作室办法 第七条" in page
    today = timezone.localdate()
    r = office.post(f"/review/rounds/{w.round.pk}/do/publicity-open/",
                    {"start": today.isoformat(), "title": "创新工作室拟命名名单公示", "reference": ""})
    assert r.status_code == 302
    notice = Notice.objects.get(round=w.round)
    # the window comes from the studio's publicity rule (5 working days from the day after publication)
    window = compute_window(w.round, today)["value"]
    assert (notice.published, notice.window_start.isoformat(), notice.window_end.isoformat(),
            notice.working_days) == (today, window["start"], window["end"], True)
    assert sorted(notice.entries.values_list("application_id", flat=True)) == sorted(a.pk for a in apps)
    assert not any("待公示" in t.title for t in tasks_for(w.office))
    assert 'id="publicity"' not in office.get(task.url).content.decode()


def test_opening_again_refuses_cases_already_on_a_running_notice(monkeypatch: Any) -> None:
    w, _apps = _studios_at_publicity(monkeypatch)
    rs.open_publicity(w.round, actor=w.office, start=dt.date(2026, 10, 12), today=dt.date(2026, 10, 12))
    with pytest.raises(rs.ReviewError, match="不再重复公示"):
        rs.open_publicity(w.round, actor=w.office, start=dt.date(2026, 10, 13), today=dt.date(2026, 10, 13))
    assert Notice.objects.filter(round=w.round).count() == 1
    assert rs.publicity_backlog(w.office) == []
