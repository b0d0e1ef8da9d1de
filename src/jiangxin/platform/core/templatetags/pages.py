"""``{% page_query n %}``: the current query string with ``page=n`` (every filter kept)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context: dict[str, Any], number: int) -> str:
    query = context["request"].GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()
