"""``{% org_bans org %}``: the bans against an organisation that the signed-in user may see."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from jiangxin.platform.people.access import VIEWERS, visible_bans

register = template.Library()


@register.inclusion_tag("people/_org_bans.html", takes_context=True)
def org_bans(context: Any, org: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if getattr(user, "role", None) not in VIEWERS:
        return {"visible": False, "rows": []}
    today = timezone.localdate()
    bans = visible_bans(user).filter(organisation=org).order_by("-start", "id")
    return {"visible": True, "rows": [{"ban": b, "active": b.is_active(today)} for b in bans]}
