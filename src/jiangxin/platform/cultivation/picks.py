"""Pick sources of the cultivation pages (decision 0028): a training unit's teachers, the employers of the
trainees in the caller's scope."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from jiangxin.platform.core.picks import org_label, source
from jiangxin.platform.orgs.models import Organisation


def mentor_label(m: Any) -> str:
    return f"{m.name}（{m.get_title_display()}{' · ' + m.skill_level if m.skill_level else ''}）"


@source("cultivation.mentors", label=mentor_label)
def mentors(user: Any, params: Mapping[str, str]) -> QuerySet[Any]:
    """The active teachers of the caller's own training unit."""
    from jiangxin.platform.cultivation.access import training_unit_of
    from jiangxin.platform.cultivation.models import Mentor

    unit = training_unit_of(user)
    return Mentor.objects.none() if unit is None else Mentor.objects.filter(training_unit=unit, active=True)


@source("cultivation.employers", label=org_label, params=("year",))
def employers(user: Any, params: Mapping[str, str]) -> QuerySet[Any]:
    """Employers of the trainees (with a major) the caller sees in the year."""
    from jiangxin.platform.cultivation.access import visible_enrolments
    from jiangxin.platform.cultivation.models import CultivationYear

    wanted = params.get("year", "")
    year = CultivationYear.objects.filter(year=int(wanted)).first() if wanted.isdecimal() else None
    if year is None:
        return Organisation.objects.none()
    enrolments = visible_enrolments(user, year).exclude(major__isnull=True)
    return Organisation.objects.filter(pk__in=enrolments.values("employer"))
