"""The applicant's side of a round page (rounds/detail.html): whether the reader may apply, and the applications
they may see in the round. A template tag, so that the rounds app (a lower floor) never imports applications."""

from __future__ import annotations

from typing import Any

from django import template

from jiangxin.platform.applications.services import can_apply, visible_applications

register = template.Library()


@register.simple_tag(takes_context=True)
def round_applications(context: Any, rnd: Any) -> dict[str, Any]:
    user = context["request"].user
    mine = visible_applications(user).filter(round=rnd)
    return {"can_apply": can_apply(user, rnd) and rnd.is_open, "applications": mine[:200], "count": mine.count()}
