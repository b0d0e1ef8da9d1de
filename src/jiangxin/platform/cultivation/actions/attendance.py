"""Attendance (江苏卓越技师办法 第十七条, 第二十条): a unit records who attended a session, by form or by importing
the attendance spreadsheet; each entry is checked before anything is saved.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from jiangxin.platform.audit.service import record
from jiangxin.platform.cultivation import guards
from jiangxin.platform.cultivation.access import CultivationError, training_unit_of
from jiangxin.platform.cultivation.common_training import (
    IMPORT_COLUMNS,
    ONE_DECIMAL,
    ImportFailure,
    _decimal,
    _flag,
    _require_open,
)
from jiangxin.platform.cultivation.models import (
    Attendance,
    CultivationYear,
    Delivery,
    Enrolment,
    EnrolmentStatus,
    PlanSession,
)
from jiangxin.platform.cultivation.selectors.training import _unit_session, session_trainees, unit_sessions
from jiangxin.platform.cultivation.transitions import action


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


IMPORT_MAX_ROWS = 20000


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
        if enrolment_id.isdecimal():
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
