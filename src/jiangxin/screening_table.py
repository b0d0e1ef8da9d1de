"""Reading a population for screening (筛查) from a spreadsheet, and writing the result — shared by the command line
(``jiangxin screen``) and the platform's screening page. Not part of the policy core (it does file I/O), and free of
Django.

The first row holds the column names — the screener's English names or their Chinese labels; dates as
``YYYY-MM-DD`` (or spreadsheet dates), yes/no as 是/否, 1/0, true/false; blank cells are "none" where a column is
optional. Every unreadable cell is reported with its row and column, and nothing is screened until all are fixed."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from jiangxin.policy.screening import Column, Screener, ScreenResult

TRUE = {"1", "true", "yes", "y", "是", "有", "√"}
FALSE = {"", "0", "false", "no", "n", "否", "无"}
MAX_ERRORS = 50


class TableError(Exception):
    """A table that cannot be screened; ``problems`` lists (row, column, message) in Chinese."""

    def __init__(self, problems: list[tuple[int, str, str]]):
        self.problems = problems
        super().__init__("；".join(f"第{r}行 {c}：{m}" if r else f"{c}：{m}" for r, c, m in problems[:10]))


#: what is said when a file named .xlsx cannot be opened as a workbook, or a CSV is neither UTF-8 nor GBK text
UNREADABLE_XLSX = "无法读取该 XLSX 文件（文件已损坏或不是 Excel 工作簿），请在 Excel 中另存为 .xlsx 后重新上传"
NOT_UTF8_CSV = "CSV 文件编码无法识别（须为 UTF-8 或 GBK），请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或改为上传 XLSX 文件"


def _rows(path: Path, data: bytes | None = None) -> Iterator[Sequence[Any]]:
    name = path.name.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:  # a damaged or mislabelled file fails in the zip, XML or workbook layer: all say the same to people
            book = load_workbook(io.BytesIO(data) if data is not None else path, read_only=True, data_only=True)
        except Exception as error:
            raise TableError([(0, "文件", UNREADABLE_XLSX)]) from error
        try:
            yield from book.worksheets[0].iter_rows(values_only=True)
        except (IndexError, KeyError, ValueError, OSError, SyntaxError) as error:  # XML ParseError is a SyntaxError
            raise TableError([(0, "文件", UNREADABLE_XLSX)]) from error
        finally:
            book.close()
    elif name.endswith(".csv"):
        raw = data if data is not None else path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:  # Excel's plain "CSV" on Chinese Windows is GBK (GB18030 holds it), as the park's import reads it
                text = raw.decode("gb18030")
            except UnicodeDecodeError as error:
                raise TableError([(0, "文件", NOT_UTF8_CSV)]) from error
        try:
            yield from csv.reader(io.StringIO(text))
        except csv.Error as error:
            raise TableError([(0, "文件", "无法读取该 CSV 文件（含有无法识别的字符，如空字符）")]) from error
    else:
        raise TableError([(0, "文件", "只接受 CSV 或 XLSX 文件")])


def _date(value: Any) -> np.datetime64:
    if value is None or (isinstance(value, str) and not value.strip()):
        return np.datetime64("NaT", "D")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return np.datetime64(value, "D")
    return np.datetime64(dt.date.fromisoformat(str(value).strip()), "D")


def _bool(value: Any) -> bool:
    text = "" if value is None else str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError(text)


def read_table(screener: Screener, path: Path, data: bytes | None = None,
               max_rows: int = 2_000_000) -> tuple[dict[str, npt.NDArray[Any]], list[str]]:
    """The columns of ``screener`` read from the CSV/XLSX ``path`` (or its bytes), and each row's key (the
    ``key``/``编号``/``姓名`` column when present, else the row number)."""
    rows = _rows(path, data)
    header = next(rows, None)
    if header is None:
        raise TableError([(0, "文件", "文件是空的")])
    names = [str(h or "").strip() for h in header]
    by_label = {c.label: c for c in screener.columns} | {c.name: c for c in screener.columns}
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in by_label:
            index[by_label[name].name] = i
    key_at = next((i for i, n in enumerate(names) if n in ("key", "编号", "姓名")), None)
    missing = [c.label for c in screener.columns if not c.optional and c.name not in index]
    if missing:
        raise TableError([(1, "表头", f"缺少必需的列：{'、'.join(missing)}")])
    values: dict[str, list[Any]] = {c.name: [] for c in screener.columns if c.name in index}
    keys: list[str] = []
    problems: list[tuple[int, str, str]] = []
    for number, row in enumerate(rows, start=2):
        if number - 1 > max_rows:
            raise TableError([(number, "文件", f"超过 {max_rows} 行的上限")])
        if not any(cell not in (None, "") for cell in row):
            continue
        keys.append(str(row[key_at]) if key_at is not None and key_at < len(row) else str(number))
        for column in screener.columns:
            if column.name not in index:
                continue
            cell = row[index[column.name]] if index[column.name] < len(row) else None
            try:
                values[column.name].append(_cell(column, cell))
            except (ValueError, TypeError):
                if len(problems) < MAX_ERRORS:
                    problems.append((number, column.label, f"无法识别的值“{cell}”"))
                values[column.name].append(None)
    if problems:
        raise TableError(problems)
    return _arrays(screener.columns, values, len(keys)), keys


def _cell(column: Column, cell: Any) -> Any:
    blank = cell is None or (isinstance(cell, str) and not cell.strip())
    if blank and not column.optional:
        raise ValueError("blank")
    if column.kind == "date":
        return _date(cell)
    if column.kind == "bool":
        return _bool(cell)
    if column.kind == "int":
        return int(str(cell).strip())
    return str(cell).strip()


def _arrays(columns: Iterable[Column], values: dict[str, list[Any]], size: int) -> dict[str, npt.NDArray[Any]]:
    arrays: dict[str, npt.NDArray[Any]] = {}
    for column in columns:
        if column.name not in values:
            continue
        data = values[column.name]
        if column.kind == "date":
            arrays[column.name] = np.array(data, dtype="datetime64[D]")
        elif column.kind == "bool":
            arrays[column.name] = np.array(data, dtype=bool)
        elif column.kind == "int":
            arrays[column.name] = np.array(data, dtype=np.int64)
        else:
            arrays[column.name] = np.array(data, dtype=str)
    return arrays


def summary(screener: Screener, result: ScreenResult) -> dict[str, Any]:
    """Counts for people: how many qualify, how many miss exactly one condition (per condition, with article)."""
    near = result.near_by_condition()
    return {
        "program": screener.program, "computation": screener.computation, "title": screener.title,
        "total": result.size, "eligible": int(np.count_nonzero(result.eligible)),
        "near": int(np.count_nonzero(result.near)),
        "near_by_condition": [{"condition": c.key, "title": c.title, "article": c.citation.label,
                               "count": near[c.key]} for c in result.conditions],
    }


def result_rows(result: ScreenResult, keys: Sequence[str], rows: Iterable[int]) -> Iterator[list[str]]:
    """One line per row: key, 结论 (符合/差一项/不符合), the failing conditions with their articles."""
    near = result.near
    for row in rows:
        failures = result.failures(row)
        verdict = "符合" if result.eligible[row] else ("差一项" if near[row] else "不符合")
        yield [keys[row], verdict, "；".join(f"{c.title}（{c.citation.label}）" for c in failures)]


RESULT_HEADER = ["编号", "结论", "不符合的条件（依据）"]


def write_result(path: Path, result: ScreenResult, keys: Sequence[str], only: str = "all") -> int:
    """Write the rows (``only``: all / eligible / near) as CSV or XLSX; returns how many were written."""
    if only == "eligible":
        rows = np.flatnonzero(result.eligible)
    elif only == "near":
        rows = np.flatnonzero(result.near)
    else:
        rows = np.arange(result.size)
    lines = result_rows(result, keys, (int(r) for r in rows))
    if path.name.lower().endswith(".xlsx"):
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("筛查结果")
        sheet.append(RESULT_HEADER)
        for line in lines:
            sheet.append([_safe(cell) for cell in line])
        book.save(path)
    else:
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(RESULT_HEADER)
            writer.writerows([_safe(cell) for cell in line] for line in lines)
    return len(rows)


def _safe(cell: str) -> str:
    """Spreadsheet formula injection: the platform's one helper (``core.spreadsheet``, pure Python)."""
    from jiangxin.platform.core.spreadsheet import safe_text

    return str(safe_text(cell))
