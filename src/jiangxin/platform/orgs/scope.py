"""Data scope (数据权限): the one function every query goes through.

A user acts for one organisation node and sees records belonging to that node's subtree; applicant
roles see only their own records; the three administrators see no business data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db import models
from django.db.models import Q

from jiangxin.platform.core.roles import ADMIN_ROLES, APPLICANT_ROLES, Role

if TYPE_CHECKING:
    from jiangxin.platform.orgs.models import Organisation

M = TypeVar("M", bound=models.Model)


def scope(queryset: models.QuerySet[M], user: object, *, org_field: str = "organisation",
          owner_field: str | None = None, expert_field: str | None = None) -> models.QuerySet[M]:
    """Restrict ``queryset`` to what ``user`` may see.

    ``org_field``    path to the record's organisation (e.g. "applicant_org");
    ``owner_field``  path to the user who owns the record (applicant roles see only their own);
    ``expert_field`` path to assigned experts (experts see only assigned records).
    """
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    role = getattr(user, "role", "")
    if role in ADMIN_ROLES:
        return queryset.none()
    if role == Role.EXPERT:
        return queryset.filter(**{expert_field: user}).distinct() if expert_field else queryset.none()
    org = getattr(user, "organisation", None)
    if role in APPLICANT_ROLES:
        condition = Q()
        if owner_field:
            condition |= Q(**{owner_field: user})
        if role in (Role.UNIT, Role.TRAINING_UNIT) and org is not None:
            condition |= Q(**{org_field: org})
        return queryset.filter(condition) if condition else queryset.none()
    if org is None:
        return queryset.none()
    return queryset.filter(**{f"{org_field}__path__startswith": org.path})


def visible_organisations(user: object) -> models.QuerySet[Organisation]:
    """Organisations ``user`` may see, with the same rules as :func:`scope`.

    The system administrator manages the whole tree (organisations are master data, not business data);
    the security and audit administrators see none; staff see their node's subtree; applicant units see
    their own node; individuals, trainees and experts see none.
    """
    from jiangxin.platform.orgs.models import Organisation

    qs = Organisation.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    role = getattr(user, "role", "")
    if role == Role.SYSTEM_ADMIN:
        return qs
    org = getattr(user, "organisation", None)
    if role in ADMIN_ROLES or org is None:
        return qs.none()
    if role in (Role.UNIT, Role.TRAINING_UNIT):
        return qs.filter(pk=org.pk)
    if role in APPLICANT_ROLES or role == Role.EXPERT:
        return qs.none()
    return qs.filter(path__startswith=org.path)
