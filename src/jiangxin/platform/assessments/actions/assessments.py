"""Transitions of one assessment: the reminder before the deadline, the unit's submission, the office's
scoring through the program's computation, and the acknowledgement of a filing-only report.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from jiangxin.platform.applications.uploads import UploadError, check_upload
from jiangxin.platform.assessments.actions._common import (
    _assessment_url,
    _notify_holders,
    _require_holder,
    _require_office,
)
from jiangxin.platform.assessments.base import OFFICE_ROLES, AssessmentError
from jiangxin.platform.assessments.models import Assessment, AssessmentStatus, RoundStatus
from jiangxin.platform.assessments.profiles import profile_for
from jiangxin.platform.assessments.selectors import due_for_reminder, grade_of, prefill, run_computation
from jiangxin.platform.audit.service import record
from jiangxin.platform.core.transitions import within


def send_reminders(on: dt.date | None = None) -> int:
    """Remind every unit that has not submitted, N days (setting) before the deadline; once per assessment."""
    on = on or timezone.localdate()
    count = 0
    for assessment in due_for_reminder(on):
        with transaction.atomic():
            locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
            if locked.reminded_at is not None or locked.status != AssessmentStatus.PENDING:
                continue
            due = assessment.round.self_report_due
            _notify_holders([assessment.designation],
                            title=f"催报：{assessment.round.year}年度考核自评材料将于 {due.isoformat()} 截止",
                            body=f"距截止还有 {(due - on).days} 天，尚未提交。", kind="warning",
                            url_for=lambda d, a=assessment: _assessment_url(a))
            locked.reminded_at = timezone.now()
            locked.save(update_fields=["reminded_at"])
            record("assessment.remind", locked, actor=None, summary=f"催报 {locked}",
                   after={"due": due.isoformat(), "on": on.isoformat()})
            count += 1
    return count


def _store_file(assessment: Assessment, field: str, uploaded: Any) -> str:
    file_type, digest = check_upload(uploaded)
    getattr(assessment, field).save(f"x.{file_type}", uploaded, save=False)
    prefix = field.removesuffix("_file")
    setattr(assessment, f"{prefix}_sha256", digest)
    setattr(assessment, f"{prefix}_name", str(uploaded.name)[:255])
    stored: str = getattr(assessment, field).name
    return stored


def submit(actor: Any, assessment: Assessment, *, self_report: str = "", summary: str = "",
           self_report_file: Any = None, summary_file: Any = None) -> Assessment:
    """File (or re-file, until scored) the self-assessment and the summary report; late filing is flagged."""
    _require_holder(actor, assessment)
    if assessment.round.status != RoundStatus.OPEN:
        raise AssessmentError("本年度考核结果已公布，不能再提交。")
    if assessment.status not in (AssessmentStatus.PENDING, AssessmentStatus.SUBMITTED):
        raise AssessmentError("已评分，不能再修改自评材料。")
    self_report, summary = self_report.strip(), summary.strip()
    if not (self_report or self_report_file or assessment.self_report_file):
        raise AssessmentError("请填写或上传自评报告。")
    if not (summary or summary_file or assessment.summary_file):
        raise AssessmentError("请填写或上传年度工作总结。")
    stored: list[str] = []
    old = [f.name for f, new in ((assessment.self_report_file, self_report_file),
                                 (assessment.summary_file, summary_file)) if new and f]
    try:
        with transaction.atomic(), within("assessments.submit"):
            if self_report_file:
                stored.append(_store_file(assessment, "self_report_file", self_report_file))
            if summary_file:
                stored.append(_store_file(assessment, "summary_file", summary_file))
            now = timezone.now()
            first = assessment.submitted_at is None
            assessment.self_report, assessment.summary = self_report, summary
            assessment.submitted_at, assessment.submitted_by = now, actor
            assessment.late = timezone.localdate(now) > assessment.round.self_report_due
            assessment.status = AssessmentStatus.SUBMITTED
            assessment.save()
            record("assessment.submit" if first else "assessment.resubmit", assessment, actor=actor,
                   summary=f"提交{assessment.round.year}年度自评材料" + ("（逾期）" if assessment.late else ""),
                   after={"late": assessment.late, "due": assessment.round.self_report_due.isoformat(),
                          "self_report_sha256": assessment.self_report_sha256,
                          "summary_sha256": assessment.summary_sha256})
            from jiangxin.platform.notifications.services import notify_roles

            notify_roles(assessment.round.organiser, OFFICE_ROLES,
                         title=f"{assessment.designation} 已提交{assessment.round.year}年度自评材料"
                         + ("（逾期）" if assessment.late else ""), url=_assessment_url(assessment), kind="action")
            if old:
                storage = assessment.self_report_file.storage
                transaction.on_commit(lambda: [storage.delete(n) for n in old])
    except UploadError as exc:
        raise AssessmentError(str(exc)) from exc
    except Exception:
        for name in stored:
            assessment.self_report_file.storage.delete(name)
        raise
    return assessment


def score(actor: Any, assessment: Assessment, entries: dict[str, Any]) -> Assessment:
    """Score the submitted assessment item by item through the program's computation; stores the Outcome."""
    _require_office(actor, assessment.round)
    if assessment.round.status != RoundStatus.OPEN:
        raise AssessmentError("结果已公布，不能再评分。")
    if assessment.status not in (AssessmentStatus.SUBMITTED, AssessmentStatus.SCORED):
        raise AssessmentError("单位尚未提交自评材料，不能评分。")
    prefilled, links = prefill(assessment)
    if prefilled.get("days_on_site"):
        # 镇江: the park office's monthly presence logs are the input for 到园天数; they cannot be typed over
        entries = {**entries, "days_on_site": prefilled["days_on_site"]}
    outcome = run_computation(assessment.round, entries)
    total, grade, passed = grade_of(outcome)
    with transaction.atomic(), within("assessments.score"):
        before = {"total": str(assessment.total) if assessment.total is not None else None,
                  "grade": assessment.grade, "passed": assessment.passed}
        assessment.entries = entries
        assessment.record_links = links
        assessment.outcome = outcome
        assessment.total, assessment.grade, assessment.passed = total, grade, passed
        assessment.status = AssessmentStatus.SCORED
        assessment.scored_by, assessment.scored_at = actor, timezone.now()
        assessment.save()
        record("assessment.score", assessment, actor=actor, summary=f"评分 {assessment}：{total} {grade}",
               before=before, after={"total": str(total) if total is not None else None, "grade": grade,
                                     "passed": passed, "computation": outcome["computation"]})
    return assessment


