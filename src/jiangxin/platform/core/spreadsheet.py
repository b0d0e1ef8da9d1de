"""Spreadsheet exports without formula injection (入侵防范): every XLSX/CSV export writes user text through here.

Text that a spreadsheet program would run as a formula — starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return — gets a leading apostrophe, so it is shown as the text it is. Numbers, dates and amounts are
written as they are (a negative amount stays a number).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> Any:
    """``value`` with text that would start a formula neutralised; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_text(v) for v in values]


def workbook_bytes(workbook: Any) -> bytes:
    """Neutralise every text cell of an (ordinary, not write-only) openpyxl workbook and return the XLSX bytes."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    cell.value = "'" + cell.value
                elif cell.data_type == "f":  # a formula that came in as text
                    cell.value = "'" + str(cell.value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class SafeWriter:
    """``csv.writer`` whose rows go through :func:`safe_row`."""

    def __init__(self, stream: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
