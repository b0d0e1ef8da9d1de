from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.ui import NavItem


def nav_items(user: Any) -> list[NavItem]:
    role = getattr(user, "role", "")
    if role == Role.OFFICE:
        return [NavItem(_("资金台账"), "ledger:office", order=70), NavItem(_("补助申领审核"), "ledger:claims", order=71),
                NavItem(_("拨付批次"), "ledger:batches", order=72)]
    if role == Role.FINANCE:
        return [NavItem(_("拨付批次"), "ledger:batches", order=72)]
    if role in (Role.UNIT, Role.TRAINING_UNIT):
        return [NavItem(_("资金台账"), "ledger:unit", order=70), NavItem(_("补助申领"), "ledger:claims", order=71)]
    return []
