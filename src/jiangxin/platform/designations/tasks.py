"""Tasks: office staff see live designations whose fixed term has ended but are not yet marked expired."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.ui import TaskItem
from jiangxin.platform.designations.models import LIVE
from jiangxin.platform.designations.services import directory_queryset


def tasks_for(user: Any) -> list[TaskItem]:
    if getattr(user, "role", "") not in (Role.OFFICE, Role.PARK_OFFICE):
        return []
    today = timezone.localdate()
    ended = directory_queryset(user).filter(status__in=LIVE, ends_on__lt=today).count()
    if not ended:
        return []
    return [TaskItem(_("期限已届满、待办理期满的命名"), reverse("designations:directory") + "?ended=1", ended,
                     kind=_("命名名录"))]
