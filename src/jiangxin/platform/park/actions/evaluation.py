"""The annual evaluation and the rectification it may order (镇江技能大师产业创新园意见 五（二）, 五（四）4,
附件2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from jiangxin.platform.audit.service import record
from jiangxin.platform.park.common import (
    _exit_citation,
    _money,
    _notify,
    _rect_facts,
    _rect_overrides,
    _require_office,
    _run,
    _studio_users,
)
from jiangxin.platform.park.errors import ParkError
from jiangxin.platform.park.models import Evaluation, Rectification, Residency, ResidencyStatus
from jiangxin.platform.park.selectors import assess_result, entries_for, presence_log
from jiangxin.platform.park.transitions import action


@action("park.record_evaluation")
@transaction.atomic
def record_evaluation(actor: Any, residency: Residency, year: int, facts: Mapping[str, Any], *,
                      pass_mark: Any) -> Evaluation:
    """Run ``evaluation`` (附件2) with the office's pass mark and store the result with its breakdown."""
    _require_office(actor, residency)
    raw = dict(facts)
    raw.setdefault("days_on_site", presence_log(residency, year))
    raw.setdefault("as_of", dt.date(year, 12, 31).isoformat())
    for key, value in entries_for(residency, year).items():
        if not key.startswith("_"):
            raw.setdefault(key, value)
    mark = _money(pass_mark, "pass_mark")
    outcome = _run("evaluation", raw, {"evaluation_pass_mark": int(mark) if mark == int(mark) else str(mark)})
    value = outcome["value"]
    evaluation, _ = Evaluation.objects.update_or_create(
        residency=residency, year=year,
        defaults={"total": Decimal(str(value["total"])), "pass_mark": mark, "passed": bool(value["passed"]),
                  "outcome": outcome, "recorded_by": actor})
    record("park.evaluation", evaluation, actor=actor,
           summary=f"{residency.name} {year} 年绩效评估 {value['total']} 分（合格分 {mark}）："
                   f"{'合格' if value['passed'] else '不合格'}", after={"total": value["total"], "passed": value["passed"]})
    _notify(_studio_users(residency), f"{year} 年绩效评估结果",
            f"总分 {value['total']}，{'合格' if value['passed'] else '不合格'}", f"/park/{residency.pk}/")
    return evaluation


@action("park.open_rectification")
@transaction.atomic
def open_rectification(actor: Any, residency: Residency, year: int, *, notice_date: dt.date,
                       period_months: int, pass_mark: Any = None, fraud_found: bool = False) -> Rectification:
    """A failed evaluation (from ASSESS or the park's record) → rectification notice with the office's period."""
    _require_office(actor, residency)
    if residency.status == ResidencyStatus.EXITED:
        raise ParkError("该工作室已取消入驻。")
    # 五（四）4: the period runs from the notice; a notice dated ahead or back would move the deadline
    if notice_date > timezone.localdate():
        raise ParkError("整改通知日期不能晚于今天。", "notice_date", citations=[_exit_citation("evaluation_failed_or_fraud")])
    if notice_date < dt.date(int(year), 1, 1):
        raise ParkError(f"整改通知日期不能早于被评估年度（{year} 年）。", "notice_date",
                        citations=[_exit_citation("evaluation_failed_or_fraud")])
    result = assess_result(residency, year)
    if result is None:
        raise ParkError(f"{year} 年尚无绩效评估结果，请先登记评估结果。")
    total, mark, source = result
    if pass_mark not in (None, ""):
        mark = _money(pass_mark, "pass_mark")
    if mark is None:
        raise ParkError("请填写合格分（政策未规定，由园区管理办公室确定）。", "pass_mark")
    if not 1 <= int(period_months) <= 24:
        raise ParkError("整改期限应为 1 至 24 个月。", "period_months")
    rect = Rectification(residency=residency, year=year, evaluation_total=total, pass_mark=mark,
                         fraud_found=fraud_found, notice_date=notice_date, period_months=int(period_months))
    outcome = _run("rectification", _rect_facts(rect, notice_date), _rect_overrides(rect))
    stage = outcome["value"]["stage"]
    if stage == "not_needed":
        raise ParkError(f"{year} 年评估 {total} 分，已达合格分 {mark}，无需整改。")
    rect.stage = stage
    rect.deadline = dt.date.fromisoformat(outcome["value"]["deadline"]) if outcome["value"]["deadline"] else None
    rect.outcome = outcome
    rect.save()
    before = residency.status
    residency.status = ResidencyStatus.RECTIFYING
    residency.save(update_fields=["status"])
    record("park.rectification_open", rect, actor=actor,
           summary=f"{residency.name} {year} 年评估不合格（{total} 分，来源 {source}），限期整改至 {rect.deadline}",
           before={"status": before}, after={"status": residency.status, "deadline": rect.deadline})
    _notify(_studio_users(residency), "限期整改通知", f"请于 {rect.deadline} 前完成整改（五（四）4）。",
            f"/park/{residency.pk}/")
    return rect


@action("park.recheck")
@transaction.atomic
def recheck(actor: Any, rect: Rectification, *, recheck_date: dt.date, recheck_total: Any,
            as_of: dt.date | None = None) -> Rectification:
    """Re-check after rectification; still below the mark after the deadline → exit on 五（四）4."""
    residency = rect.residency
    _require_office(actor, residency)
    if residency.status == ResidencyStatus.EXITED:
        raise ParkError("该工作室已取消入驻。")
    # 五（四）4: a re-check dated ahead would run out the deadline before it has passed
    if recheck_date > timezone.localdate():
        raise ParkError("复查日期不能晚于今天。", "recheck_date", citations=[_exit_citation("evaluation_failed_or_fraud")])
    if recheck_date < rect.notice_date:
        raise ParkError("复查日期不能早于整改通知日期。", "recheck_date",
                        citations=[_exit_citation("evaluation_failed_or_fraud")])
    rect.recheck_date = recheck_date
    rect.recheck_total = _money(recheck_total, "recheck_total")
    as_of = max(as_of or timezone.localdate(), recheck_date)
    outcome = _run("rectification", _rect_facts(rect, as_of), _rect_overrides(rect))
    rect.stage = outcome["value"]["stage"]
    rect.outcome = outcome
    rect.save()
    record("park.recheck", rect, actor=actor,
           summary=f"{residency.name} 整改复查 {rect.recheck_total} 分：{rect.stage}",
           after={"recheck_date": recheck_date, "recheck_total": rect.recheck_total, "stage": rect.stage})
    if rect.stage == "rectified":
        residency.status = ResidencyStatus.ACTIVE
        residency.save(update_fields=["status"])
    _notify(_studio_users(residency), "整改复查结果", f"复查 {rect.recheck_total} 分", f"/park/{residency.pk}/")
    return rect
