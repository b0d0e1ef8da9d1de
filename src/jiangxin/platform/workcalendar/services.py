"""Saving an entered calendar year: one transaction with its audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from jiangxin.platform.audit.service import record
from jiangxin.platform.workcalendar.models import CalendarYear


def _state(row: CalendarYear) -> dict[str, Any]:
    return {"year": row.year, "notice_reference": row.notice_reference, "holidays": list(row.holidays),
            "makeup_workdays": list(row.makeup_workdays)}


def save_year(*, actor: Any, year: int, notice_reference: str, holidays: list[dt.date],
              makeup_workdays: list[dt.date]) -> CalendarYear:
    """Create or correct ``year``'s entry (the form has validated it); audited as 工作日日历录入/修改."""
    with transaction.atomic():
        row = CalendarYear.objects.select_for_update().filter(year=year).first()
        before = _state(row) if row is not None else None
        if row is None:
            row = CalendarYear(year=year)
        row.notice_reference = notice_reference.strip()
        row.holidays = [d.isoformat() for d in sorted(set(holidays))]
        row.makeup_workdays = [d.isoformat() for d in sorted(set(makeup_workdays))]
        row.entered_by = actor if getattr(actor, "pk", None) else None
        row.save()
        action = "workcalendar.year.update" if before is not None else "workcalendar.year.create"
        record(action, row, actor=actor, summary=f"{year}年工作日日历（{row.notice_reference}）",
               before=before, after=_state(row))
    return row
