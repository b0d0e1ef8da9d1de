"""Pick sources of the expert panels (decision 0028): experts of the panel's jurisdiction, for its manager."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from jiangxin.platform.accounts.models import User
from jiangxin.platform.core.picks import expert_label, source


def _panel(user: Any, params: Mapping[str, str]) -> Any:
    from jiangxin.platform.panels import services

    pk = params.get("panel", "")
    return services.managed_panels(user).filter(pk=int(pk)).first() if pk.isdecimal() else None


@source("panels.experts", label=expert_label, search="display_name", params=("panel",))
def new_members(user: Any, params: Mapping[str, str]) -> QuerySet[Any]:
    """Experts not yet on the panel, of its round organiser's jurisdiction."""
    from jiangxin.platform.panels.forms import experts

    panel = _panel(user, params)
    if panel is None:
        return User.objects.none()
    return experts(panel).exclude(panel_memberships__panel=panel, panel_memberships__substitute=False)


@source("panels.substitutes", label=expert_label, search="display_name", params=("panel",))
def substitutes(user: Any, params: Mapping[str, str]) -> QuerySet[Any]:
    """Experts who may replace one on the panel (same jurisdiction)."""
    from jiangxin.platform.panels.forms import experts

    panel = _panel(user, params)
    return User.objects.none() if panel is None else experts(panel)
