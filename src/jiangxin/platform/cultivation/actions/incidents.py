"""Incidents during the year and the bans they bring (江苏卓越技师办法 第二十一条).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.cultivation import guards
from jiangxin.platform.cultivation.access import (
    CultivationError,
    city_of,
    is_city_lead,
    is_province_office,
    training_unit_of,
)
from jiangxin.platform.cultivation.common_results import BAN_PROGRAMS, BAN_REASONS, _citation, _run
from jiangxin.platform.cultivation.models import CultivationYear, Enrolment, Incident, IncidentKind
from jiangxin.platform.cultivation.transitions import action
from jiangxin.platform.notifications.services import notify_roles
from jiangxin.platform.orgs.models import Organisation


@action("cultivation.record_incident")
def record_incident(actor: Any, year: CultivationYear, *, kind: str, description: str, decided_on: dt.date,
                    enrolment: Enrolment | None = None, employer: Organisation | None = None,
                    notify_employer: bool | None = None, without_good_reason: bool | None = None,
                    award_ban_exception: str = "") -> Incident:
    """A 第二十一条 finding; ``discipline_sanctions`` decides the measures, which the platform then applies:
    the employer's users are notified and the bans are put on the register."""
    if kind not in IncidentKind.values:
        raise CultivationError(gettext("请选择事件类别。"))
    if not description.strip():
        raise CultivationError(gettext("请写明事实经过。"))
    guards.finding_date_allowed(year, decided_on, timezone.localdate())
    if enrolment is not None and enrolment.year_id != year.pk:
        raise CultivationError(gettext("该培育对象不属于本学年。"))
    if kind == IncidentKind.TRAINEE_DISCIPLINE:
        if enrolment is None:
            raise CultivationError(gettext("违反培训纪律须指明培育对象。"))
        employer = enrolment.employer
        if employer is None:
            raise CultivationError(gettext("该培育对象未登记工作单位，无法通报。"))
        if notify_employer is None:
            raise CultivationError(gettext("请决定是否通报至工作单位。"))
        without_good_reason = None
    else:
        if employer is None:
            employer = enrolment.employer if enrolment is not None else None
        if employer is None:
            raise CultivationError(gettext("请选择用人单位。"))
        if without_good_reason is None:
            raise CultivationError(gettext("请认定用人单位是否无正当理由。"))
        notify_employer, award_ban_exception = None, ""
    unit = enrolment.training_unit if enrolment is not None else None
    allowed = is_province_office(actor) or (
        unit is not None and (own := training_unit_of(actor)) is not None and own.pk == unit.pk) or (
        city_of(unit or employer) is not None and is_city_lead(actor, year, city_of(unit or employer)))
    if not allowed:
        raise CultivationError(gettext("只有承训单位（本单位培育对象）、市级负责人或省级主管部门可以登记。"))
    subject = enrolment.person.name if kind == IncidentKind.TRAINEE_DISCIPLINE and enrolment else employer.name
    inc: dict[str, Any] = {"key": "I1", "kind": kind, "subject": subject, "decided_on": decided_on.isoformat()}
    if kind == IncidentKind.TRAINEE_DISCIPLINE:
        inc.update(employer=employer.name, notify_employer=bool(notify_employer))
        if award_ban_exception.strip():
            inc["award_ban_exception"] = award_ban_exception.strip()
    else:
        inc["without_good_reason"] = bool(without_good_reason)
    outcome = _run("discipline_sanctions", {"as_of": timezone.localdate().isoformat(), "incidents": [inc]})
    from jiangxin.platform.people.services import impose_ban

    with transaction.atomic():
        incident = Incident.objects.create(
            year=year, kind=kind, enrolment=enrolment, employer=employer, description=description.strip(),
            decided_on=decided_on, notify_employer=notify_employer, without_good_reason=without_good_reason,
            outcome=outcome, recorded_by=actor)
        url = reverse("cultivation:results_incident", args=[incident.pk])
        ban_ids: list[int] = []
        for measure in outcome["value"]:
            name = measure["measure"]
            citation = _citation(outcome, name)
            if name == "notify_employer":
                notify_roles(employer, [Role.UNIT], title=f"培育对象{subject}违反培训纪律的通报",
                             body=f"{description.strip()}（{citation}）", url=url, kind="warning")
            elif name in BAN_PROGRAMS:
                ban = impose_ban(
                    program=BAN_PROGRAMS[name], reason=BAN_REASONS[name], citation_label=citation,
                    start=dt.date.fromisoformat(measure["start"]), end=dt.date.fromisoformat(measure["end"]),
                    person=enrolment.person if name == "provincial_award_ban" and enrolment else None,
                    organisation=None if name == "provincial_award_ban" else employer,
                    decision_reference=f"培育计划事件{incident.pk}", actor=actor)
                ban_ids.append(ban.pk)
        incident.ban_ids = ban_ids
        incident.save(update_fields=["ban_ids"])
        record("cultivation.incident", incident, actor=actor,
               summary=f"{incident.get_kind_display()}：{subject}，禁止记录{len(ban_ids)}条", after=snapshot(incident))
        if kind == IncidentKind.EMPLOYER_NO_SUPPORT and without_good_reason:
            notify_roles(employer, [Role.UNIT], title="不支持职工参训的处理决定",
                         body=f"{year.year}学年：{citation or '江苏卓越技师办法 第二十一条'}", url=url, kind="warning")
    return incident
