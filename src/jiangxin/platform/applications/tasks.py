from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import APPLICANT_ROLES, Role
from jiangxin.platform.applications.models import Status
from jiangxin.platform.applications.services import visible_applications
from jiangxin.platform.core.ui import TaskItem


def tasks_for(user: Any) -> list[TaskItem]:
    apps = visible_applications(user)
    url = reverse("applications:list")
    if user.role in APPLICANT_ROLES:
        drafts = apps.filter(status__in=[Status.DRAFT, Status.RETURNED]).select_related("round")
        return [TaskItem(_("待完成的申报"), reverse("applications:edit", args=[a.pk]), 1,
                         due=a.round.closes, kind=_("申报"), subject=a.title) for a in drafts[:20]]
    if user.role in (Role.DISTRICT, Role.OFFICE, Role.PARK_OFFICE):
        count = apps.filter(status=Status.SUBMITTED).count()
        if count:
            return [TaskItem(_("已提交待审核的申报"), url + "?status=submitted", count, kind=_("申报"))]
    return []
