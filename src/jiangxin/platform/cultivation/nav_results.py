"""Side-navigation entries and tasks for the cultivation year's results part."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.ui import NavItem, TaskItem

KIND = gettext_lazy("卓越技师培育")


def _year() -> Any:
    from jiangxin.platform.cultivation.access import current_year

    return current_year()


def nav_items(user: Any) -> list[NavItem]:
    from jiangxin.platform.cultivation.access import is_province_office, lead_bureaus, training_unit_of
    from jiangxin.platform.cultivation.selectors.results import employer_years, my_enrolments

    year = _year()
    if year is None or not getattr(user, "is_authenticated", False):
        return []
    role = getattr(user, "role", "")
    unit = training_unit_of(user)
    if unit is not None:
        return [NavItem(_("培育对象评定"), url=reverse("cultivation:results_grading", args=[unit.pk]), order=76),
                NavItem(_("经费支出"), "cultivation:results_expenses", order=77),
                NavItem(_("违纪登记"), "cultivation:results_incidents", order=78),
                NavItem(_("满意度汇总"), "cultivation:results_surveys", order=79)]
    if is_province_office(user) or lead_bureaus(user, year).exists():
        return [NavItem(_("验收与经费"), "cultivation:results_home", order=76),
                NavItem(_("延期审批"), "cultivation:results_deferrals", order=77),
                NavItem(_("违纪与不支持参训"), "cultivation:results_incidents", order=78),
                NavItem(_("培育经费支出"), "cultivation:results_expenses", order=79),
                NavItem(_("培育问卷汇总"), "cultivation:results_surveys", order=80)]
    if role == Role.TRAINEE and my_enrolments(user).exists():
        return [NavItem(_("我的培育结果"), "cultivation:results_mine", order=76)]
    if role == Role.UNIT and employer_years(user).filter(pk=year.pk).exists():
        return [NavItem(_("培育计划用人单位调查"), "cultivation:results_survey_employer", order=76)]
    return []


def tasks_for(user: Any) -> list[TaskItem]:
    from jiangxin.platform.cultivation.access import is_province_office, training_unit_of
    from jiangxin.platform.cultivation.models import UnitAcceptance, UnitGrading, YearStatus
    from jiangxin.platform.cultivation.selectors.results import (
        answered_satisfaction,
        employer_answered,
        employer_years,
        gradable_enrolments,
        my_enrolments,
        pending_deferrals,
        survey_open,
        units_of_year,
    )

    year = _year()
    if year is None or not getattr(user, "is_authenticated", False):
        return []
    tasks: list[TaskItem] = []
    pending = pending_deferrals(user)
    if pending:
        tasks.append(TaskItem(_("延期申请待审批"), reverse("cultivation:results_deferrals"), count=len(pending),
                              kind=KIND))
    unit = training_unit_of(user)
    if unit is not None and year.status == YearStatus.GRADING:
        waiting = gradable_enrolments(year, unit).exclude(status="graded").count()
        if waiting:
            tasks.append(TaskItem(_("培育对象待评定"), reverse("cultivation:results_grading", args=[unit.pk]),
                                  count=waiting, kind=KIND))
    if is_province_office(user):
        graded = UnitGrading.objects.filter(year=year).values("training_unit")
        accepted = UnitAcceptance.objects.filter(year=year, assessed_at__isnull=False).values("training_unit")
        waiting = units_of_year(year).filter(pk__in=graded).exclude(pk__in=accepted).count()
        if waiting:
            tasks.append(TaskItem(_("承训单位待考核验收"), reverse("cultivation:results_home"), count=waiting, kind=KIND))
    role = getattr(user, "role", "")
    if role == Role.TRAINEE and survey_open(year):
        todo = [e for e in my_enrolments(user).filter(year=year, major__isnull=False, status__in=("enrolled", "graded"))
                if not answered_satisfaction(e)]
        if todo:
            tasks.append(TaskItem(_("填写培育满意度问卷"),
                                  reverse("cultivation:results_survey_satisfaction", args=[todo[0].pk]), count=1,
                                  kind=KIND))
    if (role == Role.UNIT and survey_open(year) and employer_years(user).filter(pk=year.pk).exists()
            and not employer_answered(year, user.organisation)):
        tasks.append(TaskItem(_("填写培育计划用人单位调查"), reverse("cultivation:results_survey_employer"), count=1,
                              kind=KIND))
    return tasks
