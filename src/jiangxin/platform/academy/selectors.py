"""Academy reads: who is who (academy, office, staff viewer) and the scope checks the actions and the
transition registry use, what each user may see (through ``orgs.scope.scope``), the teaching tier, the honour and
title choices, and the teacher pool's refresh period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from jiangxin.platform.academy.models import (
    Course,
    CourseMaterial,
    CourseStatus,
    ImportJob,
    Teacher,
    TeacherStatus,
    TrainingOffering,
)
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.orgs.models import Jurisdiction, Organisation
from jiangxin.platform.orgs.scope import scope
from jiangxin.policy.registry import get_computation

# --- who is who ------------------------------------------------------------------------------------------


def is_academy(user: Any) -> bool:
    """A unit user of a Nanchang member organisation acts for that academy (工匠学院)."""
    org = getattr(user, "organisation", None)
    return (getattr(user, "is_authenticated", False) and getattr(user, "role", "") == Role.UNIT
            and org is not None and org.jurisdiction == Jurisdiction.NANCHANG)


def is_office(user: Any) -> bool:
    """Office staff (role office) of the Nanchang union (工匠学院建设工作领导小组办公室) or its subtree."""
    org = getattr(user, "organisation", None)
    return (getattr(user, "is_authenticated", False) and getattr(user, "role", "") == Role.OFFICE
            and org is not None and org.jurisdiction == Jurisdiction.NANCHANG)


def is_staff_viewer(user: Any) -> bool:
    org = getattr(user, "organisation", None)
    return (getattr(user, "is_authenticated", False) and getattr(user, "role", "") == Role.DISTRICT
            and org is not None and org.jurisdiction == Jurisdiction.NANCHANG)


def can_use(user: Any) -> bool:
    return is_academy(user) or is_office(user) or is_staff_viewer(user)


def require_academy(user: Any) -> Organisation:
    if not is_academy(user):
        raise PermissionDenied("只有工匠学院（申报单位）账号可以办理")
    org: Organisation = user.organisation
    return org


def require_office(user: Any) -> None:
    if not is_office(user):
        raise PermissionDenied("只有工匠学院建设工作领导小组办公室可以办理")


def who_office(user: Any, *_args: Any, **_kwargs: Any) -> None:
    require_office(user)


def who_academy(user: Any, *_args: Any, **_kwargs: Any) -> None:
    require_academy(user)


def who_either(user: Any, *_args: Any, **_kwargs: Any) -> None:
    if not (is_office(user) or is_academy(user)):
        raise PermissionDenied("无权办理")


def visible_teachers(user: Any) -> QuerySet[Teacher]:
    if not can_use(user):
        return Teacher.objects.none()
    return scope(Teacher.objects.select_related("organisation"), user, org_field="organisation")


def visible_jobs(user: Any) -> QuerySet[ImportJob]:
    if not can_use(user):
        return ImportJob.objects.none()
    return scope(ImportJob.objects.select_related("academy"), user, org_field="academy")


def visible_courses(user: Any) -> QuerySet[Course]:
    if not can_use(user):
        return Course.objects.none()
    return scope(Course.objects.select_related("academy"), user, org_field="academy")


def visible_offerings(user: Any) -> QuerySet[TrainingOffering]:
    if not can_use(user):
        return TrainingOffering.objects.none()
    return scope(TrainingOffering.objects.select_related("academy"), user, org_field="academy")


def visible_trainees(user: Any) -> QuerySet[Any]:
    from jiangxin.platform.academy.models import Trainee

    if not can_use(user):
        return Trainee.objects.none()
    return scope(Trainee.objects.select_related("academy"), user, org_field="academy")


# --- teachers (第九条) ---------------------------------------------------------------------------------------

TEACHING = ("nanchang_academy", "teaching_subsidy")


def teaching_tier(honours: list[str], title: str, on: dt.date | None = None) -> tuple[Decimal, str]:
    """The teacher's rate per lesson-hour and its basis, from the 第二十一条（三） computation itself
    (one lesson-hour through ``nanchang_academy/teaching_subsidy``; the tier table lives only there)."""
    lesson: dict[str, Any] = {"teacher": "tier", "honours": honours, "hours": 1}
    if title:
        lesson["title"] = title
    outcome = get_computation(*TEACHING).run({"as_of": (on or timezone.localdate()).isoformat(),
                                             "lessons": [lesson]})
    line = outcome.value.lines[0]
    return Decimal(line.rate), str(line.label)


def honour_choices() -> list[tuple[str, str]]:
    from jiangxin.programs.nanchang_academy.funding import Honour

    return [(h.value, _enum(h.value)) for h in Honour]


def title_choices() -> list[tuple[str, str]]:
    from jiangxin.programs.nanchang_academy.funding import Title

    return [("", gettext("无/其他"))] + [(t.value, _enum(t.value)) for t in Title]


def _enum(value: str) -> str:
    """An honour or title (stored in Chinese, the term of the rules) in the reader's language."""
    from django.utils.translation import get_language

    from jiangxin.policy.labels import enum_label

    return enum_label(None, "", value, get_language() or "zh-hans")


def refresh_days() -> int:
    return int(getattr(settings, "JIANGXIN_TEACHER_REFRESH_DAYS", 365))


def stale_teachers(user: Any) -> QuerySet[Teacher]:
    """Pool records not confirmed within the refresh period (定期补充完善, 第九条)."""
    return visible_teachers(user).filter(stale_teacher())


def stale_teacher() -> Q:
    """The condition of ``stale_teachers``: approved and last confirmed before the refresh period."""
    limit = timezone.localdate() - dt.timedelta(days=refresh_days())
    return Q(status=TeacherStatus.APPROVED, confirmed_on__lt=limit)


def material_visible(user: Any, material: CourseMaterial) -> bool:
    """Published courses are public; drafts and withdrawn courses only for the academy and the office."""
    if material.course.status == CourseStatus.PUBLISHED:
        return True
    return visible_courses(user).filter(pk=material.course_id).exists()
