"""Organisation changes (system administrator only), audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.orgs.models import Organisation

FIELDS = ["name", "level", "category", "jurisdiction", "parent_id", "credit_code", "region", "contact_name",
          "contact_phone", "address"]


def create_organisation(*, actor: Any = None, **values: Any) -> Organisation:
    org = Organisation(**values)
    org.full_clean(exclude=["path"])
    with transaction.atomic():
        org.save()
        record("orgs.organisation.create", org, actor=actor, summary=f"新建组织 {org.name}",
               after=snapshot(org, fields=FIELDS))
    return org


def update_organisation(org: Organisation, *, actor: Any = None, **changes: Any) -> Organisation:
    fresh = Organisation.objects.get(pk=org.pk)
    before = snapshot(fresh, fields=FIELDS)
    for key, value in changes.items():
        setattr(fresh, key, value)
    fresh.full_clean(exclude=["path"])
    with transaction.atomic():
        fresh.save()
        record("orgs.organisation.update", fresh, actor=actor, summary=f"修改组织 {fresh.name}",
               before=before, after=snapshot(fresh, fields=FIELDS))
    return fresh
