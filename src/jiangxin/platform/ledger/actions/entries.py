"""A ledger entry's correction (冲正): the ledger only grows, a wrong entry is reversed by a new one."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.core.transitions import SYSTEM, transition
from jiangxin.platform.ledger.base import LedgerError, _entry, _require_office
from jiangxin.platform.ledger.models import EntryKind, LedgerEntry


@transition("ledger.reverse_entry", title=_("冲正分录"), record="ledger.LedgerEntry", field="kind",
            target=EntryKind.REVERSAL, roles=(Role.OFFICE, SYSTEM), guard="原分录为未冲正的付款分录",
            citation="资金台账只增不改（冲正须写明理由）", audit=False)
def reverse_entry(entry: LedgerEntry, *, actor: Any, reason: str) -> LedgerEntry:
    """A correction: a new entry with the opposite amount that points at the one it reverses."""
    _require_office(actor, entry.designation)
    if not reason.strip():
        raise LedgerError(gettext("须写明冲正理由。"))
    if entry.amount <= 0:
        raise LedgerError(gettext("只能冲正付款分录。"))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise LedgerError(gettext("该分录已冲正。"))
    with transaction.atomic():
        rev = _entry(entry.designation, year=entry.year, kind=EntryKind.REVERSAL, amount=-entry.amount,
                     citation=entry.citation, reason=f"冲正：{reason}", outcome={"reverses": entry.pk,
                                                                          "original": entry.outcome},
                     actor=actor, payee=entry.payee, reverses=entry)
        rev.save()
        record("ledger.reverse", rev, actor=actor, summary=f"冲正分录 #{entry.pk}：{reason}", after=snapshot(rev))
    return rev
