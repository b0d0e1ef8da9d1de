"""A trainee's leave (江苏卓越技师办法 第十二条): the request and the city lead's decision.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from jiangxin.platform.audit.service import record
from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.common_training import (
    _notify,
    _own_enrolment,
    _require_open,
    city_leads,
    trainee_users,
    unit_users,
)
from jiangxin.platform.cultivation.models import Enrolment, EnrolmentStatus, LeaveRequest, RequestStatus
from jiangxin.platform.cultivation.selectors.training import can_decide_leave
from jiangxin.platform.cultivation.transitions import action


@action("cultivation.request_leave")
@transaction.atomic
def request_leave(actor: Any, enrolment: Enrolment, *, start: dt.date, end: dt.date, reason: str) -> LeaveRequest:
    _own_enrolment(actor, enrolment)
    _require_open(enrolment.year)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise CultivationError(gettext("只有在训学员可以请假。"))
    if end < start:
        raise CultivationError(gettext("结束日期不能早于开始日期。"))
    reason = (reason or "").strip()
    if not reason:
        raise CultivationError(gettext("请填写请假事由。"))
    overlap = enrolment.leave_requests.exclude(status=RequestStatus.REJECTED).filter(start__lte=end, end__gte=start)
    if overlap.exists():
        raise CultivationError(gettext("与已提交的请假时间重叠。"))
    leave = LeaveRequest.objects.create(enrolment=enrolment, start=start, end=end, reason=reason)
    record("cultivation.leave_request", leave, actor=actor,
           summary=f"{enrolment.person.name} 申请请假 {start} 至 {end}",
           after={"start": start, "end": end, "reason": reason})
    _notify(city_leads(enrolment), "培育对象请假待审批",
            f"{enrolment.person.name}（{enrolment.major or ''}）申请 {start} 至 {end} 请假。", "/cultivation/training/leave/")
    return leave


@action("cultivation.decide_leave")
@transaction.atomic
def decide_leave(actor: Any, leave: LeaveRequest, *, approve: bool, note: str = "") -> LeaveRequest:
    """The city lead of the trainee's city approves or rejects; the trainee and the unit are notified.
    Approved leave adds no hours: the file still counts only attended hours (第二十一条)."""
    leave = LeaveRequest.objects.select_for_update(of=("self",)).select_related("enrolment__person", "enrolment__major",
                                                                    "enrolment__year").get(pk=leave.pk)
    if not can_decide_leave(actor, leave):
        raise CultivationError(gettext("只有该学员所在设区市的市级负责人可以审批请假。"))
    if leave.status != RequestStatus.PENDING:
        raise CultivationError(gettext("该请假已审批，不能重复审批。"))
    note = (note or "").strip()
    if not approve and not note:
        raise CultivationError(gettext("不批准时请填写审批意见。"))
    before = {"status": leave.status}
    leave.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    leave.decided_by = actor
    leave.decided_at = timezone.now()
    leave.decision_note = note
    leave.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    e = leave.enrolment
    record("cultivation.leave_decision", leave, actor=actor,
           summary=f"{e.person.name} 请假 {leave.start} 至 {leave.end}：{leave.get_status_display()}",
           before=before, after={"status": leave.status, "note": note})
    title = f"请假{leave.get_status_display()}：{e.person.name} {leave.start} 至 {leave.end}"
    body = note or "请假期间的学时不计入参训学时。"
    _notify(trainee_users(e), title, body, "/cultivation/training/leave/")
    if e.major is not None:
        _notify(unit_users(e.major.training_unit), title, body, f"/cultivation/training/files/{e.pk}/")
    return leave
