from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.ui import TaskItem


def tasks_for(user: Any) -> list[TaskItem]:
    from jiangxin.platform.park.models import RequestStatus
    from jiangxin.platform.park.selectors import visible_requests

    role = getattr(user, "role", "")
    if role == Role.PARK_OFFICE:
        count = visible_requests(user).filter(status=RequestStatus.NEW).count()
        return [TaskItem(_("待分派的企业服务需求"), reverse("park:requests") + "?status=new", count, kind=_("创新园"))] if count else []
    if role == Role.UNIT:
        count = visible_requests(user).filter(status__in=[RequestStatus.ROUTED, RequestStatus.IN_PROGRESS]).count()
        return [TaskItem(_("分派给本工作室的服务需求"), reverse("park:requests"), count, kind=_("创新园"))] if count else []
    return []
