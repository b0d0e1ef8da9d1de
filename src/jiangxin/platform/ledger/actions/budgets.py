"""A program's yearly budget (预算): set by the office; the run and the batch pages warn above it
(``selectors.budget_warning``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.ledger.base import LedgerError, _require_office
from jiangxin.platform.ledger.models import Budget


def set_budget(program: str, year: int, amount: Decimal, *, actor: Any, note: str = "") -> Budget:
    _require_office(actor)
    if amount < 0:
        raise LedgerError(gettext("预算金额不能为负。"))
    with transaction.atomic():
        budget, created = Budget.objects.select_for_update().get_or_create(
            program=program, year=year, defaults={"amount": amount, "note": note, "set_by": actor})
        before = None if created else snapshot(budget)
        if not created:
            budget.amount, budget.note, budget.set_by = amount, note, actor
            budget.save()
        record("ledger.budget", budget, actor=actor, summary=f"预算 {program} {year}：{amount} 元",
               before=before, after=snapshot(budget))
    return budget
