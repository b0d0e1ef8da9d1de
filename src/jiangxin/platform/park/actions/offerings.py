"""What a studio gets and gives (镇江技能大师产业创新园意见 一, 四（二）至（五）): the benefits recorded for it
and the services it publishes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from jiangxin.platform.audit.service import record
from jiangxin.platform.park.common import _money, _require_office, _require_studio_or_office, _run
from jiangxin.platform.park.errors import ParkError
from jiangxin.platform.park.models import Benefit, Residency, ResidencyStatus, ServiceKind, ServiceOffering
from jiangxin.platform.park.transitions import action


@action("park.record_benefits")
@transaction.atomic
def record_benefits(actor: Any, residency: Residency, *, as_of: dt.date, upgraded_to_business: bool,
                    outstanding_in: Sequence[str] = (), startup_subsidy_amount: Any = None,
                    performance_reward_amount: Any = None) -> Benefit:
    _require_office(actor, residency)
    facts: dict[str, Any] = {"as_of": as_of.isoformat(), "admission_date": residency.admission_date.isoformat(),
                             "upgraded_to_business": upgraded_to_business, "outstanding_in": list(outstanding_in)}
    if residency.exited_on:
        facts["exit_date"] = residency.exited_on.isoformat()
    overrides: dict[str, Any] = {}
    if startup_subsidy_amount not in (None, ""):
        overrides["startup_subsidy_amount"] = str(_money(startup_subsidy_amount, "startup_subsidy_amount"))
    if performance_reward_amount not in (None, ""):
        overrides["performance_reward_amount"] = str(_money(performance_reward_amount, "performance_reward_amount"))
    outcome = _run("benefits", facts, overrides or None)
    v = outcome["value"]
    flags = {k: v[k] for k in ("priority_part_time_teacher", "priority_examiner_pool",
                               "recommend_national_provincial_studio", "leader_priority_talent_award")}
    benefit = Benefit.objects.create(
        residency=residency, as_of=as_of, upgraded_to_business=upgraded_to_business,
        outstanding_in=list(outstanding_in), startup_subsidy=v["startup_subsidy"],
        startup_subsidy_amount=Decimal(v["startup_subsidy_amount"]) if v["startup_subsidy_amount"] else None,
        performance_reward=v["performance_reward"],
        performance_reward_amount=Decimal(v["performance_reward_amount"]) if v["performance_reward_amount"] else None,
        priority_flags=flags, outcome=outcome)
    record("park.benefits", benefit, actor=actor, summary=f"{residency.name} 优惠政策认定（{as_of}）",
           after={"startup_subsidy": v["startup_subsidy"], "performance_reward": v["performance_reward"]})
    return benefit


@action("park.publish_offering")
@transaction.atomic
def publish_offering(actor: Any, residency: Residency, *, kind: str, title: str, description: str,
                     published: bool = True) -> ServiceOffering:
    _require_studio_or_office(actor, residency)
    if residency.status == ResidencyStatus.EXITED:
        raise ParkError("已取消入驻的工作室不能发布服务。")
    if kind not in ServiceKind.values:
        raise ParkError("请选择服务类别。", "kind")
    if not title.strip() or not description.strip():
        raise ParkError("请填写服务名称和服务内容。", "title")
    offering = ServiceOffering.objects.create(residency=residency, kind=kind, title=title.strip(),
                                              description=description.strip(), published=published)
    record("park.offering", offering, actor=actor, summary=f"{residency.name} 发布服务：{offering.title}",
           after={"kind": kind, "title": offering.title, "published": published})
    return offering
