"""XLSX exports and templates (openpyxl, write-only so large exports stream)."""

from __future__ import annotations

import io
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from openpyxl import Workbook
from openpyxl.styles import Font

from jiangxin.platform.academy import rows as R
from jiangxin.platform.core.spreadsheet import SafeWriter, safe_row, workbook_bytes
from jiangxin.platform.people.levels import SkillLevel

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATS_HEADERS = ("年度", "工匠学院", "培训专业", "培训后技能等级", "参训人次", "参训人数", "等级晋升人数",
                 "公益培训人次（农民工/未就业大学生/困难职工）")


def template_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "学员信息"
    ws.append(list(R.HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, header in enumerate(R.HEADERS):
        ws.column_dimensions[chr(ord("A") + i)].width = max(12, len(header) * 2 + 4)
    help_ws = wb.create_sheet("填写说明")
    help_ws.append(["列", "填写要求"])
    for header in R.HEADERS:
        help_ws.append([header, R.HELP[header]])
    help_ws.append([])
    help_ws.append(["说明", "同一学员同一期次（期次编号+结束日期）重复导入不会重复入库；有错误的行另附错误报告下载，其余行正常导入。"])
    return workbook_bytes(wb)


def template_csv() -> bytes:
    out = io.StringIO()
    SafeWriter(out).writerow(R.HEADERS)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def trainee_statistics(trainees: Any) -> list[tuple[Any, ...]]:
    """Rows (year, academy, major, level after, person-times, persons, upgraded persons, welfare person-times)."""
    welfare = Q(migrant_worker=True) | Q(unemployed_graduate=True) | Q(hardship_worker=True)
    data = (trainees.annotate(year=ExtractYear("end_date"))
            .values("year", "academy__name", "major", "level_after")
            .annotate(times=Count("id"), persons=Count("id_hash", distinct=True),
                      upgraded_persons=Count("id_hash", filter=Q(upgraded=True), distinct=True),
                      welfare_times=Count("id", filter=welfare))
            .order_by("-year", "academy__name", "major", "level_after"))
    labels = dict(SkillLevel.choices)
    return [(r["year"], r["academy__name"], r["major"], str(labels.get(r["level_after"], "未取得/未填")) if
             r["level_after"] else "未取得/未填", r["times"], r["persons"], r["upgraded_persons"], r["welfare_times"])
            for r in data]


def statistics_xlsx(trainees: Any) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("学员统计")
    ws.append(list(STATS_HEADERS))
    for row in trainee_statistics(trainees):
        ws.append(safe_row(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
