"""Who may do what in the people registry (人员库), and the scoped querysets every page goes through.

Persons are scoped by employer organisation through :func:`jiangxin.platform.orgs.scope.scope`: office staff
and district reviewers see their node's subtree, applicant units their own employees, individuals and
trainees only their own record (``User.person``), the three administrators nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.orgs.models import Organisation
from jiangxin.platform.orgs.scope import scope, visible_organisations
from jiangxin.platform.people.models import Ban, Honour, Person

#: roles that may open the registry at all (experts, finance and the administrators may not)
VIEWERS = frozenset({Role.OFFICE, Role.DISTRICT, Role.PARK_OFFICE, Role.UNIT, Role.TRAINING_UNIT,
                     Role.INDIVIDUAL, Role.TRAINEE})
#: roles that register and edit persons (and add honours) within their scope
EDITORS = frozenset({Role.OFFICE, Role.PARK_OFFICE, Role.UNIT, Role.TRAINING_UNIT})
#: office staff: verify honours and keep the ban registry
OFFICE = frozenset({Role.OFFICE, Role.PARK_OFFICE})
#: roles whose scope is a subtree (they choose the employer from their visible organisations)
SUBTREE_ROLES = frozenset({Role.OFFICE, Role.PARK_OFFICE, Role.DISTRICT})


def visible_persons(user: Any) -> QuerySet[Person]:
    """Persons ``user`` may see (by employer; applicants: their own record)."""
    qs = scope(Person.objects.select_related("employer"), user, org_field="employer", owner_field="accounts")
    if getattr(user, "role", "") in (Role.UNIT, Role.TRAINING_UNIT):
        qs = qs.distinct()
    return qs


def editable_persons(user: Any) -> QuerySet[Person]:
    if getattr(user, "role", "") not in EDITORS:
        return Person.objects.none()
    return visible_persons(user)


def employer_choices(user: Any) -> QuerySet[Organisation]:
    """Organisations a person registered by ``user`` may be employed by."""
    if getattr(user, "role", "") not in EDITORS:
        return Organisation.objects.none()
    return visible_organisations(user).order_by("path")


def visible_honours(user: Any) -> QuerySet[Honour]:
    return Honour.objects.filter(person__in=visible_persons(user).values("pk"))


def visible_bans(user: Any) -> QuerySet[Ban]:
    """Bans against a person or an organisation within ``user``'s scope."""
    if getattr(user, "role", "") not in VIEWERS:
        return Ban.objects.none()
    condition = Q(person__in=visible_persons(user).values("pk")) | Q(
        organisation__in=visible_organisations(user).values("pk"))
    return Ban.objects.filter(condition).select_related("person", "organisation")
