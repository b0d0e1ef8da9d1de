"""Training during a cultivation year (江苏卓越技师办法 第十二条, 第十六条, 第十七条, 第十九条, 第二十一条).

One function per state change: attendance entry and XLSX import (hours, credits, online flag), leave requests
and the city lead's decision, the research report and the unit experts' blind evaluation. Each checks the
actor's role and scope, runs in ``transaction.atomic()``, writes the audit log and notifies whoever acts next.
The training file (培训档案) is assembled here too; its completion check is the ``trainee_grading``
computation's own 第二十一条 step, never a rule of this module.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record
from jiangxin.platform.core.spreadsheet import workbook_bytes
from jiangxin.platform.cultivation import guards
from jiangxin.platform.cultivation.access import (
    CultivationError,
    is_city_lead,
    lead_bureaus,
    training_unit_of,
    visible_enrolments,
)
from jiangxin.platform.cultivation.models import (
    Attendance,
    CityLead,
    CultivationYear,
    Delivery,
    Enrolment,
    EnrolmentStatus,
    LeaveRequest,
    PlanSession,
    PlanStatus,
    ReportEvaluation,
    RequestStatus,
    ResearchReport,
    TrainingPlan,
    YearStatus,
)
from jiangxin.platform.cultivation.transitions import action
from jiangxin.policy.errors import FactsError, PolicyError
from jiangxin.policy.registry import get_computation

PROGRAM = "jiangsu_technician"
ZERO = Decimal("0")
ONE_DECIMAL = Decimal("0.1")
CENT = Decimal("0.01")
REPORT_TYPES = frozenset({"pdf", "docx"})
REPORT_MAX_BYTES = 20 * 1024 * 1024
SCORE_MAX = Decimal("100")
TRUE_WORDS = frozenset({"是", "y", "yes", "true", "1", "线上", "√"})
FALSE_WORDS = frozenset({"", "否", "n", "no", "false", "0", "现场"})


# --------------------------------------------------------------------------------------------------------
# small helpers


def _users(**filters: Any) -> QuerySet[Any]:
    return get_user_model().objects.filter(is_active=True, **filters)


def _notify(users: Iterable[Any], title: str, body: str = "", url: str = "") -> None:
    from jiangxin.platform.notifications.services import notify

    users = list(users)
    if users:
        notify(users, title=title, body=body, url=url)


def trainee_users(enrolment: Enrolment) -> QuerySet[Any]:
    return _users(role=Role.TRAINEE, person=enrolment.person)


def unit_users(unit: Any) -> QuerySet[Any]:
    return _users(role=Role.TRAINING_UNIT, organisation=unit)


def unit_experts(unit: Any) -> QuerySet[Any]:
    """The unit's experts: EXPERT users whose organisation is the training unit."""
    return _users(role=Role.EXPERT, organisation=unit)


def city_leads(enrolment: Enrolment) -> QuerySet[Any]:
    ids = CityLead.objects.filter(year=enrolment.year, city_bureau=enrolment.home_city).values("user")
    return _users(pk__in=ids)


def _decimal(value: Any, label: str) -> Decimal:
    if isinstance(value, Decimal):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CultivationError(f"{label}“{text}”不是数字。") from None
    if not number.is_finite():
        raise CultivationError(f"{label}不是有效数字。")
    return number


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CultivationError(f"线上一栏只能填“是”或“否”，不能是“{value}”。")


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(ONE_DECIMAL, ROUND_HALF_UP) if whole else ZERO


def _require_open(year: CultivationYear) -> None:
    if year.status == YearStatus.CLOSED:
        raise CultivationError(gettext("该学年已结束，不能再登记。"))


# --------------------------------------------------------------------------------------------------------
# 1. attendance (第十七条: delivery; 第二十一条: hours and credits count)


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


@dataclass(frozen=True, slots=True)
class AttendanceEntry:
    enrolment: Enrolment
    hours: Decimal
    credits: Decimal
    online: bool


