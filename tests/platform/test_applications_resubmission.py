"""Resubmitting a returned application: allowed after the round closed but only until the return deadline;
refused whenever a ban is in force (南昌工匠学院办法 第二十六条, 南昌创新工作室办法 第十五条)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from review_helpers import case, submit, world

from jiangxin.platform.applications import services as app_services
from jiangxin.platform.applications.models import Status
from jiangxin.platform.people.services import impose_ban
from jiangxin.platform.review import services as rs

pytestmark = pytest.mark.django_db
FACTS = {"applicant_type": "enterprise", "violation_on_record": False, "fraud_found": False,
         "previously_revoked": False}


def _returned(today: dt.date):
    w = world("nanchang_academy", year=2026)
    app = submit(w, "待修改学院", facts=FACTS)
    rs.return_for_revision(case(app), actor=w.district_users[0], reasons="请补充实训场地证明", today=today)
    app.refresh_from_db()
    assert app.status == Status.RETURNED
    return app


def test_resubmission_after_the_return_deadline_is_refused_with_the_date():
    app = _returned(dt.date(2026, 9, 30))  # deadline 2026-10-13, long past
    with pytest.raises(app_services.ApplicationError, match="2026年10月13日"):
        app_services.submit(app.applicant_user, app)
    app.refresh_from_db()
    assert app.status == Status.RETURNED


def test_nanchang_academy_art26_a_banned_unit_cannot_resubmit():
    app = _returned(timezone.localdate())
    impose_ban(program="nanchang_academy", reason="申报材料弄虚作假", citation_label="南昌工匠学院办法 第二十六条",
               start=dt.date(2026, 1, 1), organisation=app.applicant_org)
    with pytest.raises(app_services.ApplicationError, match="禁止申报（永久）"):
        app_services.submit(app.applicant_user, app)
    app.refresh_from_db()
    assert app.status == Status.RETURNED


def test_nanchang_studio_art15_a_revoked_designation_bars_a_new_application():
    from jiangxin.platform.designations import services as designations
    from jiangxin.platform.review.bans import submission_bans

    w = world("nanchang_studio", year=2026)
    app = submit(w, "曾被摘牌的工作室", facts={})
    assert submission_bans(app) == []
    d = designations.designate(program="nanchang_studio", name="曾被摘牌的工作室", on=dt.date(2024, 12, 1),
                               actor=w.office, holder_org=app.applicant_org, scope_org=app.applicant_org, year=2024,
                               reason="命名", citation="南昌创新工作室办法 第七条")
    designations.set_status(d, "revoked", reason="连续两年考评不合格", citation="南昌创新工作室办法 第十一条（四）",
                            actor=w.office)
    assert submission_bans(app) == ["曾被撤销命名并摘牌，不得再次申报（南昌创新工作室办法 第十五条）"]