def acknowledge(actor: Any, assessment: Assessment, *, note: str = "") -> Assessment:
    """赣州 第十一条: the office acknowledges the employer's annual cultivation report (no scoring)."""
    _require_office(actor, assessment.round)
    profile = profile_for(assessment.round.program.key)
    if profile.scored:
        raise AssessmentError("该项目须评分，不适用备案确认。")
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise AssessmentError("单位尚未提交年度报告，或已确认。")
    now = timezone.now()
    with transaction.atomic(), within("assessments.acknowledge"):
        assessment.outcome = {
            "value": {"filed": True, "late": assessment.late, "note": note},
            "status": "ok", "failures": [], "computation": "", "citation": profile.citation.to_dict(),
            "trace": [{"rule": "annual_report_filed", "citation": profile.citation.to_dict(), "result": True,
                       "note": "用人单位报送年度培养情况报告，主管部门备案确认（不评分）"
                       + ("；逾期报送" if assessment.late else "")}]}
        assessment.status = AssessmentStatus.PUBLISHED
        assessment.scored_by, assessment.scored_at, assessment.published_at = actor, now, now
        assessment.save()
        record("assessment.acknowledge", assessment, actor=actor, summary=f"备案确认 {assessment}",
               after={"late": assessment.late, "note": note})
        _notify_holders([assessment.designation], title=f"{assessment.round.year}年度培养情况报告已备案",
                        kind="result", url_for=lambda d: _assessment_url(assessment))
    return assessment
