"""拨付明细表 (disbursement detail sheet) as XLSX, written with openpyxl."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from jiangxin.platform.core.spreadsheet import workbook_bytes
from jiangxin.platform.ledger.models import DisbursementBatch

HEADERS = ("序号", "证书编号", "名称", "收款单位/人", "年度", "类别", "金额（元）", "依据", "事由", "分录号")


def batch_xlsx(batch: DisbursementBatch) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "拨付明细表"
    ws.append([f"拨付明细表 — {batch.title}"])
    ws["A1"].font = Font(bold=True, size=14)
    approved = batch.approved_at.date().isoformat() if batch.approved_at else "未审批"
    ws.append([f"项目：{batch.program}", f"年度：{batch.year}", f"状态：{batch.get_status_display()}",
               f"审批：{approved}"])
    ws.append(list(HEADERS))
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    total = Decimal("0.00")
    for n, e in enumerate(batch.entries.select_related("designation").order_by("designation_id", "id"), 1):
        ws.append([n, e.designation.certificate_no, e.designation.name, e.payee, e.year, e.get_kind_display(),
                   e.amount, e.citation, e.reason, e.pk])
        ws.cell(row=ws.max_row, column=7).number_format = "#,##0.00"
        total += e.amount
    ws.append(["合计", "", "", "", "", "", total])
    ws.cell(row=ws.max_row, column=7).number_format = "#,##0.00"
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    for col, width in zip("ABCDEFGHIJ", (6, 20, 30, 30, 8, 14, 16, 30, 30, 10), strict=True):
        ws.column_dimensions[col].width = width
    return workbook_bytes(wb)
