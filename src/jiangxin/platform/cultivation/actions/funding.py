"""Funding and spending (江苏卓越技师办法 第二条, 第十条, 第十一条, 第二十二条): posting a unit's funding to
the ledger and recording its expenses.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext
from pydantic import ValidationError

from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.cultivation import guards
from jiangxin.platform.cultivation.access import CultivationError, training_unit_of
from jiangxin.platform.cultivation.common_results import (
    NEEDS_TRAINEE,
    ZERO,
    _chinese,
    _require_office,
    _unit_users,
)
from jiangxin.platform.cultivation.models import (
    CultivationYear,
    Enrolment,
    Expense,
    ExpenseCategory,
    UnitAcceptance,
)
from jiangxin.platform.cultivation.selectors.results import (
    _funding_facts,
    gradable_enrolments,
    posted_entries,
)
from jiangxin.platform.cultivation.transitions import action
from jiangxin.platform.notifications.services import notify
from jiangxin.platform.orgs.models import Organisation
from jiangxin.policy.errors import FactsError


@action("cultivation.post_funding")
def post_funding(actor: Any, acceptance: UnitAcceptance) -> dict[str, Any]:
    """One PER_HEAD ledger entry per passing trainee on their Jiangsu designation, paid to the training unit
    through its local finance bureau (第二十二条). Posting twice adds nothing."""
    from jiangxin.platform.ledger.services import LedgerError, grant_per_head

    _require_office(actor)
    if acceptance.assessed_at is None:
        raise CultivationError(gettext("尚未完成省级考核验收。"), citations=[guards.cite("第二十二条")])
    year, unit = acceptance.year, acceptance.training_unit
    passing = list(gradable_enrolments(year, unit).filter(passed=True).select_related("designation", "person"))
    posted, skipped, existing = [], [], 0
    already = sum((x.amount for x in posted_entries(year, unit)), ZERO)
    with transaction.atomic():
        for e in passing:
            if e.designation is None:
                skipped.append(e.person.name)
                continue
            if posted_entries(year, unit).filter(designation=e.designation).exists():
                existing += 1
                continue
            facts = _funding_facts(unit, acceptance.finance_bureau, min(e.designation.year, year.year),
                                   [(year.year, e.track, 1)])
            try:
                posted.append(grant_per_head(e.designation, facts, actor=actor, year=year.year))
            except (LedgerError, FactsError, ValidationError) as exc:
                raise CultivationError(f"{e.person.name}：{_chinese(exc)}") from exc
            except Exception as exc:  # PermissionDenied from the ledger's scope check
                if exc.__class__.__name__ == "PermissionDenied":
                    raise CultivationError(f"{e.person.name}的入选记录不在您的管辖范围内。") from exc
                raise
        total = sum((x.amount for x in posted), ZERO)
        guards.funding_within_entitlement(acceptance, already, total,
                                          {t: sum(1 for e in passing if e.track == t) for t in ("A", "B")})
        record("cultivation.funding", acceptance, actor=actor,
               summary=f"{unit.name} {year.year}学年核拨培育经费 {total} 元（{len(posted)}笔）",
               after={"entries": [x.pk for x in posted], "skipped": skipped})
        if posted:
            notify(_unit_users(unit), title=f"{year.year}学年培育经费已核拨 {total} 元",
                   body=f"经{acceptance.finance_bureau}拨付（江苏卓越技师办法 第二十二条）",
                   url=reverse("cultivation:results_acceptance", args=[unit.pk]))
    return {"posted": posted, "skipped": skipped, "existing": existing,
            "total": sum((x.amount for x in posted), ZERO)}


@action("cultivation.record_expense")
def record_expense(actor: Any, year: CultivationYear, unit: Organisation, *, category: str, amount: Decimal,
                   spent_on: dt.date, description: str, enrolment: Enrolment | None = None,
                   at_unit_canteen: bool | None = None, trainee_only: bool | None = None,
                   evidence: Any = None) -> Expense:
    """A line of the unit's subsidy ledger (第十条, 第十一条)."""
    own = training_unit_of(actor)
    if own is None or own.pk != unit.pk:
        raise CultivationError(gettext("只有承训单位可以登记本单位的经费支出。"))
    if category not in ExpenseCategory.values:
        raise CultivationError(gettext("请选择支出类别。"))
    if amount is None or amount <= 0:
        raise CultivationError(gettext("金额须大于0。"))
    if not description.strip():
        raise CultivationError(gettext("请填写摘要。"))
    if enrolment is not None and (enrolment.year_id != year.pk or enrolment.training_unit != unit):
        raise CultivationError(gettext("受益培育对象不是本单位本学年的培育对象。"))
    if category in NEEDS_TRAINEE and enrolment is None:
        raise CultivationError(gettext("交通、住宿补贴须指明受益培育对象。"))
    if category == ExpenseCategory.MEALS and (at_unit_canteen is None or trainee_only is None):
        raise CultivationError(gettext("用餐补贴须注明是否在本单位食堂、是否仅限培育对象本人。"))
    if category != ExpenseCategory.MEALS:
        at_unit_canteen = trainee_only = None
    with transaction.atomic():
        expense = Expense.objects.create(
            year=year, training_unit=unit, category=category, amount=amount, spent_on=spent_on,
            description=description.strip(), enrolment=enrolment, at_unit_canteen=at_unit_canteen,
            trainee_only=trainee_only, evidence=evidence or "", recorded_by=actor)
        record("cultivation.expense", expense, actor=actor,
               summary=f"{unit.name}支出 {expense.get_category_display()} {amount} 元", after=snapshot(expense))
    return expense
