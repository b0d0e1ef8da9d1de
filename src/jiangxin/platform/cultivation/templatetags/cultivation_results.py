"""``{% load cultivation_results %}``: short forms of stored outcomes for the results pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter(name="articles")
def articles(outcome: Any) -> list[str]:
    """The distinct articles an outcome's trace cites, in order, without clause detail
    (``江苏卓越技师办法 附件4（第3项）`` → ``江苏卓越技师办法 附件4``)."""
    seen: list[str] = []
    steps = outcome.get("trace", []) if isinstance(outcome, Mapping) else []
    for step in steps:
        citation = step.get("citation") or {}
        label = str(citation.get("label") or "")
        clause = str(citation.get("clause") or "")
        if clause and label.endswith(clause):
            label = label[: -len(clause)]
        if label and label not in seen:
            seen.append(label)
    return seen


@register.filter(name="section_titles")
def section_titles(sections: Any) -> list[tuple[str, Any]]:
    """附件4 subtotals keyed by section key → (section title, points)."""
    from jiangxin.programs.jiangsu_technician.scoring import UNIT_ACCEPTANCE_RUBRIC

    titles = {s.key: s.title for s in UNIT_ACCEPTANCE_RUBRIC.sections}
    if not isinstance(sections, Mapping):
        return []
    return [(titles[k] if k in titles else k, v) for k, v in sections.items()]
