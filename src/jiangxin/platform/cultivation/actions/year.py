"""The cultivation year's own transitions (江苏卓越技师办法 第七条, 第九条, 第十二条, 第十九条 … 第二十四条): opening a 学年, its dates,
moving it through its phases, and naming each city's 市级负责人.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.cultivation import guards
from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.common_setup import _all_unit_users, _notify, _open, _require_office
from jiangxin.platform.cultivation.models import CityLead, CultivationYear, YearStatus
from jiangxin.platform.cultivation.selectors.setup import city_bureaus, next_phase, phase_blockers
from jiangxin.platform.cultivation.transitions import action
from jiangxin.platform.orgs.models import Organisation


@action("cultivation.open_year")
def open_year(actor: Any, *, year: int, choice_closes_on: dt.date | None = None,
              report_due_on: dt.date | None = None) -> CultivationYear:
    """The province office opens a 学年: training units may then publish majors and trainees choose."""
    _require_office(actor)
    if CultivationYear.objects.filter(year=year).exists():
        raise CultivationError(f"{year}学年已开设。")
    if choice_closes_on and report_due_on and report_due_on < choice_closes_on:
        raise CultivationError(gettext("研修报告截止日期不能早于选专业截止日期。"))
    with transaction.atomic():
        cy = CultivationYear.objects.create(year=year, choice_closes_on=choice_closes_on, report_due_on=report_due_on,
                                            opened_by=actor)
        record("cultivation.year_open", cy, actor=actor, summary=f"开设{cy}", after=snapshot(cy))
        from jiangxin.platform.cultivation.actions.deferral import returning_from_deferral

        returning_from_deferral(cy)  # 第二十四条: those deferred from the year before take part in this one
    _notify((u for u in _all_unit_users()), f"{year}学年卓越技师培育已开设",
            "请发布本单位本学年的承训专业。", reverse("cultivation:majors"))
    return cy


@action("cultivation.set_year_dates")
def set_year_dates(actor: Any, year: CultivationYear, *, choice_closes_on: dt.date | None,
                   report_due_on: dt.date | None) -> CultivationYear:
    _require_office(actor)
    _open(year)
    if choice_closes_on and report_due_on and report_due_on < choice_closes_on:
        raise CultivationError(gettext("研修报告截止日期不能早于选专业截止日期。"))
    guards.year_dates_allowed(year, choice_closes_on, report_due_on)
    with transaction.atomic():
        before = snapshot(year)
        year.choice_closes_on = choice_closes_on
        year.report_due_on = report_due_on
        year.save(update_fields=["choice_closes_on", "report_due_on"])
        record("cultivation.year_dates", year, actor=actor, summary=f"调整{year}时间安排", before=before,
               after=snapshot(year))
    return year


@action("cultivation.advance_phase")
def advance_phase(actor: Any, year: CultivationYear) -> CultivationYear:
    """Move the year to its next phase (choosing → training → grading → acceptance → closed) when ready."""
    _require_office(actor)
    target = next_phase(year)
    problems = phase_blockers(year)
    if target is None or problems:
        raise CultivationError(gettext("暂不能进入下一阶段：") + "；".join(problems))
    with transaction.atomic():
        before = snapshot(year)
        year.status = target
        year.save(update_fields=["status"])
        record("cultivation.year_phase", year, actor=actor,
               summary=f"{year}进入“{YearStatus(target).label}”阶段", before=before, after=snapshot(year))
    users = [*_all_unit_users(), *(c.user for c in year.city_leads.select_related("user"))]
    _notify(users, f"{year}进入“{YearStatus(target).label}”阶段", url=reverse("cultivation:home"))
    return year


def assign_city_lead(actor: Any, year: CultivationYear, *, city_bureau: Organisation, user: Any) -> CityLead:
    """One 市级负责人 per 设区市 HR bureau (第十二条); replacing the lead is allowed and audited."""
    _require_office(actor)
    _open(year)
    if not city_bureaus().filter(pk=city_bureau.pk).exists():
        raise CultivationError(gettext("市级负责人只能为设区市人社局指定。"))
    if getattr(user, "organisation_id", None) != city_bureau.pk or user.role not in (Role.OFFICE, Role.DISTRICT):
        raise CultivationError(gettext("市级负责人须为该设区市人社局的工作人员账号。"))
    if not user.is_active:
        raise CultivationError(gettext("该账号已停用。"))
    with transaction.atomic():
        lead = CityLead.objects.select_for_update(of=("self",)).filter(year=year, city_bureau=city_bureau).first()
        before = {"user": lead.user.username} if lead else None
        if lead is None:
            lead = CityLead.objects.create(year=year, city_bureau=city_bureau, user=user)
        elif lead.user_id == user.pk:
            return lead
        else:
            lead.user = user
            lead.save(update_fields=["user"])
        record("cultivation.city_lead", lead, actor=actor,
               summary=f"{year} {city_bureau.name} 市级负责人：{user.get_full_name() or user.username}",
               before=before, after={"city_bureau": city_bureau.name, "user": user.username})
    _notify([user], f"您已被指定为{year}{city_bureau.name}卓越技师培育市级负责人",
            "负责审核本市承训单位的培训计划和培育对象请假，组织满意度调查。", reverse("cultivation:home"))
    return lead
