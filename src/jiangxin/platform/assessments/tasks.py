"""My tasks: units see assessments still to file (with the deadline); office staff see ones to score/publish."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.core.ui import TaskItem


def tasks_for(user: Any) -> list[TaskItem]:
    from jiangxin.platform.assessments import services
    from jiangxin.platform.assessments.models import AssessmentStatus, RoundStatus

    items: list[TaskItem] = []
    role = getattr(user, "role", "")
    if role in services.UNIT_ROLES:
        for a in services.visible_assessments(user).filter(status=AssessmentStatus.PENDING,
                                                           round__status=RoundStatus.OPEN):
            items.append(TaskItem(_("提交%(year)s年度考核自评材料：%(name)s") % {"year": a.round.year, "name": a.designation.name},
                                  f"/assessments/{a.pk}/", 1, due=a.round.self_report_due, kind=_("年度考核")))
    elif services.is_office(user):
        for rnd in services.visible_rounds(user).filter(status=RoundStatus.OPEN):
            waiting = rnd.assessments.filter(status=AssessmentStatus.SUBMITTED).count()
            if waiting:
                verb = _("评分") if services.profile_for(rnd.program.key).scored else _("备案确认")
                items.append(TaskItem(_("%(round)s：待%(verb)s") % {"round": rnd, "verb": verb}, f"/assessments/rounds/{rnd.pk}/", waiting,
                                      kind=_("年度考核")))
    return items
