"""Research reports (江苏卓越技师办法 第十九条, 第二十条): the trainee submits, the experts score.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from jiangxin.platform.audit.service import record
from jiangxin.platform.cultivation import guards
from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.common_training import (
    CENT,
    REPORT_MAX_BYTES,
    REPORT_TYPES,
    SCORE_MAX,
    ZERO,
    _decimal,
    _notify,
    _own_enrolment,
    _require_open,
    trainee_users,
    unit_experts,
)
from jiangxin.platform.cultivation.models import Enrolment, EnrolmentStatus, ReportEvaluation, ResearchReport
from jiangxin.platform.cultivation.selectors.training import expert_reports, mean_score
from jiangxin.platform.cultivation.transitions import action


def _check_report_file(uploaded: Any) -> None:
    from jiangxin.platform.applications.uploads import UploadError, check_upload

    if uploaded is None:
        raise CultivationError(gettext("请选择报告文件（PDF 或 DOCX）。"))
    if int(getattr(uploaded, "size", 0) or 0) > REPORT_MAX_BYTES:
        raise CultivationError(f"报告文件不得超过 {REPORT_MAX_BYTES // 1048576} MB。")
    try:
        kind, _digest = check_upload(uploaded)
    except UploadError as exc:
        raise CultivationError(str(exc)) from exc
    if kind not in REPORT_TYPES:
        raise CultivationError(gettext("研修报告只接受 PDF 或 DOCX 文件。"))


@action("cultivation.submit_report")
@transaction.atomic
def submit_report(actor: Any, enrolment: Enrolment, *, title: str, abstract: str, file: Any) -> ResearchReport:
    """Submit (or replace, until the first evaluation) the trainee's one report of the year."""
    _own_enrolment(actor, enrolment)
    _require_open(enrolment.year)
    if enrolment.status != EnrolmentStatus.ENROLLED or enrolment.major is None:
        raise CultivationError(gettext("只有已选定专业的在训学员可以提交研修报告。"), citations=[guards.cite("第十九条")])
    guards.unit_closed(enrolment.year, enrolment.major.training_unit, "提交或替换研修报告")
    due = enrolment.year.report_due_on
    if due is not None and timezone.localdate() > due:
        raise CultivationError(f"研修报告提交截止日期 {due} 已过。", citations=[guards.cite("第十九条")])
    report = ResearchReport.objects.select_for_update(of=("self",)).filter(enrolment=enrolment).first()
    if report is not None and report.evaluations.exists():
        raise CultivationError(gettext("报告已有专家评估，不能再替换。"), citations=[guards.cite("第十九条")])
    title = (title or "").strip()
    if not title:
        raise CultivationError(gettext("请填写报告题目。"))
    _check_report_file(file)
    replaced = report is not None
    if report is not None:
        old = report.file.name
        report.title, report.abstract, report.file = title, (abstract or "").strip(), file
        report.save()
        ResearchReport.objects.filter(pk=report.pk).update(submitted_at=timezone.now())
        if old and old != report.file.name:
            report.file.storage.delete(old)
    else:
        report = ResearchReport.objects.create(enrolment=enrolment, title=title, abstract=(abstract or "").strip(),
                                               file=file)
    record("cultivation.report_replace" if replaced else "cultivation.report_submit", report, actor=actor,
           summary=f"{enrolment.person.name} {'替换' if replaced else '提交'}研修报告《{title}》",
           after={"title": title, "file": report.file.name})
    _notify(unit_experts(enrolment.major.training_unit), "研修报告待评估",
            f"{enrolment.person.name}：《{title}》", f"/cultivation/training/reports/{report.pk}/")
    return report


@action("cultivation.evaluate_report")
@transaction.atomic
def evaluate_report(actor: Any, report: ResearchReport, *, score: Any, comment: str = "") -> ReportEvaluation:
    """One evaluation per expert (not changed afterwards); the report's score becomes the mean."""
    report = ResearchReport.objects.select_for_update(of=("self",)).select_related("enrolment__person",
                                                                       "enrolment__major").get(pk=report.pk)
    if not expert_reports(actor, report.enrolment.year).filter(pk=report.pk).exists():
        raise CultivationError(gettext("只有该承训单位的评估专家可以评估此报告。"))
    _require_open(report.enrolment.year)
    assert report.enrolment.major is not None, "submit_report() requires a chosen major"
    guards.unit_closed(report.enrolment.year, report.enrolment.major.training_unit, "评估研修报告")
    value = _decimal(score, "得分")
    if not ZERO <= value <= SCORE_MAX:
        raise CultivationError(gettext("得分应在 0 至 100 之间。"))
    if report.evaluations.filter(expert=actor).exists():
        raise CultivationError(gettext("您已评估过该报告，不能重复评估。"))
    evaluation = ReportEvaluation.objects.create(report=report, expert=actor, score=value.quantize(CENT),
                                                 comment=(comment or "").strip())
    before = report.score
    report.score = mean_score(report)
    report.save(update_fields=["score"])
    record("cultivation.report_evaluation", report, actor=actor,
           summary=f"研修报告《{report.title}》专家评分 {value}，平均 {report.score}",
           before={"score": before}, after={"score": report.score, "evaluations": report.evaluations.count()})
    _notify(trainee_users(report.enrolment), "研修报告已有专家评估",
            f"《{report.title}》当前平均得分 {report.score}。", "/cultivation/training/report/")
    return evaluation
