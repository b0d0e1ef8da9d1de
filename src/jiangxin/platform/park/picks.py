"""Pick source of the park (decision 0028): the studio's organisation on admission."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.picks import org_label, source
from jiangxin.platform.orgs.models import Organisation
from jiangxin.platform.orgs.scope import visible_organisations


@source("park.studios", label=org_label)
def studios(user: Any, params: Mapping[str, str]) -> QuerySet[Any]:
    if getattr(user, "role", "") != Role.PARK_OFFICE:
        return Organisation.objects.none()
    return visible_organisations(user)
