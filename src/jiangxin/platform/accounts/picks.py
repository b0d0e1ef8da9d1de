"""Pick source of the account pages (decision 0028): the organisation a new or edited account acts for."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.picks import org_label, source
from jiangxin.platform.orgs.models import Organisation


@source("accounts.organisations", label=org_label)
def organisations(user: Any, params: Mapping[str, str]) -> QuerySet[Any]:
    """The whole tree, for the system administrator only (organisations are master data)."""
    if getattr(user, "role", "") != Role.SYSTEM_ADMIN:
        return Organisation.objects.none()
    return Organisation.objects.all()
