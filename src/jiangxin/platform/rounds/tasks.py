from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import APPLICANT_ROLES
from jiangxin.platform.core.ui import TaskItem
from jiangxin.platform.rounds.catalog import PROGRAM_INFO
from jiangxin.platform.rounds.models import RoundStatus
from jiangxin.platform.rounds.services import managed_programs, visible_rounds


def tasks_for(user: Any) -> list[TaskItem]:
    items: list[TaskItem] = []
    rounds = visible_rounds(user)
    if user.role in APPLICANT_ROLES:
        for rnd in rounds.filter(status=RoundStatus.OPEN):
            if user.role in PROGRAM_INFO[rnd.program.key].applicant_roles:
                items.append(TaskItem(_("可申报"), reverse("rounds:detail", args=[rnd.pk]), 1,
                                      due=rnd.closes, kind=_("申报"), subject=rnd.title))
    elif managed_programs(user):
        drafts = rounds.filter(status=RoundStatus.DRAFT).count()
        if drafts:
            items.append(TaskItem(_("待开放的申报批次"), reverse("rounds:list"), drafts, kind=_("批次")))
    return items
