"""Reading an uploaded trainee file (学员库导入): the CSV's encoding (UTF-8, else Excel's GBK), its rows (CSV through
the ``csv`` module, XLSX through openpyxl ``read_only``: a chunk at a time), an estimate of their number for the
progress bar, the header check, and the CSV cut into blocks of whole records for the checking workers. A file that
cannot be read at all is an ``ImportFailure`` whose message is for the user. The import job itself (staging,
checking, merging, rollback) is :mod:`.importer`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_noop

from jiangxin.platform.academy import rows as R


class ImportFailure(Exception):
    """A file that cannot be imported at all (wrong header, unreadable); the message is for the user."""


#: what is said of a CSV that is neither UTF-8 nor GBK text
NOT_TEXT_CSV = gettext_noop("CSV 文件编码无法识别（须为 UTF-8 或 GBK），请在表格软件中另存为“CSV UTF-8”后重新上传")
#: what is said of a CSV the csv module cannot parse
UNREADABLE_CSV = gettext_noop("无法读取该 CSV 文件，请另存后重新上传")
#: what is said of a file named .xlsx that cannot be read as a workbook (whatever layer failed)
UNREADABLE_XLSX = gettext_noop("无法读取该 XLSX 文件（不是 Excel 工作簿或已损坏），请在 Excel 中另存为 .xlsx 后重新上传")


def csv_encoding(path: Path) -> str:
    """The CSV's encoding: UTF-8 (with or without its mark), else GBK as Excel's plain "CSV" writes it on Chinese
    Windows (read as GB18030, which holds GBK). The whole file is checked once, in blocks, before any row is read:
    an import never stops half-way on an encoding error. Neither: ``ImportFailure``."""
    import codecs

    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as fh:
                while block := fh.read(1 << 20):
                    decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ImportFailure(NOT_TEXT_CSV)


def _csv_rows(path: Path) -> Iterator[list[str]]:
    with open(path, encoding=csv_encoding(path), newline="") as fh:
        yield from csv.reader(fh)


def _xlsx_rows(path: Path) -> Iterator[Sequence[Any]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        yield from ws.iter_rows(values_only=True)
    finally:
        wb.close()


def read_rows(path: Path, file_format: str) -> Iterator[Sequence[Any]]:
    try:
        if file_format == "xlsx":
            yield from _xlsx_rows(path)
        else:
            yield from _csv_rows(path)
    except ImportFailure:
        raise
    except UnicodeDecodeError:
        raise ImportFailure(NOT_TEXT_CSV) from None
    except Exception as exc:  # the zip, XML or workbook layer of a damaged or mislabelled file: one message
        if file_format != "xlsx" and not isinstance(exc, OSError | ValueError | csv.Error):
            raise
        raise ImportFailure(UNREADABLE_XLSX if file_format == "xlsx" else UNREADABLE_CSV) from None


def estimate_rows(path: Path, file_format: str) -> int | None:
    """Data rows in the file (for the progress bar): newline count for CSV, the sheet dimension for XLSX."""
    try:
        if file_format == "xlsx":
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True)
            try:
                rows = wb.worksheets[0].max_row
            finally:
                wb.close()
            return max(0, rows - 1) if rows else None
        lines = 0
        last = b"\n"
        with open(path, "rb") as fh:
            while block := fh.read(1 << 20):
                lines += block.count(b"\n")
                last = block[-1:]
        return max(0, lines + (last != b"\n") - 1)
    except Exception:
        return None


def check_header(header: Sequence[Any]) -> None:
    got = [str(h).strip() if h is not None else "" for h in header[: len(R.HEADERS)]]
    if got != list(R.HEADERS):
        raise ImportFailure("表头与模板不一致：应为 " + "、".join(R.HEADERS) + "。请下载最新模板。")


def csv_blocks(path: Path, size: int) -> tuple[list[str], Iterator[tuple[int, str]]]:
    """The header and blocks of ``size`` whole CSV records as text (first row number, text), for workers.

    A record ends at a line end outside quotes (an odd number of '"' on a line opens or closes a quoted
    field; doubled quotes inside a field keep the parity), so quoted line breaks stay inside one record."""
    fh = open(path, encoding=csv_encoding(path), newline="")  # closed by blocks()

    def record() -> str:
        parts: list[str] = []
        quoted = False
        for line in fh:
            parts.append(line)
            if line.count('"') % 2:
                quoted = not quoted
            if not quoted:
                break
        return "".join(parts)

    try:
        header_text = record()
    except UnicodeDecodeError:
        fh.close()
        raise ImportFailure(NOT_TEXT_CSV) from None
    header = next(csv.reader(io.StringIO(header_text, newline="")), [])

    def blocks() -> Iterator[tuple[int, str]]:
        rowno, records, quoted = 2, 0, False
        lines: list[str] = []
        try:
            for line in fh:
                lines.append(line)
                if line.count('"') % 2:
                    quoted = not quoted
                if not quoted:
                    records += 1
                    if records >= size:
                        yield rowno, "".join(lines)
                        rowno += records
                        records = 0
                        lines = []
            if lines:
                yield rowno, "".join(lines)
        except UnicodeDecodeError:
            raise ImportFailure(NOT_TEXT_CSV) from None
        finally:
            fh.close()

    return header, blocks()
