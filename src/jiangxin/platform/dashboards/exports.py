"""One chart's table as XLSX (openpyxl). Text that a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from jiangxin.platform.core.spreadsheet import safe_text as safe_cell
from jiangxin.platform.dashboards.charts import Chart


def chart_xlsx(chart: Chart, caption: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "数据"
    ws.append([safe_cell(chart.title)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([safe_cell(caption)])
    ws.append([_("分类"), *[safe_cell(c) for c in chart.columns]])
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in chart.rows:
        ws.append([safe_cell(v) if v is not None else "—" for v in row])
    totals = chart.totals
    if totals is not None:
        ws.append([_("合计"), *totals])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    for r in ws.iter_rows(min_row=4):
        for cell in r[1:]:
            if isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
    if chart.note or chart.cite:
        ws.append([])
        ws.append([safe_cell(f"{chart.note}{_('依据：')}{chart.cite}" if chart.cite else chart.note)])
    ws.column_dimensions["A"].width = 36
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
