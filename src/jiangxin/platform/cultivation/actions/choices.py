"""A trainee's choice of unit and major (江苏卓越技师办法 第七条, 第十七条), made by the trainee or entered on
their behalf; deadline and capacity are enforced.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record
from jiangxin.platform.cultivation import guards
from jiangxin.platform.cultivation.access import CultivationError, city_of, is_province_office
from jiangxin.platform.cultivation.common_setup import _notify, _today, _unit_users
from jiangxin.platform.cultivation.models import Enrolment, EnrolmentStatus, Major
from jiangxin.platform.cultivation.transitions import action


@action("cultivation.choose_major")
def choose_major(actor: Any, enrolment: Enrolment, major: Major) -> Enrolment:
    """The trainee chooses a unit and major (第七条); another city's unit makes the trainee remote (theory then
    online, 第十七条). Allowed, and changeable, until the choice deadline; capacity is enforced."""
    if getattr(actor, "role", "") != Role.TRAINEE or getattr(actor, "person_id", None) != enrolment.person_id:
        raise CultivationError(gettext("只能由培育对象本人选择。"))
    return _set_choice(actor, enrolment, major, "cultivation.choose")


@action("cultivation.record_choice")
def record_choice(actor: Any, enrolment: Enrolment, major: Major) -> Enrolment:
    """Province office or staff of the trainee's city HR bureau enter a choice handed in on paper (same rules:
    deadline, capacity, published majors)."""
    org = getattr(actor, "organisation", None)
    if not (is_province_office(actor) or (getattr(actor, "role", "") in (Role.OFFICE, Role.DISTRICT)
                                          and org is not None and org.pk == enrolment.home_city_id)):
        raise CultivationError(gettext("只有省级主管部门或培育对象所在市人社局可以代为登记。"))
    return _set_choice(actor, enrolment, major, "cultivation.choose_on_behalf")


def _set_choice(actor: Any, enrolment: Enrolment, major: Major, action: str) -> Enrolment:
    year = enrolment.year
    if enrolment.status not in (EnrolmentStatus.CHOOSING, EnrolmentStatus.ENROLLED):
        raise CultivationError(gettext("当前状态不能选择专业。"))
    if major.year_id != year.pk or not major.published:
        raise CultivationError(gettext("请从本学年已发布的专业中选择。"), citations=[guards.cite("第七条")])
    guards.choice_allowed(enrolment, major, _today())
    with transaction.atomic():
        locked = Major.objects.select_for_update(of=("self",)).get(pk=major.pk)
        taken = locked.enrolments.exclude(pk=enrolment.pk).exclude(
            status__in=[EnrolmentStatus.DEFERRED, EnrolmentStatus.WITHDRAWN]).count()
        if locked.capacity is not None and taken >= locked.capacity:
            raise CultivationError(f"{major.name} 名额已满（{locked.capacity} 人），请选择其他专业。")
        before = {"major": str(enrolment.major) if enrolment.major_id else None, "remote": enrolment.remote}
        previous_unit = enrolment.training_unit
        unit_city = city_of(major.training_unit)
        enrolment.major = major
        enrolment.remote = unit_city is None or unit_city.pk != enrolment.home_city_id
        enrolment.chosen_at = timezone.now()
        enrolment.status = EnrolmentStatus.ENROLLED
        if previous_unit is not None and previous_unit.pk != major.training_unit_id:
            enrolment.mentor = None
        enrolment.save(update_fields=["major", "remote", "chosen_at", "status", "mentor"])
        record(action, enrolment, actor=actor,
               summary=f"{enrolment.person.name} 选择 {major}{'（异地）' if enrolment.remote else ''}",
               before=before, after={"major": str(major), "remote": enrolment.remote})
    _notify(_unit_users(major.training_unit), f"{enrolment.person.name} 选择了本单位的专业“{major.name}”",
            url=reverse("cultivation:unit_trainees"))
    return enrolment
