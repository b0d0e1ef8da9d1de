"""Pick sources of the people registry (decision 0028): persons and organisations within the caller's scope."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from jiangxin.platform.core.picks import org_label, person_label, source
from jiangxin.platform.orgs.scope import visible_organisations
from jiangxin.platform.people import access


@source("people.persons", label=person_label)
def persons(user: Any, params: Mapping[str, str]) -> QuerySet[Any]:
    """Persons the caller may see (by employer); labelled with the masked ID number only."""
    if getattr(user, "role", "") not in access.VIEWERS:
        return access.visible_persons(None)
    return access.visible_persons(user)


@source("people.employers", label=org_label)
def employers(user: Any, params: Mapping[str, str]) -> QuerySet[Any]:
    """Organisations a person registered by the caller may be employed by."""
    return access.employer_choices(user)


@source("people.organisations", label=org_label)
def organisations(user: Any, params: Mapping[str, str]) -> QuerySet[Any]:
    """Organisations in the caller's scope (the registry's filter and the ban form)."""
    if getattr(user, "role", "") not in access.VIEWERS:
        return visible_organisations(None)
    return visible_organisations(user)
