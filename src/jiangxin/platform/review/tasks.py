from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from jiangxin.platform.core.ui import TaskItem
from jiangxin.platform.review.models import Case, CaseState
from jiangxin.platform.review.nav import REVIEW_ROLES


def tasks_for(user: Any) -> list[TaskItem]:
    from jiangxin.platform.review import services
    from jiangxin.policy.workflow import load_workflow

    role = getattr(user, "role", "")
    items: list[TaskItem] = []
    if role in REVIEW_ROLES:
        counts: dict[tuple[str, str], int] = {}
        for program, stage in services.acting_cases(user).values_list("program", "stage"):
            counts[(program, stage)] = counts.get((program, stage), 0) + 1
        for (program, stage), n in sorted(counts.items()):
            from jiangxin.platform.core.templatetags.labels import stage_title

            title = stage_title(load_workflow(program).stage(stage), program)
            items.append(TaskItem(_("待办：%(stage)s") % {"stage": title}, f"{reverse('review:queue')}?stage={stage}&program={program}", n,
                                  kind=_("评审办理")))
        # I-PUB-07: the office publishes the notice itself; the dashboard says how many wait for one
        for rnd, n in services.publicity_backlog(user):
            items.insert(0, TaskItem(_("%(n)s 项申报待公示 — 发布公示") % {"n": n},
                                     f"{reverse('review:round', args=[rnd.pk])}#publicity", n, kind=_("公示"),
                                     subject=rnd.title))
        return items
    for case in services.visible_cases(user).filter(state=CaseState.RETURNED):
        items.append(TaskItem(_("退回修改"), f"/review/cases/{case.pk}/", 1,
                              due=case.returned_until, kind=_("评审办理"), subject=case.application.title))
    return items


__all__ = ["Case", "tasks_for"]
