"""Side-navigation entries and "my tasks" of the cultivation year's setup part."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.ui import NavItem, TaskItem
from jiangxin.platform.orgs.models import Jurisdiction

KIND = gettext_lazy("卓越技师培育")  # the task group label, as the nav entry


def _has_part(user: Any) -> bool:
    role = getattr(user, "role", "")
    org = getattr(user, "organisation", None)
    if role in (Role.OFFICE, Role.DISTRICT):
        return org is not None and org.jurisdiction == Jurisdiction.JIANGSU
    if role == Role.TRAINING_UNIT:
        return org is not None and org.jurisdiction == Jurisdiction.JIANGSU
    if role == Role.TRAINEE:
        from jiangxin.platform.cultivation.models import Enrolment

        person = getattr(user, "person", None)
        return person is not None and Enrolment.objects.filter(person=person).exists()
    return False


def nav_items(user: Any) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False) or not _has_part(user):
        return []
    return [NavItem(_("卓越技师培育"), "cultivation:home", order=70)]


def tasks_for(user: Any) -> list[TaskItem]:
    if not getattr(user, "is_authenticated", False) or not _has_part(user):
        return []
    from jiangxin.platform.cultivation.access import current_year, is_province_office, training_unit_of
    from jiangxin.platform.cultivation.models import Enrolment, EnrolmentStatus, PlanStatus, TrainingPlan
    from jiangxin.platform.cultivation.selectors.setup import (
        choice_open,
        next_phase,
        phase_blockers,
        plans_awaiting,
        unit_enrolments,
    )

    year = current_year()
    if year is None:
        return []
    home = reverse("cultivation:home") + f"?year={year.year}"
    tasks: list[TaskItem] = []
    role = getattr(user, "role", "")
    if is_province_office(user):
        unchosen = Enrolment.objects.filter(year=year, status=EnrolmentStatus.CHOOSING).count()
        if unchosen:
            tasks.append(TaskItem(_("尚未选择专业的培育对象"), reverse("cultivation:unit_trainees") + f"?year={year.year}",
                                  unchosen, due=year.choice_closes_on, kind=KIND))
        if next_phase(year) and not phase_blockers(year):
            tasks.append(TaskItem(_("%(y)s学年可进入下一阶段") % {"y": year.year}, reverse("cultivation:year", args=[year.pk]), 1, kind=KIND))
    if role in (Role.OFFICE, Role.DISTRICT):
        awaiting = plans_awaiting(user, year).count()
        if awaiting:
            tasks.append(TaskItem(_("待审核的培训计划"), reverse("cultivation:plans") + f"?year={year.year}", awaiting,
                                  kind=KIND))
    unit = training_unit_of(user)
    if unit is not None:
        plan = TrainingPlan.objects.filter(year=year, training_unit=unit).first()
        if plan is None or plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED):
            title = (_("培训计划被退回，请修改后重新提交") if plan and plan.status == PlanStatus.RETURNED
                     else _("编制并提交培训计划"))
            tasks.append(TaskItem(title, reverse("cultivation:plans") + f"?year={year.year}", 1, kind=KIND))
        missing = unit_enrolments(year, unit).filter(mentor__isnull=True).count()
        if missing:
            tasks.append(TaskItem(_("尚未配备指导教师的培育对象"), reverse("cultivation:unit_trainees") + f"?year={year.year}",
                                  missing, kind=KIND))
    if role == Role.TRAINEE:
        person = getattr(user, "person", None)
        if Enrolment.objects.filter(year=year, person=person, status=EnrolmentStatus.CHOOSING).exists() \
                and choice_open(year):
            tasks.append(TaskItem(_("选择承训单位和专业"), home, 1, due=year.choice_closes_on, kind=KIND))
    return tasks
