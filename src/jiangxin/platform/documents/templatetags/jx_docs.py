from __future__ import annotations

import datetime as dt

from django import template

from jiangxin.platform.documents.formats import chinese_date

register = template.Library()


@register.filter(name="chinese_date")
def chinese_date_filter(value: object) -> str:
    """{{ day|chinese_date }} → 2026年11月23日."""
    return chinese_date(value) if isinstance(value, dt.date) else ""
