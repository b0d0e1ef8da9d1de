"""Audit log exports (CSV for any tool, XLSX via openpyxl). ID-number-like strings are masked."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.core.spreadsheet import FORMULA_START
from jiangxin.policy.identity import mask_resident_id

HEADERS = ["编号", "时间", "操作人", "操作", "对象类型", "对象编号", "摘要", "变更前", "变更后", "地址", "前一哈希", "哈希"]
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_FORMULA_START = FORMULA_START  # the shared rule (core.spreadsheet)


def mask_ids(text: str) -> str:
    """Mask anything shaped like an 18-character resident ID number."""
    return _ID_LIKE.sub(lambda m: mask_resident_id(m.group(0)), text)


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    text = mask_ids(text if value is not None else "")
    return "'" + text if text.startswith(_FORMULA_START) else text  # no spreadsheet formula injection


def rows(events: Iterable[AuditEvent]) -> Iterator[list[str]]:
    for e in events:
        yield [str(e.pk), timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), _cell(e.actor_name),
               _cell(e.action), _cell(e.object_type), _cell(e.object_id), _cell(e.summary), _cell(e.before),
               _cell(e.after), e.address or "", e.prev_hash, e.hash]


def to_csv(events: Iterable[AuditEvent]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows(events))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM so spreadsheet tools read UTF-8


def to_xlsx(events: Iterable[AuditEvent]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("审计日志")
    sheet.append(HEADERS)
    for row in rows(events):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
