from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.ui import TaskItem
from jiangxin.platform.publicity.models import PENDING, Objection
from jiangxin.platform.publicity.services import visible_notices


def tasks_for(user: Any) -> list[TaskItem]:
    if user.role not in (Role.OFFICE, Role.PARK_OFFICE):
        return []
    items = []
    pending = (Objection.objects.filter(status__in=PENDING, notice__in=visible_notices(user))
               .values_list("notice_id", "notice__title", "notice__window_end"))
    counts: dict[int, list[Any]] = {}
    for notice_id, title, end in pending:
        counts.setdefault(notice_id, [title, end, 0])[2] += 1
    for notice_id, (title, end, n) in counts.items():
        items.append(TaskItem(_("待核实的公示异议"), reverse("publicity:detail", args=[notice_id]), n,
                              due=end, kind=_("公示"), subject=title))
    return items
