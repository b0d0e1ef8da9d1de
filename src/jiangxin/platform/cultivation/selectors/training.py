"""Reading the training part of a cultivation year (江苏卓越技师办法 第十七条, 第十九条, 第二十条, 第二十一条): sessions and
their trainees, leave and reports awaiting someone, the completion check, the training file and the attendance
spreadsheets. Nothing here changes a record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.spreadsheet import workbook_bytes
from jiangxin.platform.cultivation import guards
from jiangxin.platform.cultivation.access import (
    CultivationError,
    is_city_lead,
    lead_bureaus,
    training_unit_of,
    visible_enrolments,
)
from jiangxin.platform.cultivation.common_training import (
    CENT,
    IMPORT_COLUMNS,
    PROGRAM,
    ZERO,
    _pct,
    _require_open,
)
from jiangxin.platform.cultivation.models import (
    Attendance,
    CultivationYear,
    Enrolment,
    EnrolmentStatus,
    LeaveRequest,
    PlanSession,
    PlanStatus,
    RequestStatus,
    ResearchReport,
    TrainingPlan,
)
from jiangxin.policy.errors import FactsError, PolicyError
from jiangxin.policy.registry import get_computation


def approved_plan(unit: Any, year: CultivationYear) -> TrainingPlan | None:
    return TrainingPlan.objects.filter(year=year, training_unit=unit, status=PlanStatus.APPROVED).first()


def unit_sessions(unit: Any, year: CultivationYear) -> QuerySet[PlanSession]:
    """Sessions of the unit's APPROVED plan for the year (none while the plan is not approved)."""
    return PlanSession.objects.filter(plan__year=year, plan__training_unit=unit,
                                      plan__status=PlanStatus.APPROVED).select_related("major", "plan")


def session_trainees(session: PlanSession) -> QuerySet[Enrolment]:
    """Enrolled trainees of the session's unit, limited to the session's major when it has one."""
    qs = Enrolment.objects.filter(year=session.plan.year, major__training_unit=session.plan.training_unit,
                                  status=EnrolmentStatus.ENROLLED).select_related("person", "major")
    if session.major_id:
        qs = qs.filter(major=session.major_id)
    return qs.order_by("person__name", "pk")


def enrolment_sessions(enrolment: Enrolment) -> QuerySet[PlanSession]:
    if enrolment.major is None:
        return PlanSession.objects.none()
    return unit_sessions(enrolment.major.training_unit, enrolment.year).filter(
        Q(major__isnull=True) | Q(major=enrolment.major_id))


def _unit_session(actor: Any, session: PlanSession) -> Any:
    unit = training_unit_of(actor)
    if unit is None or session.plan.training_unit_id != unit.pk:
        raise CultivationError(gettext("只有本承训单位可以登记该课程的考勤。"))
    if session.plan.status != PlanStatus.APPROVED:
        raise CultivationError(gettext("培训计划尚未经市级负责人审核通过，不能登记考勤。"), citations=[guards.cite("第十二条")])
    _require_open(session.plan.year)
    guards.unit_closed(session.plan.year, unit, "登记或修改考勤")
    return unit


def attendance_template_xlsx(actor: Any, year: CultivationYear) -> bytes:
    """An XLSX pre-filled with one row per (session, trainee) of the unit's approved plan, with current values."""
    from openpyxl import Workbook

    unit = training_unit_of(actor)
    if unit is None:
        raise CultivationError(gettext("只有承训单位可以下载考勤导入模板。"))
    book = Workbook()
    sheet = book.active
    sheet.title = "考勤"
    sheet.append(list(IMPORT_COLUMNS))
    existing = {(a.session_id, a.enrolment_id): a for a in
                Attendance.objects.filter(session__plan__year=year, session__plan__training_unit=unit)}
    sessions = list(unit_sessions(unit, year))
    for session in sessions:
        for enrolment in session_trainees(session):
            a = existing.get((session.pk, enrolment.pk))
            sheet.append([session.key, enrolment.pk, enrolment.person.name, enrolment.major.name if enrolment.major
                          else "", float(a.hours) if a else None, float(a.credits) if a else None,
                          ("是" if a.online else "否") if a else ""])
    info = book.create_sheet("课程")
    info.append(["课程编号", "课程名称", "开始", "结束", "学时上限", "学分上限", "授课方式", "适用专业"])
    for session in sessions:
        info.append([session.key, session.title, session.start.isoformat(), session.end.isoformat(),
                     float(session.hours), float(session.credits), session.get_delivery_display(),
                     session.major.name if session.major else "全部"])
    for ws in (sheet, info):
        for col in "ABCDEFGH":
            ws.column_dimensions[col].width = 16
    return workbook_bytes(book)


