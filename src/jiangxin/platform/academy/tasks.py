"""My-tasks entries: teachers to review (office), pool records due for an update (office and academy),
the academy's new-course count against 第十条's yearly five, imports that failed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiangxin.platform.academy import facts, services
from jiangxin.platform.academy.models import ImportStatus, TeacherStatus
from jiangxin.platform.academy.selectors import stale_teacher
from jiangxin.platform.core.ui import TaskItem


def tasks_for(user: Any) -> list[TaskItem]:
    if not services.can_use(user):
        return []
    items: list[TaskItem] = []
    teachers = reverse("academy:teachers")
    counts = _teacher_counts(user)
    if services.is_office(user):
        pending = counts["pending"]
        if pending:
            items.append(TaskItem(_("待审核的师资"), f"{teachers}?status=pending", pending, kind=_("师资库")))
    stale = counts["stale"]
    if stale:
        items.append(TaskItem(_("师资信息需更新确认（超过 %(days)s 天未确认）") % {"days": services.refresh_days()},
                              f"{teachers}?stale=1", stale, kind=_("师资库")))
    if services.is_academy(user):
        org = user.organisation
        year = timezone.localdate().year
        returned = counts["returned"]
        if returned:
            items.append(TaskItem(_("被退回的师资记录"), f"{teachers}?status=rejected", returned, kind=_("师资库")))
        missing = facts.NEW_COURSES_PER_YEAR - facts.new_course_count(org.pk, year)
        if missing > 0:
            items.append(TaskItem(_("本年度还需发布的新课程（第十条：每年不少于5个）"), reverse("academy:courses"),
                                  missing, due=dt.date(year, 12, 31), kind=_("课程资源库")))
        failed = services.visible_jobs(user).filter(status=ImportStatus.FAILED,
                                                    created_at__date__gte=timezone.localdate()
                                                    - dt.timedelta(days=7)).count()
        if failed:
            items.append(TaskItem(_("近7天失败的学员导入"), reverse("academy:trainees"), failed, kind=_("学员库")))
    return items


def _teacher_counts(user: Any) -> dict[str, int]:
    """Pending, returned and stale pool records (``selectors.stale_teacher``) in one aggregate query."""
    return services.visible_teachers(user).aggregate(
        pending=Count("pk", filter=Q(status=TeacherStatus.PENDING)),
        returned=Count("pk", filter=Q(status=TeacherStatus.REJECTED)),
        stale=Count("pk", filter=stale_teacher()))
