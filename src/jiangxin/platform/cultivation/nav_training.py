"""Side-navigation entries and tasks for the cultivation year's training part."""

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
    from jiangxin.platform.cultivation.access import is_province_office, lead_bureaus, visible_enrolments

    role = getattr(user, "role", "")
    year = _year()
    if year is None or not getattr(user, "is_authenticated", False):
        return []
    if role == Role.TRAINING_UNIT:
        return [NavItem(_("考勤与学时"), "cultivation:training_attendance", order=72),
                NavItem(_("培训档案"), "cultivation:training_files", order=73),
                NavItem(_("研修报告"), "cultivation:training_reports", order=74),
                NavItem(_("学员请假"), "cultivation:training_leave", order=75)]
    if role == Role.TRAINEE:
        if not visible_enrolments(user, year).filter(major__isnull=False).exists():
            return []
        return [NavItem(_("我的培训档案"), "cultivation:training_files", order=72),
                NavItem(_("研修报告"), "cultivation:training_my_report", order=73),
                NavItem(_("请假"), "cultivation:training_leave", order=74)]
    if role == Role.EXPERT:
        from jiangxin.platform.cultivation.selectors.training import expert_reports

        if expert_reports(user, year).exists():
            return [NavItem(_("研修报告评估"), "cultivation:training_reports", order=72)]
        return []
    if role in (Role.OFFICE, Role.DISTRICT):
        items = []
        if lead_bureaus(user, year).exists():
            items.append(NavItem(_("请假审批"), "cultivation:training_leave", order=74))
        if is_province_office(user) or items or visible_enrolments(user, year).exists():
            items.append(NavItem(_("培训档案"), "cultivation:training_files", order=75))
            items.append(NavItem(_("研修报告"), "cultivation:training_reports", order=76))
        if is_province_office(user):
            items.append(NavItem(_("学员请假"), "cultivation:training_leave", order=77))
        return items
    if role == Role.UNIT and visible_enrolments(user, year).filter(major__isnull=False).exists():
        return [NavItem(_("本单位学员培训档案"), "cultivation:training_files", order=75)]
    return []


def tasks_for(user: Any) -> list[TaskItem]:
    from jiangxin.platform.cultivation.access import training_unit_of, visible_enrolments
    from jiangxin.platform.cultivation.models import EnrolmentStatus, ResearchReport
    from jiangxin.platform.cultivation.selectors.training import (
        pending_leave_for,
        reports_awaiting,
        unrecorded_sessions,
    )

    role = getattr(user, "role", "")
    year = _year()
    if year is None or not getattr(user, "is_authenticated", False):
        return []
    tasks: list[TaskItem] = []
    if role in (Role.OFFICE, Role.DISTRICT):
        n = pending_leave_for(user, year).count()
        if n:
            tasks.append(TaskItem(_("待审批的学员请假"), reverse("cultivation:training_leave") + "?status=pending", n,
                                  kind=KIND))
    elif role == Role.EXPERT:
        n = reports_awaiting(user, year).count()
        if n:
            tasks.append(TaskItem(_("待评估的研修报告"), reverse("cultivation:training_reports"), n, kind=KIND))
    elif role == Role.TRAINING_UNIT:
        unit = training_unit_of(user)
        n = unrecorded_sessions(unit, year) if unit is not None else 0
        if n:
            tasks.append(TaskItem(_("已结束但考勤未登记完整的课程"), reverse("cultivation:training_attendance"), n,
                                  kind=KIND))
    elif role == Role.TRAINEE:
        own = visible_enrolments(user, year).filter(status=EnrolmentStatus.ENROLLED, major__isnull=False).first()
        if own is not None and not ResearchReport.objects.filter(enrolment=own).exists():
            tasks.append(TaskItem(_("提交本学年研修报告"), reverse("cultivation:training_my_report"), 1,
                                  due=year.report_due_on, kind=KIND))
    return tasks
