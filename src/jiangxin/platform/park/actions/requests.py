"""Enterprise service requests (镇江技能大师产业创新园意见 一): submitted from the public form (rate-limited)
and moved along by the studio or the office.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jiangxin.platform.audit.service import record
from jiangxin.platform.core.transitions import transition
from jiangxin.platform.park.common import _notify, _office_users, _require_office, _studio_users
from jiangxin.platform.park.errors import ParkError
from jiangxin.platform.park.models import (
    RequestStatus,
    Residency,
    ResidencyStatus,
    ServiceKind,
    ServiceOffering,
    ServiceRequest,
)
from jiangxin.platform.park.selectors import visible_requests
from jiangxin.platform.park.transitions import SUBMIT_REQUEST, action


def request_limit() -> int:
    return int(getattr(settings, "JIANGXIN_PARK_REQUEST_LIMIT", 5))


def rate_limited(address: str) -> bool:
    since = timezone.now() - dt.timedelta(hours=1)
    return ServiceRequest.objects.filter(address=address, submitted_at__gte=since).count() >= request_limit()


@transition("park.submit_request", **SUBMIT_REQUEST)
def submit_request(*, enterprise_name: str, credit_code: str, contact_name: str, contact_phone: str, need: str,
                   kind: str, offering: ServiceOffering | None = None, address: str = "") -> ServiceRequest:
    """An enterprise (no login) asks for a service. Validated fully before anything is stored."""
    from jiangxin.policy.identity import IdentityError, validate_credit_code

    if address and rate_limited(address):
        raise ParkError("提交过于频繁，请一小时后再试。")
    try:
        code = validate_credit_code(credit_code)
    except IdentityError:
        raise ParkError("统一社会信用代码不正确（应为 18 位，校验码须符合 GB 32100）。", "credit_code") from None
    if kind not in ServiceKind.values:
        raise ParkError("请选择服务类别。", "kind")
    if offering is not None and (not offering.published or offering.residency.status == ResidencyStatus.EXITED):
        raise ParkError("该服务已下线。", "offering")
    with transaction.atomic():
        req = ServiceRequest.objects.create(
            receipt=f"FW{timezone.localdate():%Y%m%d}{secrets.token_hex(3).upper()}",
            enterprise_name=enterprise_name.strip(), credit_code=code, contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(), need=need.strip(), kind=kind, offering=offering,
            address=address[:64])
        record("park.request_new", req, actor=None, summary=f"企业服务需求 {req.receipt}：{req.enterprise_name}",
               after={"kind": kind, "offering": getattr(offering, "pk", None)})
        offices = _office_users(offering.residency) if offering is not None else _office_users()
        _notify(offices, f"新的企业服务需求 {req.receipt}", req.enterprise_name, f"/park/requests/{req.pk}/")
    return req


ALLOWED = {RequestStatus.NEW: {RequestStatus.ROUTED, RequestStatus.DECLINED},
           RequestStatus.ROUTED: {RequestStatus.ROUTED, RequestStatus.IN_PROGRESS, RequestStatus.DECLINED},
           RequestStatus.IN_PROGRESS: {RequestStatus.DONE, RequestStatus.DECLINED}}


@action("park.move_request")
@transaction.atomic
def move_request(actor: Any, req: ServiceRequest, to: str, *, residency: Residency | None = None,
                 note: str = "") -> ServiceRequest:
    """new → routed (office, to a studio) → in_progress → done / declined (office or the routed studio)."""
    req = ServiceRequest.objects.select_for_update().get(pk=req.pk)
    if not visible_requests(actor).filter(pk=req.pk).exists():
        raise PermissionDenied("无权办理该服务需求。")
    if to not in ALLOWED.get(RequestStatus(req.status), set()):
        raise ParkError(f"当前状态“{req.get_status_display()}”不能变更为“{RequestStatus(to).label}”。")
    if to == RequestStatus.ROUTED:
        _require_office(actor)
        if residency is None or residency.status == ResidencyStatus.EXITED:
            raise ParkError("请选择在园的承接工作室。", "residency")
        req.routed_to = residency
    if to == RequestStatus.DECLINED and not note.strip():
        raise ParkError("不予受理须说明理由。", "note")
    before = {"status": req.status, "routed_to": req.routed_to_id}
    req.status = to
    req.note = note.strip()[:300]
    req.save()
    record(f"park.request_{to}", req, actor=actor, summary=f"服务需求 {req.receipt} → {req.get_status_display()}",
           before=before, after={"status": to, "routed_to": req.routed_to_id, "note": req.note})
    if to == RequestStatus.ROUTED and req.routed_to is not None:
        _notify(_studio_users(req.routed_to), f"分派给您的企业服务需求 {req.receipt}", req.need[:100],
                f"/park/requests/{req.pk}/")
    elif req.routed_to is not None:
        others = [u for u in list(_office_users(req.routed_to)) + list(_studio_users(req.routed_to))
                  if u.pk != getattr(actor, "pk", None)]
        _notify(others, f"服务需求 {req.receipt}：{req.get_status_display()}", req.note, f"/park/requests/{req.pk}/")
    return req
