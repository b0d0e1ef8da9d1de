"""Ending a residency (镇江技能大师产业创新园意见 五（四）): only on one of its four grounds, decided by
``zhenjiang_park/exit_grounds``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jiangxin.platform.audit.service import record
from jiangxin.platform.park.common import (
    EXIT_GROUND_LABELS,
    _designation,
    _exit_citation,
    _notify,
    _rect_facts,
    _rect_overrides,
    _require_office,
    _run,
    _studio_users,
)
from jiangxin.platform.park.errors import ParkError
from jiangxin.platform.park.models import Residency, ResidencyStatus
from jiangxin.platform.park.selectors import GROUNDS_NEEDING_REFERENCE
from jiangxin.platform.park.transitions import action


@action("park.exit_residency")
@transaction.atomic
def exit_residency(actor: Any, residency: Residency, *, on: dt.date, ground: str | None = None,
                   reference: str = "", studio_deregistered: bool = False,
                   leader_left: bool = False, qualified_successor: bool | None = None,
                   serious_loss: bool = False, note: str = "") -> dict[str, Any]:
    """五（四）: run ``exit_grounds`` (with the latest rectification); any ground → residency ends.

    The page names one ``ground`` of 五（四）1–4 (grounds 1–3 with the ``reference`` of the decision or finding);
    anything else is refused, as is a ground the computation does not find, and an exit dated before the admission
    or after today (a forward date would let a rectification deadline pass that has not passed)."""
    _require_office(actor, residency)
    if residency.status == ResidencyStatus.EXITED:
        raise ParkError("该工作室已取消入驻。")
    if on > timezone.localdate():
        raise ParkError("取消入驻日期不能晚于今天。", "on", citations=[_exit_citation("")])
    if on < residency.admission_date:
        raise ParkError("取消入驻日期不能早于入驻日期。", "on", citations=[_exit_citation("")])
    reference = (reference or "").strip()
    if ground is not None:
        if ground not in EXIT_GROUND_LABELS:
            raise ParkError("只能按五（四）所列的四种情形取消入驻资格，其他理由不能取消。", "ground",
                            citations=[_exit_citation("")])
        if ground in GROUNDS_NEEDING_REFERENCE and not reference:
            raise ParkError("请填写认定该情形的决定或认定文书编号。", "reference", citations=[_exit_citation(ground)])
        studio_deregistered = ground == "studio_deregistered"
        leader_left = ground == "leader_left_without_successor"
        qualified_successor = False if leader_left else None
        serious_loss = ground == "serious_loss"
    facts: dict[str, Any] = {"as_of": on.isoformat(), "studio_deregistered": studio_deregistered,
                             "leader_left": leader_left, "serious_loss": serious_loss}
    if leader_left:
        facts["qualified_successor"] = bool(qualified_successor)
    rect = residency.rectifications.first()
    overrides: dict[str, Any] | None = None
    if rect is not None:
        sub = _rect_facts(rect, on)
        sub.pop("as_of")
        facts["rectification"] = sub
        overrides = _rect_overrides(rect)
    outcome = _run("exit_grounds", facts, overrides)
    if ground is not None and ground not in outcome["value"]["grounds"]:
        raise ParkError(f"所选情形“{EXIT_GROUND_LABELS[ground]}”不成立（如整改期限未届满或复查已达标），不能取消入驻。",
                        "ground", citations=[_exit_citation(ground)])
    if not outcome["value"]["exit"]:
        raise ParkError("不符合取消入驻资格的任何情形（五（四）1–4），不能取消入驻。", citations=[_exit_citation("")])
    grounds = [EXIT_GROUND_LABELS.get(g, g) for g in outcome["value"]["grounds"]]
    before = residency.status
    residency.status = ResidencyStatus.EXITED
    residency.exited_on = on
    residency.exit_outcome = {**outcome, "note": note, "ground": ground, "reference": reference}
    residency.save(update_fields=["status", "exited_on", "exit_outcome"])
    record("park.exit", residency, actor=actor, summary=f"{residency.name} 取消入驻：{'；'.join(grounds)}",
           before={"status": before}, after={"status": residency.status, "exited_on": on, "grounds": grounds})
    designation = _designation(residency)
    if designation is not None:
        from jiangxin.platform.designations.services import DesignationError, set_status

        labels = [f["citation"]["label"] for f in outcome["failures"]]
        try:
            set_status(designation, "exited", reason="；".join(grounds), citation="；".join(labels) or "五（四）",
                       actor=actor, outcome=outcome, on=on)
        except DesignationError as exc:  # the whole exit rolls back with it
            raise ParkError(f"认定记录无法变更为已退出：{exc}") from exc
    _notify(_studio_users(residency), "取消入驻资格", "；".join(grounds), f"/park/{residency.pk}/")
    return outcome
