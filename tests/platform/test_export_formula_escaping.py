"""入侵防范（公式注入）: every XLSX/CSV export writes user text through one helper; text starting with = + - @ or
a tab/CR comes out as text, never as a formula."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from academy_helpers import csv_bytes, ids, row, upload
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from jiangxin.platform.core.spreadsheet import FORMULA_START, SafeWriter, safe_text, workbook_bytes

SRC = Path(__file__).resolve().parents[2] / "src" / "jiangxin"
#: files that write spreadsheets only as input samples (demo import files), not exports of user text
NOT_EXPORTS = {"platform/demo/loaders/academy.py", "platform/core/spreadsheet.py"}


def test_every_spreadsheet_writer_uses_the_shared_helper() -> None:
    writers = re.compile(r"\bWorkbook\(|csv\.writer\(|csv\.DictWriter\(")
    missing = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        text = path.read_text(encoding="utf-8")
        if rel in NOT_EXPORTS or "migrations" in rel or not writers.search(text):
            continue
        if "core.spreadsheet" not in text:
            missing.append(rel)
    assert missing == []


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")'])
def test_formula_text_is_escaped(text: str) -> None:
    assert text[0] in "".join(FORMULA_START)
    assert safe_text(text) == "'" + text
    wb = Workbook()
    wb.active.append([text, -5, 3.5])
    sheet = load_workbook(io.BytesIO(workbook_bytes(wb))).active
    first, number, decimal = (c for c in next(sheet.iter_rows()))
    assert first.data_type == "s" and first.value == "'" + text
    assert (number.value, decimal.value) == (-5, 3.5)  # numbers stay numbers
    out = io.StringIO()
    SafeWriter(out).writerow([text, "普通文本"])
    assert out.getvalue().startswith(("'", "\"'"))


@pytest.mark.django_db
def test_trainee_statistics_export_escapes_user_text(users: dict[str, Any], client_for: Any, settings: Any,
                                                      tmp_path: Path) -> None:
    from jiangxin.platform.academy import services

    settings.MEDIA_ROOT = tmp_path
    job = services.start_import(users["unit"], upload("a.csv", csv_bytes([row(n, major="=1+2") for n in ids(2)])))
    assert job.inserted == 2
    response = client_for(users["unit"]).get(reverse("academy:trainee_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    majors = [r[2] for r in sheet.iter_rows(min_row=2) if r[2].value is not None]
    assert majors and all(c.value == "'=1+2" and c.data_type == "s" for c in majors)


def test_document_lists_escape_placeholders_and_rows() -> None:
    from jiangxin.platform.core.officedocs import Column, default_xlsx, render_xlsx

    columns = [Column("name", "名称", 20)]
    data = render_xlsx(default_xlsx("naming_list", columns), {"title": "=cmd|' /C calc'!A0", "issuer": "x",
                                                              "date": "2026"},
                       columns=columns, rows=[{"name": "@SUM(1)"}])
    values = [c.value for r in load_workbook(io.BytesIO(data)).active.iter_rows() for c in r if c.value]
    assert "'=cmd|' /C calc'!A0" in values and "'@SUM(1)" in values