def check_entry(session: PlanSession, enrolment: Enrolment, hours: Any, credits: Any, online: Any) -> AttendanceEntry:
    """Validate one trainee's hours, credits and online flag for a session; Chinese error otherwise."""
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise CultivationError(f"{enrolment.person.name} 不是在训状态。")
    if not session_trainees(session).filter(pk=enrolment.pk).exists():
        raise CultivationError(f"{enrolment.person.name} 不是该课程的参训学员（专业或承训单位不符）。")
    h = _decimal(hours, "学时")
    c = _decimal(credits if str(credits if credits is not None else "").strip() else "0", "学分")
    if h < 0 or c < 0:
        raise CultivationError(gettext("学时、学分不能为负数。"))
    if h > session.hours:
        raise CultivationError(f"学时 {h} 超过该课程的学时 {session.hours}。")
    if c > session.credits:
        raise CultivationError(f"学分 {c} 超过该课程的学分 {session.credits}。")
    is_online = _flag(online)
    if session.delivery == Delivery.ONLINE:
        is_online = True
    elif is_online and session.delivery == Delivery.ONSITE:
        raise CultivationError(f"课程“{session.title}”为现场授课，不能按线上参加登记（第十七条）。")
    elif is_online and not enrolment.remote:
        raise CultivationError(f"{enrolment.person.name} 为本地参训，只有异地参训学员可线上参加（第十七条）。")
    return AttendanceEntry(enrolment, h.quantize(ONE_DECIMAL), c.quantize(ONE_DECIMAL), is_online)


def _save_entries(actor: Any, session: PlanSession, entries: Sequence[AttendanceEntry]) -> int:
    for e in entries:
        Attendance.objects.update_or_create(enrolment=e.enrolment, session=session,
                                            defaults={"hours": e.hours, "credits": e.credits, "online": e.online,
                                                      "recorded_by": actor})
    return len(entries)


@action("cultivation.record_attendance")
@transaction.atomic
def record_attendance(actor: Any, session: PlanSession, rows: Sequence[Mapping[str, Any]]) -> int:
    """Upsert hours/credits/online for a session: ``rows`` of {enrolment, hours, credits, online}; a row with
    blank hours is skipped. Every row is checked before anything is written."""
    _unit_session(actor, session)
    entries: list[AttendanceEntry] = []
    errors: list[str] = []
    for row in rows:
        if str(row.get("hours") if row.get("hours") is not None else "").strip() == "":
            continue
        try:
            entries.append(check_entry(session, row["enrolment"], row.get("hours"), row.get("credits"),
                                       row.get("online", False)))
        except CultivationError as exc:
            errors.append(str(exc))
    if errors:
        raise CultivationError(gettext("未保存：") + "；".join(errors))
    count = _save_entries(actor, session, entries)
    record("cultivation.attendance", session, actor=actor,
           summary=f"{session.key} {session.title}：登记 {count} 名学员的学时学分",
           after={str(e.enrolment.pk): {"hours": e.hours, "credits": e.credits, "online": e.online}
                  for e in entries})
    return count


# --------------------------------------------------------------------------------------------------------
# 2. XLSX import of attendance


IMPORT_MAX_ROWS = 20000
IMPORT_COLUMNS = ("课程编号", "培育对象编号", "姓名", "专业", "学时", "学分", "线上（是/否）")


class ImportFailure(CultivationError):
    """The import was refused; ``rows`` lists (row number, message) for the error report."""

    def __init__(self, message: str, rows: list[tuple[int, str]]) -> None:
        super().__init__(message)
        self.rows = rows


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


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_rows(uploaded: Any) -> list[list[str]]:
    from openpyxl import load_workbook

    name = str(getattr(uploaded, "name", "") or "")
    if not name.lower().endswith(".xlsx"):
        raise CultivationError(gettext("请上传 .xlsx 格式的考勤表（可先下载模板）。"))
    from jiangxin.platform.core.filecheck import FileRejected, check_zip

    data = uploaded.read()
    try:
        check_zip(io.BytesIO(data))  # zip bombs, macros, active content
    except FileRejected as exc:
        raise CultivationError(str(exc)) from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise CultivationError(gettext("无法读取该 XLSX 文件，请确认文件未损坏。")) from exc
    try:
        sheet = book["考勤"] if "考勤" in book.sheetnames else book.worksheets[0]
        rows: list[list[str]] = []
        for row in sheet.iter_rows(values_only=True, max_col=len(IMPORT_COLUMNS)):
            rows.append([_cell(v) for v in row])
            if len(rows) > IMPORT_MAX_ROWS + 1:
                raise CultivationError(f"文件行数超过 {IMPORT_MAX_ROWS} 行，请分批导入。")
        return rows
    finally:
        book.close()


