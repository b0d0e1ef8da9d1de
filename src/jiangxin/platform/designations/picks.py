"""Pick source of the designations (decision 0028): the new leader of a designation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from jiangxin.platform.core.picks import person_label, source
from jiangxin.platform.people.models import Person


@source("designations.leaders", label=person_label, params=("designation",))
def leaders(user: Any, params: Mapping[str, str]) -> QuerySet[Any]:
    """Persons in the caller's scope, plus the holder organisation's employees, for a designation the caller
    may act on."""
    from jiangxin.platform.accounts.roles import Role
    from jiangxin.platform.designations import services
    from jiangxin.platform.designations.forms import leader_choices

    if getattr(user, "role", "") not in (Role.OFFICE, Role.PARK_OFFICE):
        return Person.objects.none()
    pk = params.get("designation", "")
    designation = services.directory_queryset(user).filter(pk=int(pk)).first() if pk.isdecimal() else None
    return Person.objects.none() if designation is None else leader_choices(user, designation)
