"""My tasks: units see assessments still to file (with the deadline); office staff see ones to score/publish."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.core.ui import TaskItem


def tasks_for(user: Any) -> list[TaskItem]:
    from jiangxin.platform.assessments import services
    from jiangxin.platform.assessments.models import AssessmentStatus, RoundStatus
    from jiangxin.platform.core.templatetags.labels import program_name

    items: list[TaskItem] = []
    role = getattr(user, "role", "")
    if role in services.UNIT_ROLES:
        for a in services.visible_assessments(user).filter(status=AssessmentStatus.PENDING,
                                                           round__status=RoundStatus.OPEN):
            items.append(TaskItem(_("提交%(year)s年度考核自评材料") % {"year": a.round.year},
                                  f"/assessments/{a.pk}/", 1, due=a.round.self_report_due, kind=_("年度考核"),
                                  subject=a.designation.name))
    elif services.is_office(user):
        for rnd in services.visible_rounds(user).filter(status=RoundStatus.OPEN):
            waiting = rnd.assessments.filter(status=AssessmentStatus.SUBMITTED).count()
            if waiting:
                # the round by year and program name in the reader's language (its __str__ is Chinese)
                names = {"year": rnd.year, "program": program_name(rnd.program.key)}
                title = (_("%(year)s年度%(program)s考核：待评分") if services.profile_for(rnd.program.key).scored
                         else _("%(year)s年度%(program)s考核：待备案确认")) % names
                items.append(TaskItem(title, f"/assessments/rounds/{rnd.pk}/", waiting, kind=_("年度考核")))
    return items