@action("cultivation.import_attendance")
def import_attendance(actor: Any, year: CultivationYear, uploaded: Any) -> int:
    """Import an attendance XLSX (the template's columns). All or nothing: any bad row refuses the whole file
    with an :class:`ImportFailure` listing each row's problem; importing again updates the same rows."""
    unit = training_unit_of(actor)
    if unit is None:
        raise CultivationError(gettext("只有承训单位可以导入考勤。"))
    _require_open(year)
    guards.unit_closed(year, unit, "导入考勤")
    rows = _read_rows(uploaded)
    if not rows or [c for c in rows[0][:2]] != list(IMPORT_COLUMNS[:2]):
        raise CultivationError(f"表头不符，第一行应为：{'、'.join(IMPORT_COLUMNS)}（请使用下载的模板）。")
    sessions = {s.key: s for s in unit_sessions(unit, year)}
    if not sessions:
        raise CultivationError(gettext("本单位培训计划尚未审核通过，不能导入考勤。"))
    problems: list[tuple[int, str]] = []
    parsed: dict[tuple[int, int], tuple[PlanSession, AttendanceEntry]] = {}
    for number, row in enumerate(rows[1:], start=2):
        row = (row + [""] * len(IMPORT_COLUMNS))[:len(IMPORT_COLUMNS)]
        key, enrolment_id, name, _major, hours, credits, online = row
        if not any(row):
            continue
        if hours == "" and credits == "":
            continue  # a template row left blank: nothing recorded
        session = sessions.get(key)
        if session is None:
            problems.append((number, f"课程编号“{key}”不在本单位已审核的培训计划中。"))
            continue
        enrolment = None
        if enrolment_id.isdigit():
            enrolment = session_trainees(session).filter(pk=int(enrolment_id)).first()
        if enrolment is None:
            problems.append((number, f"培育对象编号“{enrolment_id}”不是课程 {key} 的在训学员。"))
            continue
        if name and name != enrolment.person.name:
            problems.append((number, f"姓名“{name}”与编号 {enrolment_id} 的学员（{enrolment.person.name}）不符。"))
            continue
        if hours == "":
            problems.append((number, "学时未填写。"))
            continue
        if (session.pk, enrolment.pk) in parsed:
            problems.append((number, f"课程 {key} 的学员 {enrolment.person.name} 在文件中重复出现。"))
            continue
        try:
            parsed[(session.pk, enrolment.pk)] = (session, check_entry(session, enrolment, hours, credits, online))
        except CultivationError as exc:
            problems.append((number, str(exc)))
    if problems:
        raise ImportFailure(f"导入未执行（没有写入任何数据）：共 {len(problems)} 行有误，请下载错误报告修改后重新导入。",
                            problems)
    if not parsed:
        raise CultivationError(gettext("文件中没有填写学时的数据行。"))
    with transaction.atomic():
        by_session: dict[int, list[AttendanceEntry]] = {}
        for session, entry in parsed.values():
            by_session.setdefault(session.pk, []).append(entry)
        for session_pk, entries in by_session.items():
            _save_entries(actor, next(s for s in sessions.values() if s.pk == session_pk), entries)
        record("cultivation.attendance_import", None, actor=actor, object_type="cultivation.Attendance",
               object_id=str(year.pk),
               summary=f"{unit.name} 导入考勤 {len(parsed)} 行（{year}）",
               after={"rows": len(parsed), "sessions": sorted(s.key for s in sessions.values()
                                                              if s.pk in by_session)})
    return len(parsed)


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


