"""My-tasks hook (not background tasks: those are in jobs.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.ui import TaskItem
from jiangxin.platform.ledger.models import BatchStatus, ClaimStatus, SubsidyClaim
from jiangxin.platform.orgs.scope import scope


def tasks_for(user: Any) -> list[TaskItem]:
    role = getattr(user, "role", "")
    if role == Role.OFFICE:
        n = scope(SubsidyClaim.objects.filter(status=ClaimStatus.SUBMITTED), user,
                  org_field="designation__scope_org").count()
        return [TaskItem(_("补助申领待审核"), reverse("ledger:claims"), n, kind=_("资金台账"))] if n else []
    if role == Role.FINANCE:
        from jiangxin.platform.ledger.selectors import batches_for

        n = batches_for(user).filter(status=BatchStatus.DRAFT).count()
        return [TaskItem(_("拨付批次待审批"), reverse("ledger:batches"), n, kind=_("资金台账"))] if n else []
    return []
