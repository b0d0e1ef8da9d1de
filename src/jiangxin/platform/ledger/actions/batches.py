"""Disbursement batches (拨付批次): the office gathers a year's unbatched entries, finance approves."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.core.transitions import SYSTEM, transition
from jiangxin.platform.ledger.base import LedgerError, _require, _require_office
from jiangxin.platform.ledger.models import BatchStatus, DisbursementBatch, LedgerEntry
from jiangxin.platform.ledger.selectors import programs_of


@transition("ledger.create_batch", title=_("生成拨付批次"), record="ledger.DisbursementBatch",
            target=BatchStatus.DRAFT, roles=(Role.OFFICE, SYSTEM), guard="本辖区项目的未拨付分录",
            citation="各项目办法的资金拨付条款", audit=False)
def create_batch(program: str, year: int, *, actor: Any, title: str = "") -> DisbursementBatch:
    """Gather the year's not-yet-batched entries of a program into a batch for finance."""
    _require_office(actor)
    if actor is not None and program not in programs_of(actor):
        raise PermissionDenied("该项目不在您的管辖范围内。")
    with transaction.atomic():
        pending = LedgerEntry.objects.filter(program=program, year=year, batch__isnull=True)
        if not pending.exists():
            raise LedgerError(gettext("没有待拨付的分录。"))
        batch = DisbursementBatch.objects.create(program=program, year=year, title=title or f"{program} {year}年度拨付",
                                                 created_by=actor if getattr(actor, "pk", None) else None)
        pending.update(batch=batch)
        record("ledger.batch.create", batch, actor=actor, summary=f"拨付批次 {batch.title}：{batch.total} 元",
               after=snapshot(batch))
    return batch


@transition("ledger.approve_batch", title=_("审批拨付批次"), record="ledger.DisbursementBatch",
            sources=(BatchStatus.DRAFT,), target=BatchStatus.APPROVED, roles=(Role.FINANCE, SYSTEM),
            guard="本辖区财政部门审批", citation="各项目办法的资金拨付条款", audit=False)
def approve_batch(batch: DisbursementBatch, *, actor: Any) -> DisbursementBatch:
    _require(actor, frozenset({Role.FINANCE}), "只有财务人员可以审批拨付批次。")
    if actor is not None and batch.program not in programs_of(actor):
        raise PermissionDenied("该批次不在您的管辖范围内。")
    with transaction.atomic():
        batch = DisbursementBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != BatchStatus.DRAFT:
            raise LedgerError(gettext("该批次已审批。"))
        before = snapshot(batch)
        batch.status, batch.approved_by, batch.approved_at = BatchStatus.APPROVED, actor, timezone.now()
        batch.save()
        record("ledger.batch.approve", batch, actor=actor, summary=f"审批拨付批次 {batch.title}", before=before,
               after=snapshot(batch))
    return batch