# --------------------------------------------------------------------------------------------------------
# 3. leave requests (第十二条: the city lead approves)


def _own_enrolment(actor: Any, enrolment: Enrolment) -> None:
    person = getattr(actor, "person", None)
    if getattr(actor, "role", "") != Role.TRAINEE or person is None or enrolment.person_id != person.pk:
        raise CultivationError(gettext("只能为本人办理。"))


@action("cultivation.request_leave")
@transaction.atomic
def request_leave(actor: Any, enrolment: Enrolment, *, start: dt.date, end: dt.date, reason: str) -> LeaveRequest:
    _own_enrolment(actor, enrolment)
    _require_open(enrolment.year)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise CultivationError(gettext("只有在训学员可以请假。"))
    if end < start:
        raise CultivationError(gettext("结束日期不能早于开始日期。"))
    reason = (reason or "").strip()
    if not reason:
        raise CultivationError(gettext("请填写请假事由。"))
    overlap = enrolment.leave_requests.exclude(status=RequestStatus.REJECTED).filter(start__lte=end, end__gte=start)
    if overlap.exists():
        raise CultivationError(gettext("与已提交的请假时间重叠。"))
    leave = LeaveRequest.objects.create(enrolment=enrolment, start=start, end=end, reason=reason)
    record("cultivation.leave_request", leave, actor=actor,
           summary=f"{enrolment.person.name} 申请请假 {start} 至 {end}",
           after={"start": start, "end": end, "reason": reason})
    _notify(city_leads(enrolment), "培育对象请假待审批",
            f"{enrolment.person.name}（{enrolment.major or ''}）申请 {start} 至 {end} 请假。", "/cultivation/training/leave/")
    return leave


def can_decide_leave(user: Any, leave: LeaveRequest) -> bool:
    e = leave.enrolment
    return is_city_lead(user, e.year, e.home_city)


@action("cultivation.decide_leave")
@transaction.atomic
def decide_leave(actor: Any, leave: LeaveRequest, *, approve: bool, note: str = "") -> LeaveRequest:
    """The city lead of the trainee's city approves or rejects; the trainee and the unit are notified.
    Approved leave adds no hours: the file still counts only attended hours (第二十一条)."""
    leave = LeaveRequest.objects.select_for_update(of=("self",)).select_related("enrolment__person", "enrolment__major",
                                                                    "enrolment__year").get(pk=leave.pk)
    if not can_decide_leave(actor, leave):
        raise CultivationError(gettext("只有该学员所在设区市的市级负责人可以审批请假。"))
    if leave.status != RequestStatus.PENDING:
        raise CultivationError(gettext("该请假已审批，不能重复审批。"))
    note = (note or "").strip()
    if not approve and not note:
        raise CultivationError(gettext("不批准时请填写审批意见。"))
    before = {"status": leave.status}
    leave.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    leave.decided_by = actor
    leave.decided_at = timezone.now()
    leave.decision_note = note
    leave.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    e = leave.enrolment
    record("cultivation.leave_decision", leave, actor=actor,
           summary=f"{e.person.name} 请假 {leave.start} 至 {leave.end}：{leave.get_status_display()}",
           before=before, after={"status": leave.status, "note": note})
    title = f"请假{leave.get_status_display()}：{e.person.name} {leave.start} 至 {leave.end}"
    body = note or "请假期间的学时不计入参训学时。"
    _notify(trainee_users(e), title, body, "/cultivation/training/leave/")
    if e.major is not None:
        _notify(unit_users(e.major.training_unit), title, body, f"/cultivation/training/files/{e.pk}/")
    return leave


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


# --------------------------------------------------------------------------------------------------------
# 4. research report (第十九条) and the unit experts' evaluation


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


# --------------------------------------------------------------------------------------------------------
# 5. training file (培训档案, 第十六条)


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
    from jiangxin.platform.cultivation.services_results import DEFAULT_GRADE_BANDS, GRADE_BANDS_REFERENCE

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


# --------------------------------------------------------------------------------------------------------
# overviews for pages, nav and tasks


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
