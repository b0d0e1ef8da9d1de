"""Transitions of an assessment round (office): opening the year's round with one pending assessment per
assessed designation, adding designations named later, and publishing the scored results.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jiangxin.platform.assessments.actions._common import _assessment_url, _notify_holders, _require_office
from jiangxin.platform.assessments.base import AssessmentError
from jiangxin.platform.assessments.models import Assessment, AssessmentRound, AssessmentStatus, RoundStatus
from jiangxin.platform.assessments.profiles import profile_for
from jiangxin.platform.assessments.selectors import eligible_designations, timing_warnings
from jiangxin.platform.audit.service import record
from jiangxin.platform.core.transitions import within
from jiangxin.policy.errors import ParameterError


def open_round(actor: Any, program: Any, *, year: int, opens: dt.date, self_report_due: dt.date,
               office_parameters: dict[str, Any] | None = None, reference: str = "",
               rubric_yaml: str = "") -> AssessmentRound:
    """Open the year's round: one pending assessment per designation assessed; units are notified."""
    _require_office(actor)
    profile = profile_for(program.key)
    from jiangxin.platform.rounds.services import can_manage

    if not can_manage(actor, program):
        raise PermissionDenied("只有该项目主管部门的工作人员可以开启年度考核。")
    if self_report_due < opens:
        raise AssessmentError("自评报告截止日期不能早于开始日期。")
    if AssessmentRound.objects.filter(program=program, year=year).exists():
        raise AssessmentError(f"{year} 年度的考核已经开启。")
    values = {k: v for k, v in (office_parameters or {}).items() if v not in (None, "")}
    if values:
        try:
            program.parameters().with_overrides(values, reference=reference)
        except ParameterError as exc:
            raise AssessmentError(f"参数不正确：{exc}") from exc
    rubric_data: dict[str, Any] = {}
    if rubric_yaml.strip():
        if not profile.office_rubric:
            raise AssessmentError("该项目的政策文件未授权主管部门另定考核标准，不能载入考核标准。")
        from jiangxin.platform.panels import rubrics
        from jiangxin.policy.rubric import RubricError

        try:
            rubric_data = rubrics.load_office_rubric(rubric_yaml)
            rubrics.rubric_for(rubrics.OFFICE, program.key, rubric_data)
        except RubricError as exc:
            raise AssessmentError(f"考核标准格式不正确：{exc}") from exc
    warnings = timing_warnings(program.key, year, opens, self_report_due)
    with transaction.atomic(), within("assessments.open_round"):
        rnd = AssessmentRound.objects.create(
            program=program, year=year, organiser=actor.organisation, opens=opens, self_report_due=self_report_due,
            office_parameters=values, reference=reference, rubric_data=rubric_data, warnings=warnings,
            created_by=actor)
        designations = list(eligible_designations(program.key, year))
        Assessment.objects.bulk_create([Assessment(round=rnd, designation=d) for d in designations])
        record("assessment.round_open", rnd, actor=actor, summary=f"开启{rnd}",
               after={"program": program.key, "year": year, "opens": opens.isoformat(),
                      "self_report_due": self_report_due.isoformat(), "assessments": len(designations),
                      "office_parameters": values, "warnings": warnings, "citation": profile.citation.label})
        _notify_holders(designations, title=f"{year}年度考核已开启，请于 {self_report_due.isoformat()} 前提交自评材料",
                        body=f"依据 {profile.citation.label}。", kind="action")
    return rnd


def sync_round(actor: Any, rnd: AssessmentRound) -> int:
    """Add designations named after the round was opened; returns how many were added."""
    _require_office(actor, rnd)
    with transaction.atomic(), within("assessments.sync_round"):
        have = set(rnd.assessments.values_list("designation_id", flat=True))
        new = [d for d in eligible_designations(rnd.program.key, rnd.year) if d.pk not in have]
        Assessment.objects.bulk_create([Assessment(round=rnd, designation=d) for d in new])
        if new:
            record("assessment.round_sync", rnd, actor=actor, summary=f"{rnd} 新增 {len(new)} 个考核对象",
                   after={"added": [d.pk for d in new]})
    return len(new)


def publish(actor: Any, rnd: AssessmentRound) -> int:
    """Publish every scored assessment of the round to its unit (item breakdown + citations on the unit page)."""
    _require_office(actor, rnd)
    if rnd.status != RoundStatus.OPEN:
        raise AssessmentError("结果已经公布。")
    scored = list(rnd.assessments.filter(status=AssessmentStatus.SCORED).select_related("designation",
                                                                                       "designation__holder_org"))
    if profile_for(rnd.program.key).scored and not scored:
        raise AssessmentError("还没有已评分的考核，无法公布。")
    now = timezone.now()
    with transaction.atomic(), within("assessments.publish"):
        for a in scored:
            a.status, a.published_at = AssessmentStatus.PUBLISHED, now
            a.save(update_fields=["status", "published_at"])
            _notify_holders([a.designation], title=f"{rnd.year}年度考核结果：{a.grade or '已评定'}",
                            body=f"总分 {a.total}。" if a.total is not None else "", kind="result",
                            url_for=lambda d, x=a: _assessment_url(x))
        rnd.status, rnd.published_at = RoundStatus.PUBLISHED, now
        rnd.save(update_fields=["status", "published_at"])
        record("assessment.publish", rnd, actor=actor, summary=f"公布{rnd}结果（{len(scored)} 个）",
               after={"published": [a.pk for a in scored],
                      "not_scored": list(rnd.assessments.exclude(status=AssessmentStatus.PUBLISHED)
                                         .values_list("pk", flat=True))})
    return len(scored)
