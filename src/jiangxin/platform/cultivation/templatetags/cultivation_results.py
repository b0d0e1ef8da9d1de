"""``{% load cultivation_results %}``: short forms of stored outcomes for the results pages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

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
    from jiangxin.platform.panels.rubrics import section_title
    from jiangxin.programs.jiangsu_technician.scoring import UNIT_ACCEPTANCE_RUBRIC

    titles: dict[str, str] = {s.key: str(section_title(UNIT_ACCEPTANCE_RUBRIC.key, s.key, s.title) or s.title)
                              for s in UNIT_ACCEPTANCE_RUBRIC.sections}
    if not isinstance(sections, Mapping):
        return []
    return [(titles.get(str(k), str(k)), v) for k, v in sections.items()]


_REASONS = (
    (re.compile(r"^分数(?P<score>.+?)按分档为(?P<grade>.+)$"), gettext_noop("分数%(score)s按分档为%(grade)s")),
    (re.compile(r"^学分(?P<got>.+?)/(?P<need>.+?)不足(?P<share>.+?)，直接认定不合格$"),
     gettext_noop("学分%(got)s/%(need)s不足%(share)s，直接认定不合格")),
    (re.compile(r"^学时(?P<got>.+?)/(?P<need>.+?)不足(?P<share>.+?)，直接认定不合格$"),
     gettext_noop("学时%(got)s/%(need)s不足%(share)s，直接认定不合格")),
    (re.compile(r"^(?P<grade>.+?)比例超过上限，按分数由(?P<before>.+?)调为(?P<after>.+)$"),
     gettext_noop("%(grade)s比例超过上限，按分数由%(before)s调为%(after)s")),
)
_GRADES = ("grade", "before", "after")


@register.filter(name="grade_reasons", is_safe=True)
def grade_reasons(reasons: Any) -> SafeString:
    """The reasons a trainee's grade rests on (stored by ``trainee_grading`` in Chinese) in the reader's language:
    each known kind of reason is said again through the catalogue, grades by their labels; any other reason is
    shown as stored, marked as Chinese."""
    from jiangxin.platform.core.templatetags.labels import enum_name

    out = []
    for reason in reasons if isinstance(reasons, list | tuple) else []:
        text = str(reason)
        for pattern, message in _REASONS:
            m = pattern.match(text)
            if m:
                values = {k: enum_name(v) if k in _GRADES else v for k, v in m.groupdict().items()}
                out.append(escape(gettext(message) % values))
                break
        else:
            out.append(format_html('<span lang="zh-Hans">{}</span>', text))
    return mark_safe("；".join(out))
