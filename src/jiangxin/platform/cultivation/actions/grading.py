"""Grading a unit's trainees (江苏卓越技师办法 第二十条, 第二十一条): ``trainee_grading`` over the unit's
trainees, each grade stored with its outcome.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.cultivation import guards
from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.common_results import (
    DEFAULT_GRADE_BANDS,
    GRADE_BANDS_REFERENCE,
    _person_users,
    _province_office_users,
    _require_unit_or_office,
    _run,
    is_locked,
)
from jiangxin.platform.cultivation.models import CultivationYear, EnrolmentStatus, UnitGrading
from jiangxin.platform.cultivation.selectors.results import _trainee_slice, approved_plan, grading_rows
from jiangxin.platform.cultivation.transitions import action
from jiangxin.platform.notifications.services import notify
from jiangxin.platform.orgs.models import Organisation


@action("cultivation.grade_unit")
def grade_unit(actor: Any, year: CultivationYear, unit: Organisation,
               scores: Mapping[int, Decimal | str | None]) -> UnitGrading:
    """Run ``trainee_grading`` over all the unit's trainees of the year (第二十条, 第二十一条) and store grades.
    Grading again before the acceptance replaces the earlier result."""
    _require_unit_or_office(actor, unit)
    if is_locked(year, unit):
        raise CultivationError(gettext("省级考核验收已完成，评定结果不能再修改。"), citations=[guards.cite("第二十二条")])
    guards.grading_allowed(year)
    plan = approved_plan(year, unit)
    if plan is None:
        raise CultivationError(gettext("该承训单位的培训计划尚未审核通过，无法评定。"), citations=[guards.cite("第十二条")])
    rows = grading_rows(year, unit)
    if not rows:
        raise CultivationError(gettext("该承训单位本学年没有需要评定的培育对象。"))
    missing = [r["enrolment"].person.name for r in rows if scores.get(r["enrolment"].pk) in (None, "")]
    if missing:
        raise CultivationError(f"请为每名培育对象填写量化得分（未填：{'、'.join(missing)}）。")
    trainees = []
    for r in rows:
        e = r["enrolment"]
        try:
            score = Decimal(str(scores[e.pk]))
        except InvalidOperation as exc:
            raise CultivationError(f"{e.person.name}的量化得分不是有效数字。") from exc
        if score < 0 or score > 100:
            raise CultivationError(f"{e.person.name}的量化得分应在0至100之间。")
        trainees.append({"key": f"E{e.pk}", "track": e.track, "score": str(score),
                         "credits_earned": str(r["credits"]), "credits_required": str(plan.credits_required),
                         "hours_attended": str(r["hours"]), "hours_required": str(plan.hours_required)})
    facts = {"as_of": timezone.localdate().isoformat(), "plan_year": year.year, "training_unit": unit.name,
             "trainees": trainees}
    outcome = _run("trainee_grading", facts, overrides={"grade_bands": DEFAULT_GRADE_BANDS},
                   reference=GRADE_BANDS_REFERENCE)
    with transaction.atomic():
        grading = UnitGrading.objects.select_for_update(of=("self",)).filter(year=year, training_unit=unit).first()
        before = snapshot(grading) if grading else None
        if grading is None:
            grading = UnitGrading(year=year, training_unit=unit)
        grading.outcome, grading.graded_by = outcome, actor
        grading.save()
        for r in rows:
            e = r["enrolment"]
            part = _trainee_slice(outcome, f"E{e.pk}")
            e.score = Decimal(part["value"]["score"])
            e.grade = part["value"]["grade"]
            e.grade_outcome = part
            e.status = EnrolmentStatus.GRADED
            e.save(update_fields=["score", "grade", "grade_outcome", "status"])
        counts = outcome["value"]["counts"]
        record("cultivation.grading", grading, actor=actor,
               summary=f"{unit.name} {year.year}学年评定：" + "，".join(f"{k}{v}人" for k, v in counts.items()),
               before=before, after=snapshot(grading))
        url = reverse("cultivation:results_grading", args=[unit.pk])
        notify(_province_office_users(), title=f"{unit.name}已完成{year.year}学年培育对象评定",
               body="可安排省级考核验收。", url=url)
        for r in rows:
            e = r["enrolment"]
            notify(_person_users(e.person), title=f"{year.year}学年评定结果：{e.grade}",
                   body=f"{unit.name}；依据 江苏卓越技师办法 第二十条、第二十一条", url=reverse("cultivation:results_mine"))
    return grading
