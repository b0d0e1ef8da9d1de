from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.ui import TaskItem
from jiangxin.platform.panels.models import SheetStatus
from jiangxin.platform.panels.services import MANAGER_ROLES, managed_panels, visible_sheets


def tasks_for(user: Any) -> list[TaskItem]:
    if user.role == Role.EXPERT:
        sheets = visible_sheets(user)
        items = []
        to_score = sheets.filter(status=SheetStatus.DRAFT).count()
        if to_score:
            items.append(TaskItem(_("待评分的申报"), reverse("panels:mine"), to_score, kind=_("专家评审")))
        to_sign = sheets.filter(status=SheetStatus.SUBMITTED).count()
        if to_sign:
            items.append(TaskItem(_("已提交待签字确认的评分表"), reverse("panels:mine"), to_sign, kind=_("专家评审")))
        return items
    if user.role in MANAGER_ROLES:
        items = []
        for panel in managed_panels(user).filter(completed_at__isnull=True):
            sheets = visible_sheets(user).filter(member__panel=panel)
            # recusals not yet covered by a substitute's sheet
            recused = (sheets.filter(status=SheetStatus.RECUSED).count()
                       - sheets.filter(member__substitute=True).count())
            if recused > 0:
                items.append(TaskItem(_("专家回避待处理"), reverse("panels:detail", args=[panel.pk]),
                                      recused, kind=_("专家评审"), subject=panel.title))
        return items
    return []
