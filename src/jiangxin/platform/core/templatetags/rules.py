"""``{% load rules %}{{ step|rule_label:program_key }}``: the short title of a trace step's rule.

Stored outcomes (Outcome JSON) carry machine rule ids such as ``leader_honour``; people read the short
title from the policy core's labels (``jiangxin.policy.labels``) in the active language. ``program_key`` may
be a program key (``nanchang_studio``) or a stored outcome's ``computation`` (``nanchang_studio/eligibility``);
without it the step's citation document is used when it names a program. Unknown rules show their id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils import translation

from jiangxin.policy.labels import generic_labels
from jiangxin.policy.labels import rule_label as policy_rule_label

register = template.Library()


def _rule_of(step: Any) -> str:
    if isinstance(step, Mapping):
        return str(step.get("rule") or "")
    if isinstance(step, str):
        return step
    return str(getattr(step, "rule", "") or "")


def _document_of(step: Any) -> str:
    citation = step.get("citation") if isinstance(step, Mapping) else getattr(step, "citation", None)
    if isinstance(citation, Mapping):
        return str(citation.get("document") or "")
    return str(getattr(citation, "document", "") or "")


@register.filter(name="rule_label")
def rule_label(step: Any, program_key: Any = None) -> str:
    """Short title of ``step``'s rule (a step dict, a ``Step`` or a bare rule id) in the active language."""
    rule = _rule_of(step)
    if not rule:
        return ""
    program = str(program_key or "").split("/", 1)[0] or _document_of(step) or None
    return policy_rule_label(program, rule, translation.get_language() or "zh")


#: what an outcome's status means, for people (policy.outcome.Status)
_STATUS_LABELS = {"ok": "已计算", "eligible": "符合条件", "ineligible": "不符合条件", "passed": "通过", "failed": "未通过"}


@register.filter(name="outcome_status")
def outcome_status(status: Any) -> str:
    """``{{ outcome.status|outcome_status }}``: eligible → 符合条件 (unknown statuses show as stored)."""
    from django.utils.translation import gettext

    code = str(status or "")
    return gettext(_STATUS_LABELS[code]) if code in _STATUS_LABELS else code


@register.filter(name="program_title")
def program_title(key: Any) -> str:
    """``{{ designation.program|program_title }}``: nanchang_studio → the program's full title on Chinese pages,
    its label (``program.<key>``) on English pages (the registry holds the title in Chinese only)."""
    from jiangxin.policy.registry import PROGRAMS
    from jiangxin.programs import load_all

    code = str(key or "")
    if (translation.get_language() or "").lower().startswith("en"):
        entry = generic_labels().get(f"program.{code}")
        if entry is not None:
            return entry["en"]
    load_all()
    program = PROGRAMS.get(code)
    return program.title if program is not None else code
