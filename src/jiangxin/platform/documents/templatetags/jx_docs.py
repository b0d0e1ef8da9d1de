from __future__ import annotations

import datetime as dt

from django import template

from jiangxin.platform.core.formats import chinese_date

register = template.Library()


@register.filter(name="chinese_date")
def chinese_date_filter(value: object) -> str:
    """{{ day|chinese_date }} → 2026年11月23日 (on English pages: 23 Nov 2026, see core's ``ldate``)."""
    from django.utils import translation

    if isinstance(value, dt.date) and (translation.get_language() or "").startswith("en"):
        from jiangxin.platform.core.templatetags.labels import ldate

        return ldate(value)
    return chinese_date(value) if isinstance(value, dt.date) else ""
