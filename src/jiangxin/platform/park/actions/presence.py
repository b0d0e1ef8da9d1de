"""Days on site (镇江技能大师产业创新园意见 附件2): recording a month by form or importing the presence
spreadsheet.
"""

from __future__ import annotations

import calendar
import csv
import io
from typing import Any

from django.db import transaction
from django.utils import timezone

from jiangxin.platform.audit.service import record
from jiangxin.platform.park.common import _require_office, month_key, visible_residencies
from jiangxin.platform.park.errors import ParkError
from jiangxin.platform.park.models import Presence, Residency, ResidencyStatus
from jiangxin.platform.park.transitions import action


def check_days(month: str, days: Any) -> tuple[str, int]:
    key = month_key(month)
    try:
        value = int(str(days).strip())
    except ValueError:
        raise ParkError(f"{key} 的到园天数“{days}”不是整数。", "days") from None
    last = calendar.monthrange(int(key[:4]), int(key[5:]))[1]
    if not 0 <= value <= last:
        raise ParkError(f"{key} 的到园天数须在 0 至 {last} 天之间（该月共 {last} 天），填写的是 {value}。", "days")
    return key, value


@action("park.record_presence")
@transaction.atomic
def record_presence(actor: Any, residency: Residency, month: str, days: Any) -> Presence:
    _require_office(actor, residency)
    key, value = check_days(month, days)
    if key > timezone.localdate().strftime("%Y-%m"):
        raise ParkError(f"{key} 尚未到来，不能登记到园天数。", "month")
    old = Presence.objects.filter(residency=residency, month=key).first()
    row, _ = Presence.objects.update_or_create(residency=residency, month=key, defaults={"days": value})
    record("park.presence", row, actor=actor, summary=f"{residency.name} {key} 到园 {value} 天",
           before={"days": old.days} if old else None, after={"month": key, "days": value})
    return row


def _rows_from_upload(uploaded: Any) -> list[list[str]]:
    name = str(getattr(uploaded, "name", "")).lower()
    data = uploaded.read()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        from jiangxin.platform.core.filecheck import FileRejected, check_zip

        try:
            check_zip(io.BytesIO(data))  # zip bombs, macros, active content
        except FileRejected as exc:
            raise ParkError(str(exc), "file") from None
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # any unreadable workbook
            raise ParkError("无法读取该 XLSX 文件，请检查文件是否损坏。", "file") from exc
        sheet = book.worksheets[0]
        return [["" if c is None else str(c).strip() for c in row] for row in sheet.iter_rows(values_only=True)]
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise ParkError("CSV 文件编码无法识别，请使用 UTF-8。", "file") from None
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    raise ParkError("只接受 XLSX 或 CSV 文件（列：工作室、月份、到园天数）。", "file")


@action("park.import_presence")
def import_presence(actor: Any, uploaded: Any) -> int:
    """Import rows (工作室名称或协议编号, 月份 YYYY-MM, 天数): all or nothing; errors name each row."""
    _require_office(actor)
    rows = _rows_from_upload(uploaded)
    if rows and rows[0] and not rows[0][-1].strip().isdecimal():
        rows = rows[1:]  # header
    mine = {r.name: r for r in visible_residencies(actor)}
    mine.update({r.agreement_no: r for r in visible_residencies(actor)})
    errors: list[str] = []
    parsed: list[tuple[Residency, str, int]] = []
    this_month = timezone.localdate().strftime("%Y-%m")
    for number, row in enumerate(rows, start=2):
        if not any(row):
            continue
        if len(row) < 3:
            errors.append(f"第 {number} 行：应有三列（工作室、月份、到园天数）。")
            continue
        residency = mine.get(row[0])
        if residency is None:
            errors.append(f"第 {number} 行：找不到工作室“{row[0]}”（或不在您的管理范围内）。")
            continue
        if residency.status == ResidencyStatus.EXITED:
            errors.append(f"第 {number} 行：{residency.name} 已取消入驻，不再登记到园天数。")
            continue
        try:
            key, days = check_days(row[1][:7] if len(row[1]) >= 7 else row[1], row[2])
        except ParkError as exc:
            errors.append(f"第 {number} 行：{exc}")
            continue
        if key > this_month:
            errors.append(f"第 {number} 行：{key} 尚未到来。")
            continue
        parsed.append((residency, key, days))
    if errors:
        raise ParkError("导入未执行（没有写入任何数据）：" + " ".join(errors[:20]), "file")
    if not parsed:
        raise ParkError("文件中没有数据行。", "file")
    with transaction.atomic():
        for residency, key, days in parsed:
            record_presence(actor, residency, key, days)
    return len(parsed)