def import_errors_xlsx(rows: Sequence[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "错误报告"
    sheet.append(["行号", "问题"])
    for number, message in rows:
        sheet.append([number, message])
    sheet.column_dimensions["B"].width = 80
    return workbook_bytes(book)


def can_decide_leave(user: Any, leave: LeaveRequest) -> bool:
    e = leave.enrolment
    return is_city_lead(user, e.year, e.home_city)


def visible_leave(user: Any, year: CultivationYear) -> QuerySet[LeaveRequest]:
    """Leave requests of the enrolments the user sees (city leads also see their city's)."""
    enrolments = visible_enrolments(user, year).values("pk")
    led = lead_bureaus(user, year)
    return (LeaveRequest.objects.filter(Q(enrolment__in=enrolments) | Q(enrolment__year=year, enrolment__home_city__in=led))
            .select_related("enrolment__person", "enrolment__major", "enrolment__home_city", "decided_by")
            .distinct())


def pending_leave_for(user: Any, year: CultivationYear) -> QuerySet[LeaveRequest]:
    led = lead_bureaus(user, year)
    return LeaveRequest.objects.filter(enrolment__year=year, enrolment__home_city__in=led,
                                       status=RequestStatus.PENDING)


def expert_reports(user: Any, year: CultivationYear) -> QuerySet[ResearchReport]:
    """Reports an expert of a training unit evaluates: those of the unit's trainees."""
    org = getattr(user, "organisation", None)
    if getattr(user, "role", "") != Role.EXPERT or org is None:
        return ResearchReport.objects.none()
    return ResearchReport.objects.filter(enrolment__year=year, enrolment__major__training_unit=org).select_related(
        "enrolment__person", "enrolment__major")


def visible_reports(user: Any, year: CultivationYear) -> QuerySet[ResearchReport]:
    if getattr(user, "role", "") == Role.EXPERT:
        return expert_reports(user, year)
    return ResearchReport.objects.filter(enrolment__in=visible_enrolments(user, year).values("pk")).select_related(
        "enrolment__person", "enrolment__major")


def mean_score(report: ResearchReport) -> Decimal | None:
    """The report's score: the mean of its evaluations (interpretation I-JS-T1)."""
    scores = [e.score for e in report.evaluations.all()]
    if not scores:
        return None
    return (sum(scores, ZERO) / len(scores)).quantize(CENT, ROUND_HALF_UP)


def completion_check(enrolment: Enrolment, hours: Decimal, credits: Decimal,
                     plan: TrainingPlan) -> dict[str, Any] | None:
    """The ``trainee_grading`` computation's 第二十一条 completion step for this trainee (with its citation); the
    grade bands are the results part's platform defaults, which this step does not use."""
    score = enrolment.score if enrolment.score is not None else ZERO
    facts = {"as_of": timezone.localdate().isoformat(), "plan_year": enrolment.year.year,
             "training_unit": plan.training_unit.name,
             "trainees": [{"key": str(enrolment.pk), "track": enrolment.track, "score": str(score),
                           "credits_earned": str(credits), "credits_required": str(plan.credits_required),
                           "hours_attended": str(hours), "hours_required": str(plan.hours_required)}]}
    from jiangxin.platform.cultivation.common_results import DEFAULT_GRADE_BANDS, GRADE_BANDS_REFERENCE

    try:
        outcome = get_computation(PROGRAM, "trainee_grading").run(
            facts, overrides={"grade_bands": DEFAULT_GRADE_BANDS}, reference=GRADE_BANDS_REFERENCE).to_dict()
    except (FactsError, PolicyError, ValueError):
        return None
    for step in outcome["trace"]:
        if step["rule"] == "completion_at_least_70_percent":
            return step
    return None


def _min_pct(check: Mapping[str, Any] | None) -> Decimal | None:
    ratio = (check or {}).get("parameters", {}).get("min_completion_ratio")
    return (Decimal(str(ratio)) * 100).quantize(Decimal("1")) if ratio is not None else None


def training_file(enrolment: Enrolment) -> dict[str, Any]:
    """Everything in one trainee's 培训档案 for the year."""
    attended = {a.session_id: a for a in enrolment.attendance.all()}
    sessions = list(enrolment_sessions(enrolment))
    rows = [{"session": s, "attendance": attended.get(s.pk)} for s in sessions]
    agg = enrolment.attendance.aggregate(h=Sum("hours"), c=Sum("credits"))
    hours, credits = agg["h"] or ZERO, agg["c"] or ZERO
    plan = approved_plan(enrolment.major.training_unit, enrolment.year) if enrolment.major is not None else None
    check = completion_check(enrolment, hours, credits, plan) if plan is not None else None
    report = ResearchReport.objects.filter(enrolment=enrolment).prefetch_related("evaluations__expert").first()
    return {
        "enrolment": enrolment, "person": enrolment.person, "unit": enrolment.training_unit,
        "rows": rows, "hours": hours, "credits": credits, "plan": plan,
        "hours_required": plan.hours_required if plan else None,
        "credits_required": plan.credits_required if plan else None,
        "hours_pct": _pct(hours, plan.hours_required) if plan else None,
        "credits_pct": _pct(credits, plan.credits_required) if plan else None,
        "check": check, "below_minimum": bool(check and not check["passed"]),
        "min_pct": _min_pct(check),
        "leave": list(enrolment.leave_requests.all().order_by("start")),
        "report": report, "evaluations": list(report.evaluations.all()) if report else [],
    }


def training_file_xlsx(data: Mapping[str, Any]) -> bytes:
    from openpyxl import Workbook

    e: Enrolment = data["enrolment"]
    book = Workbook()
    sheet = book.active
    sheet.title = "培训档案"
    mentor = e.mentor.name if e.mentor is not None else ""
    for label, value in (("姓名", e.person.name), ("公民身份号码", e.person.id_mask), ("培育类别", f"{e.track}类"),
                         ("学年", e.year.year), ("承训单位", str(data["unit"] or "")),
                         ("专业", e.major.name if e.major is not None else ""), ("指导教师", mentor),
                         ("企业导师", e.enterprise_mentor), ("异地参训", "是" if e.remote else "否")):
        sheet.append([label, value])
    sheet.append([])
    sheet.append(["课程编号", "课程名称", "类型", "开始", "结束", "课程学时", "课程学分", "参训学时", "获得学分", "线上"])
    for row in data["rows"]:
        s, a = row["session"], row["attendance"]
        sheet.append([s.key, s.title, s.get_kind_display(), s.start.isoformat(), s.end.isoformat(), float(s.hours),
                      float(s.credits), float(a.hours) if a else 0, float(a.credits) if a else 0,
                      ("是" if a.online else "否") if a else ""])
    sheet.append([])
    sheet.append(["合计学时", float(data["hours"]), "要求学时", float(data["hours_required"] or 0),
                  "完成比例%", float(data["hours_pct"] or 0)])
    sheet.append(["合计学分", float(data["credits"]), "要求学分", float(data["credits_required"] or 0),
                  "完成比例%", float(data["credits_pct"] or 0)])
    if data["check"] is not None:
        sheet.append(["学时学分完成情况", "未达最低比例" if data["below_minimum"] else "达到最低比例",
                      "依据", data["check"]["citation"]["label"]])
    sheet.append([])
    sheet.append(["请假开始", "请假结束", "事由", "审批状态", "审批意见"])
    for leave in data["leave"]:
        sheet.append([leave.start.isoformat(), leave.end.isoformat(), leave.reason, leave.get_status_display(),
                      leave.decision_note])
    sheet.append([])
    report = data["report"]
    if report is not None:
        sheet.append(["研修报告", report.title, "平均得分", float(report.score) if report.score is not None else ""])
        for ev in data["evaluations"]:
            sheet.append(["专家评估", str(ev.expert), float(ev.score), ev.comment])
    else:
        sheet.append(["研修报告", "未提交"])
    for col, width in zip("ABCDEFGHIJ", (14, 30, 12, 12, 12, 10, 10, 10, 10, 8), strict=True):
        sheet.column_dimensions[col].width = width
    return workbook_bytes(book)


def session_overview(unit: Any, year: CultivationYear) -> list[dict[str, Any]]:
    out = []
    counts = dict(Attendance.objects.filter(session__plan__year=year, session__plan__training_unit=unit)
                  .values_list("session").annotate(n=Count("pk")).values_list("session", "n"))
    for s in unit_sessions(unit, year):
        out.append({"session": s, "trainees": session_trainees(s).count(), "recorded": counts.get(s.pk, 0)})
    return out


def unrecorded_sessions(unit: Any, year: CultivationYear) -> int:
    today = timezone.localdate()
    return sum(1 for row in session_overview(unit, year)
               if row["session"].end <= today and row["recorded"] < row["trainees"])


def reports_awaiting(user: Any, year: CultivationYear) -> QuerySet[ResearchReport]:
    return expert_reports(user, year).exclude(evaluations__expert=user)
