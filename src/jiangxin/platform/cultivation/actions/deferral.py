"""Deferring a trainee to the next year (江苏卓越技师办法 第二十四条): the request, the decision, and the
return of those deferred when the next year opens.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.common_results import (
    _citation,
    _lead_users,
    _person_users,
    _province_office_users,
    _run,
)
from jiangxin.platform.cultivation.models import CultivationYear, Enrolment, EnrolmentStatus
from jiangxin.platform.cultivation.selectors.results import (
    _attended,
    _previous_deferral_years,
    can_decide_deferral,
)
from jiangxin.platform.cultivation.transitions import action
from jiangxin.platform.notifications.services import notify


@action("cultivation.request_deferral")
def request_deferral(actor: Any, enrolment: Enrolment, *, reason: str, detail: str) -> Enrolment:
    """The trainee asks to defer to the next year (第二十四条)."""
    person = getattr(actor, "person", None)
    if getattr(actor, "role", "") != Role.TRAINEE or person is None or person.pk != enrolment.person_id:
        raise CultivationError(gettext("只能为本人申请延期。"))
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise CultivationError(gettext("只有在训的培育对象可以申请延期。"))
    if (enrolment.deferral_outcome or {}).get("state") == "pending":
        raise CultivationError(gettext("已有待审批的延期申请。"))
    if reason not in ("work", "family", "health", "other"):
        raise CultivationError(gettext("请选择延期原因。"))
    if not detail.strip():
        raise CultivationError(gettext("请说明原因。"))
    with transaction.atomic():
        before = snapshot(enrolment)
        enrolment.deferral_outcome = {"state": "pending", "request": {
            "reason": reason, "detail": detail.strip(), "requested_on": timezone.localdate().isoformat()}}
        enrolment.save(update_fields=["deferral_outcome"])
        record("cultivation.deferral.request", enrolment, actor=actor, summary=f"{enrolment}申请延期",
               before=before, after=snapshot(enrolment))
        url = reverse("cultivation:results_deferrals")
        notify([*_lead_users(enrolment.year, enrolment.home_city), *_province_office_users()],
               title=f"{enrolment.person.name}申请延期培育", body="请审批（江苏卓越技师办法 第二十四条）", url=url)
    return enrolment


@action("cultivation.decide_deferral")
def decide_deferral(actor: Any, enrolment: Enrolment, *, approve: bool, note: str = "") -> Enrolment:
    """The province office or the trainee's city lead decides; ``deferral`` (once per person, nothing carried
    over) makes the decision when the request is approved."""
    if not can_decide_deferral(actor, enrolment):
        raise CultivationError(gettext("只有省级主管部门或该市市级负责人可以审批延期。"))
    state = enrolment.deferral_outcome or {}
    if state.get("state") != "pending":
        raise CultivationError(gettext("没有待审批的延期申请。"))
    request = state["request"]
    outcome = None
    if approve:
        hours, credits = _attended(enrolment)
        outcome = _run("deferral", {
            "as_of": timezone.localdate().isoformat(), "trainee": f"E{enrolment.pk}",
            "plan_year": enrolment.year.year, "reason": request["reason"], "reason_detail": request["detail"],
            "requested_on": request["requested_on"], "previous_deferral_years": _previous_deferral_years(enrolment),
            "hours_attended": str(hours), "credits_earned": str(credits)})
        granted = bool(outcome["value"]["granted"])
    else:
        if not note.strip():
            raise CultivationError(gettext("不同意延期须写明理由。"))
        granted = False
    with transaction.atomic():
        before = snapshot(enrolment)
        enrolment.deferral_outcome = {
            "state": "granted" if granted else ("refused" if approve else "rejected"), "request": request,
            "outcome": outcome, "note": note.strip(), "decided_on": timezone.localdate().isoformat(),
            "decided_by": getattr(actor, "pk", None)}
        if granted:
            enrolment.status = EnrolmentStatus.DEFERRED
        enrolment.save(update_fields=["deferral_outcome", "status"])
        record("cultivation.deferral.decide", enrolment, actor=actor,
               summary=f"{enrolment}延期申请：{'准予' if granted else '不予'}延期", before=before,
               after=snapshot(enrolment))
        if granted:
            following = CultivationYear.objects.filter(year=enrolment.year.year + 1).first()
            if following is not None:
                returning_from_deferral(following)
        notify(_person_users(enrolment.person),
               title=f"延期申请{'已准予，顺延至' + str(enrolment.year.year + 1) + '学年' if granted else '未获准许'}",
               body=_citation(outcome or {}) or "江苏卓越技师办法 第二十四条", url=reverse("cultivation:results_mine"))
    return enrolment


def returning_from_deferral(year: CultivationYear) -> list[Enrolment]:
    """Enrolments in ``year`` for everyone granted a deferral from the year before (第二十四条): they start
    again with nothing carried over and choose unit and major anew. Idempotent."""
    created = []
    deferred = Enrolment.objects.filter(year__year=year.year - 1, status=EnrolmentStatus.DEFERRED)
    for e in deferred.select_related("person"):
        if (e.deferral_outcome or {}).get("state") != "granted":
            continue
        if Enrolment.objects.filter(year=year, person=e.person).exists():
            continue
        with transaction.atomic():
            new = Enrolment.objects.create(year=year, designation=e.designation, person=e.person, track=e.track,
                                           employer=e.employer, home_city=e.home_city, remote=e.remote,
                                           status=EnrolmentStatus.CHOOSING)
            record("cultivation.deferral.return", new, actor=None,
                   summary=f"{e.person.name}延期后参加{year.year}学年", after=snapshot(new))
        created.append(new)
    return created
