"""A studio's residency and its fees (镇江技能大师产业创新园意见 三, 四（一）, 五（三）): admission, the fees it
owes and the payments it makes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum

from jiangxin.platform.audit.service import record
from jiangxin.platform.park.common import ZERO, _money, _notify, _require_office, _studio_users, month_key
from jiangxin.platform.park.errors import ParkError
from jiangxin.platform.park.models import FeeObligation, FeePayment, Residency, ResidencyStatus, Room
from jiangxin.platform.park.selectors import rent_free
from jiangxin.platform.park.transitions import action


@action("park.admit")
@transaction.atomic
def admit(actor: Any, *, studio_org: Any, name: str, agreement_no: str, signed_on: dt.date,
          admission_date: dt.date, rooms: Sequence[Room] = (), agreement_file: Any = None,
          application: Any = None, designation: Any = None) -> Residency:
    """Record admission: the 入驻协议 (number, signed date, file), rooms, and the rent-free term."""
    _require_office(actor)
    if studio_org is None and designation is not None:
        studio_org = designation.holder_org
    if studio_org is None:
        raise ParkError("请指定入驻的工作室（组织）。", "studio_org")
    office_org = getattr(actor, "organisation", None)
    if office_org is None or not (studio_org.path or "").startswith(office_org.path):
        raise PermissionDenied("该工作室不在您的管理范围内。")
    if Residency.objects.filter(agreement_no=agreement_no.strip()).exists():
        raise ParkError("入驻协议编号已存在。", "agreement_no")
    if signed_on > admission_date:
        raise ParkError("协议签订日期不能晚于入驻日期。", "signed_on")
    busy = [str(r) for r in rooms if r.residencies.filter(status__in=[ResidencyStatus.ACTIVE,
                                                                      ResidencyStatus.RECTIFYING]).exists()]
    if busy:
        raise ParkError(f"以下用房已分配给其他在园工作室：{'、'.join(busy)}", "rooms")
    outcome = rent_free(admission_date)
    residency = Residency(studio_org=studio_org, name=name.strip(), agreement_no=agreement_no.strip(),
                          signed_on=signed_on, admission_date=admission_date, application=application,
                          designation_id=getattr(designation, "pk", None),
                          rent_free_until=dt.date.fromisoformat(outcome["value"]["last_rent_free_day"]),
                          rent_free_outcome=outcome)
    if agreement_file is not None:
        from jiangxin.platform.applications.uploads import UploadError, check_upload

        try:
            check_upload(agreement_file)
        except UploadError as exc:
            raise ParkError(str(exc), "agreement_file") from exc
        residency.agreement_file = agreement_file
    residency.save()
    residency.rooms.set(rooms)
    record("park.admit", residency, actor=actor,
           summary=f"{residency.name} 入驻（协议 {residency.agreement_no}），免租至 {residency.rent_free_until}",
           after={"agreement_no": residency.agreement_no, "admission_date": admission_date,
                  "rooms": [r.pk for r in rooms], "rent_free_until": residency.rent_free_until})
    _notify(_studio_users(residency), "入驻协议已登记",
            f"免租期至 {residency.rent_free_until}；水电、物业等费用按月缴纳。", f"/park/{residency.pk}/")
    return residency


@action("park.set_obligation")
@transaction.atomic
def set_obligation(actor: Any, residency: Residency, month: str, *, utilities: Any,
                   property_fee: Any) -> FeeObligation:
    _require_office(actor, residency)
    key = month_key(month)
    util, prop = _money(utilities, "utilities"), _money(property_fee, "property_fee")
    paid = residency.payments.filter(month=key).aggregate(s=Sum("amount"))["s"] or ZERO
    if paid > util + prop:
        raise ParkError(f"{key} 已缴 {paid} 元，应缴金额不能低于已缴金额。", "utilities")
    before = FeeObligation.objects.filter(residency=residency, month=key).first()
    old = {"utilities": before.utilities, "property_fee": before.property_fee} if before else None
    obligation, _ = FeeObligation.objects.update_or_create(
        residency=residency, month=key, defaults={"utilities": util, "property_fee": prop})
    record("park.fee_obligation", obligation, actor=actor, summary=f"{residency.name} {key} 应缴 {util + prop} 元",
           before=old, after={"utilities": util, "property_fee": prop})
    return obligation


@action("park.record_payment")
@transaction.atomic
def record_payment(actor: Any, residency: Residency, month: str, *, amount: Any, paid_on: dt.date) -> FeePayment:
    _require_office(actor, residency)
    key = month_key(month)
    value = _money(amount, "amount")
    if value <= 0:
        raise ParkError("缴费金额必须大于 0。", "amount")
    obligation = FeeObligation.objects.filter(residency=residency, month=key).first()
    if obligation is None:
        raise ParkError(f"{key} 尚未登记应缴费用，请先登记。", "month")
    paid = residency.payments.filter(month=key).aggregate(s=Sum("amount"))["s"] or ZERO
    if paid + value > obligation.due:
        raise ParkError(f"{key} 应缴 {obligation.due} 元、已缴 {paid} 元，本次最多 {obligation.due - paid} 元。",
                        "amount")
    payment = FeePayment.objects.create(residency=residency, month=key, amount=value, paid_on=paid_on)
    record("park.fee_payment", payment, actor=actor, summary=f"{residency.name} 缴纳 {key} 费用 {value} 元",
           after={"month": key, "amount": value, "paid_on": paid_on})
    return payment
