from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from jiangxin.platform.core.ui import TaskItem
from jiangxin.platform.people.access import OFFICE, visible_persons
from jiangxin.platform.people.models import Honour


def tasks_for(user: Any) -> list[TaskItem]:
    """Office staff: persons in scope with honours still to be verified."""
    if user.role not in OFFICE:
        return []
    persons = visible_persons(user).values("pk")
    count = Honour.objects.filter(person__in=persons, verified=False).values("person").distinct().count()
    return [TaskItem(_("有待核实荣誉的人员"), reverse("people:list") + "?unverified=on", count, kind=_("人员库"))]
