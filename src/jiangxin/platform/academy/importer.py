"""Streaming trainee import (学员库).

* Streams: CSV through the ``csv`` module, XLSX through openpyxl ``read_only`` — one chunk of rows in
  memory at a time, so memory does not grow with the file.
* Checks every row (:mod:`.rows`), writes rejected rows to a CSV error report (row, column, message).
* Inserts checked rows in batches with ``INSERT … ON CONFLICT DO NOTHING`` against the unique natural key
  (academy, ID hash, session code, end date): re-importing a file adds nothing.
* "更新已有记录" (``ImportJob.update_existing``): a row whose natural key exists overwrites the fields that
  changed; the previous values are written to a per-job file first (:func:`previous_values_path`), so a
  failed job restores them as well as deleting what it inserted. The default path is untouched by this.
* Atomicity: batches are committed as they go (so the progress bar and other users are not blocked by one
  long write transaction) and every inserted row carries the job id. When anything fails, all rows of the
  job are deleted and the job is marked failed; a job that died without cleaning up (killed process) is
  found by its stale heartbeat and cleaned the same way (:func:`recover_stale_jobs`). Only one import per
  academy runs at a time, so a cleanup never removes rows another job relies on. See
  docs/decisions/0003-trainee-import.md.
* Large files are checked in worker processes (``JIANGXIN_IMPORT_WORKERS``) while this process reads and
  inserts; small files are checked in-process.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from jiangxin.platform.academy import rows as R
from jiangxin.platform.academy.models import ImportJob, ImportStatus, Trainee
from jiangxin.platform.audit.service import record
from jiangxin.platform.people import crypto

log = logging.getLogger(__name__)

BATCH = 5000
#: seconds to wait for a worker to check one chunk before giving up (and rolling the job back)
CHUNK_TIMEOUT = 600
#: a running job whose heartbeat is older than this is considered dead and rolled back
STALE_AFTER = dt.timedelta(minutes=10)


class ImportFailure(Exception):
    """A file that cannot be imported at all (wrong header, unreadable); the message is for the user."""


# --- reading -------------------------------------------------------------------------------------------


def _csv_rows(path: Path) -> Iterator[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
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
    except UnicodeDecodeError:
        raise ImportFailure("CSV 文件须为 UTF-8 编码（可在表格软件中“另存为 CSV UTF-8”）") from None
    except (OSError, KeyError, ValueError) as exc:
        if isinstance(exc, ImportFailure):
            raise
        raise ImportFailure(f"文件无法读取：{exc.__class__.__name__}") from None


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


# --- writing -------------------------------------------------------------------------------------------


def insert_sql(columns: Sequence[str] = ("academy_id", "import_job_id", *R.ROW_COLUMNS)) -> str:
    table = connection.ops.quote_name(Trainee._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT DO NOTHING"


#: the natural key (with the academy) and the columns an "update existing" import may change
KEY_COLUMNS: tuple[str, ...] = ("id_hash", "session_code", "end_date")
UPDATE_COLUMNS: tuple[str, ...] = tuple(c for c in R.ROW_COLUMNS if c not in KEY_COLUMNS)
_KEY_IDX = tuple(R.ROW_COLUMNS.index(c) for c in KEY_COLUMNS)
_UPDATE_IDX = tuple(R.ROW_COLUMNS.index(c) for c in UPDATE_COLUMNS)


def update_sql() -> str:
    table = connection.ops.quote_name(Trainee._meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in UPDATE_COLUMNS)
    return f"UPDATE {table} SET {sets} WHERE {connection.ops.quote_name('id')} = %s"


def _plain(value: Any) -> Any:
    """A value as a checked row carries it (dates as ISO text), for comparing and for the JSON file."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def insert_batch(sql: str, batch: list[tuple[Any, ...]]) -> int:
    """Insert a batch and return how many rows were new (the rest hit the natural key)."""
    with connection.cursor() as cursor:
        cursor.executemany(sql, batch)
        count = cursor.rowcount
    return int(count) if count is not None and count >= 0 else -1


# --- checking, in-process or in workers --------------------------------------------------------------------


Chunk = list[tuple[int, Sequence[Any]]]


def _chunks(source: Iterator[Sequence[Any]], size: int) -> Iterator[Chunk]:
    chunk: Chunk = []
    rowno = 1
    for values in source:
        rowno += 1
        if not values or R.blank(values):
            continue
        chunk.append((rowno, values))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _checked(chunks: Iterator[Chunk], workers: int) -> Iterator[tuple[int, list[R.Row], list[R.Error]]]:
    """(rows in chunk, good rows, errors) in file order: in-process with 0 workers, else in a pool of
    ``workers`` processes with at most 2×workers chunks in flight."""
    if workers < 1:
        for chunk in chunks:
            good, errors = R.check_chunk(chunk)
            yield len(chunk), good, errors
        return
    ctx = multiprocessing.get_context("forkserver")
    with ctx.Pool(workers, initializer=R._worker_init, initargs=(crypto._hash_key(), R._today)) as pool:
        pending: deque[tuple[int, Any]] = deque()
        for chunk in chunks:
            pending.append((len(chunk), pool.apply_async(R.check_chunk, (chunk,))))
            if len(pending) >= 2 * workers:
                n, res = pending.popleft()
                yield n, *res.get(timeout=CHUNK_TIMEOUT)
        while pending:
            n, res = pending.popleft()
            yield n, *res.get(timeout=CHUNK_TIMEOUT)


def _csv_blocks(path: Path, size: int) -> tuple[list[str], Iterator[tuple[int, str]]]:
    """The header and blocks of ``size`` whole CSV records as text (first row number, text), for workers.

    A record ends at a line end outside quotes (an odd number of '"' on a line opens or closes a quoted
    field; doubled quotes inside a field keep the parity), so quoted line breaks stay inside one record."""
    fh = open(path, encoding="utf-8-sig", newline="")  # closed by blocks()

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
        raise ImportFailure("CSV 文件须为 UTF-8 编码（可在表格软件中“另存为 CSV UTF-8”）") from None
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
            raise ImportFailure("CSV 文件须为 UTF-8 编码（可在表格软件中“另存为 CSV UTF-8”）") from None
        finally:
            fh.close()

    return header, blocks()


def _checked_text(blocks: Iterator[tuple[int, str]], workers: int
                  ) -> Iterator[tuple[int, list[R.Row], list[R.Error]]]:
    """Blocks parsed and checked by worker processes, in file order, at most 2×workers blocks in flight."""
    ctx = multiprocessing.get_context("forkserver")
    with ctx.Pool(workers, initializer=R._worker_init, initargs=(crypto._hash_key(), R._today)) as pool:
        pending: deque[Any] = deque()
        for first, text in blocks:
            pending.append(pool.apply_async(R.check_csv_text, (first, text)))
            if len(pending) >= 2 * workers:
                yield pending.popleft().get(timeout=CHUNK_TIMEOUT)
        while pending:
            yield pending.popleft().get(timeout=CHUNK_TIMEOUT)


def worker_count(size_bytes: int) -> int:
    configured = getattr(settings, "JIANGXIN_IMPORT_WORKERS", None)
    if configured is not None:
        return int(configured)
    if size_bytes < 8 * 1024 * 1024:  # about 80,000 rows: starting workers does not pay off
        return 0
    return max(1, min(4, (os.cpu_count() or 1)))


# --- the job ---------------------------------------------------------------------------------------------


def error_report_path(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / "academy" / "imports" / str(job.academy_id) / f"job-{job.pk}-errors.csv"


def _save(job: ImportJob, **fields: Any) -> None:
    fields["heartbeat_at"] = timezone.now()
    for k, v in fields.items():
        setattr(job, k, v)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def previous_values_path(job: ImportJob) -> Path:
    """JSON lines with the values rows had before an "update existing" job changed them (for rollback)."""
    return error_report_path(job).with_name(f"job-{job.pk}-previous.jsonl")


def _restore_previous(job: ImportJob) -> int:
    path = previous_values_path(job)
    if not path.exists():
        return 0
    sql = update_sql()
    restored = 0
    with open(path, encoding="utf-8") as fh:
        params = []
        for line in fh:
            if not line.strip():
                continue
            try:
                old = json.loads(line)
            except ValueError:
                continue  # a line cut short by a killed process: its batch was never committed
            params.append((*(old[c] for c in UPDATE_COLUMNS), old["pk"]))
        if params:
            # newest first, so a row changed by two batches ends with the value it had before the job
            params.reverse()
            with connection.cursor() as cursor:
                cursor.executemany(sql, params)
            restored = len(params)
    return restored


def rollback_job(job: ImportJob, message: str) -> int:
    """Delete every row the job inserted, restore the rows it updated, and mark it failed (audited)."""
    with transaction.atomic():
        removed, _ = Trainee.objects.filter(import_job=job).delete()
        restored = _restore_previous(job)
        _save(job, status=ImportStatus.FAILED, message=message[:500], finished_at=timezone.now(), inserted=0,
              updated=0)
        undone = f"{removed} 行" + (f"，恢复被更新的 {restored} 行" if restored else "")
        record("academy.import.rollback", job, summary=f"学员导入失败，已撤销本次写入的 {undone}：{message}"[:300],
               after={"removed": removed, "restored": restored})
    previous_values_path(job).unlink(missing_ok=True)
    return int(removed)


def recover_stale_jobs(academy_id: int | None = None) -> int:
    """Roll back jobs left 'running' by a process that died (heartbeat older than STALE_AFTER)."""
    limit = timezone.now() - STALE_AFTER
    qs = ImportJob.objects.filter(status=ImportStatus.RUNNING, heartbeat_at__lt=limit)
    if academy_id is not None:
        qs = qs.filter(academy_id=academy_id)
    count = 0
    for job in qs:
        rollback_job(job, "导入进程中断（超时无响应），已撤销")
        count += 1
    return count


#: test hook: called after each committed batch with (job, batches so far)
after_batch: Callable[[ImportJob, int], None] | None = None


def run(job_id: int, *, workers: int | None = None) -> dict[str, Any]:
    """Import one queued job. Never leaves part of a failed job behind."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportStatus.QUEUED:
        return {"status": job.status}
    path = Path(job.source.path)
    R.configure(crypto._hash_key(), timezone.localdate())
    if workers is None:
        workers = worker_count(path.stat().st_size if path.exists() else 0)
    _save(job, status=ImportStatus.RUNNING, started_at=timezone.now(), total=estimate_rows(path, job.file_format))
    report = error_report_path(job)
    report.parent.mkdir(parents=True, exist_ok=True)
    sql = insert_sql()
    prefix = (job.academy_id, job.pk)
    processed = inserted = updated = errors = batches = 0
    previous = previous_values_path(job) if job.update_existing else None
    try:
        with open(report, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(("行号", "字段", "错误说明"))
            checked: Iterator[tuple[int, list[R.Row], list[R.Error]]]
            if job.file_format == "csv" and workers >= 1:
                header, blocks = _csv_blocks(path, BATCH)
                if not header:
                    raise ImportFailure("文件为空")
                check_header(header)
                checked = _checked_text(blocks, workers)
            else:
                source = iter(read_rows(path, job.file_format))
                first = next(source, None)
                if first is None:
                    raise ImportFailure("文件为空")
                check_header(first)
                checked = _checked(_chunks(source, BATCH), workers)
            pending: list[tuple[Any, ...]] = []
            for n, good, errs in checked:
                processed += n
                errors += len({e[0] for e in errs})
                if errs:
                    writer.writerows(errs)
                if previous is not None:
                    pending.extend(good)
                else:
                    pending.extend(prefix + row for row in good)
                if len(pending) >= BATCH or not good:
                    if previous is not None:
                        new, changed = _flush_update(job, sql, pending, processed, errors, inserted, updated,
                                                     previous)
                        inserted, updated = inserted + new, updated + changed
                    else:
                        inserted += _flush(job, sql, pending, processed, errors, inserted)
                    pending = []
                    batches += 1
                    if after_batch is not None:
                        after_batch(job, batches)
            if pending and previous is not None:
                new, changed = _flush_update(job, sql, pending, processed, errors, inserted, updated, previous)
                inserted, updated = inserted + new, updated + changed
            elif pending:
                inserted += _flush(job, sql, pending, processed, errors, inserted)
        # rowcount is what the driver says; the table is the truth
        inserted = Trainee.objects.filter(import_job=job).count()
        duplicates = processed - errors - inserted - updated
        summary = f"共 {processed} 行：新增 {inserted}，" + (f"更新 {updated}，未变 {duplicates}"
                                                        if job.update_existing else f"重复 {duplicates}")
        with transaction.atomic():
            _save(job, status=ImportStatus.SUCCEEDED, processed=processed, inserted=inserted, updated=updated,
                  errors=errors, duplicates=duplicates, finished_at=timezone.now(),
                  error_report=str(report) if errors else "", message=f"{summary}，错误 {errors}")
            record("academy.import.finish", job, summary=job.message,
                   after={"processed": processed, "inserted": inserted, "updated": updated, "errors": errors})
        if not errors:
            report.unlink(missing_ok=True)
        if previous is not None:
            previous.unlink(missing_ok=True)
    except ImportFailure as exc:
        rollback_job(job, str(exc))
    except Exception as exc:
        log.exception("trainee import %s failed", job.pk)
        rollback_job(job, f"导入出错，已撤销本次写入：{exc.__class__.__name__}")
        raise
    return {"status": job.status, "processed": processed, "inserted": job.inserted, "errors": errors}


def _flush(job: ImportJob, sql: str, batch: list[tuple[Any, ...]], processed: int, errors: int,
           inserted_so_far: int) -> int:
    with transaction.atomic():
        new = insert_batch(sql, batch) if batch else 0
        if new < 0:
            new = 0
        _save(job, processed=processed, errors=errors, inserted=inserted_so_far + new)
    return new


def _flush_update(job: ImportJob, sql: str, rows: list[R.Row], processed: int, errors: int, inserted_so_far: int,
                  updated_so_far: int, previous: Path) -> tuple[int, int]:
    """"Update existing" batch: insert new keys, overwrite changed fields of existing ones (first occurrence of
    a key in the batch wins, as in the default path). Previous values are saved to ``previous`` before the
    batch commits, so a rollback can put them back. Returns (inserted, updated)."""
    first: dict[tuple[Any, ...], R.Row] = {}
    for row in rows:
        first.setdefault(tuple(row[i] for i in _KEY_IDX), row)
    with transaction.atomic():
        existing = {}
        hashes = sorted({k[0] for k in first})
        for start in range(0, len(hashes), 900):
            for old in (Trainee.objects.filter(academy_id=job.academy_id, id_hash__in=hashes[start:start + 900])
                        .values("pk", *R.ROW_COLUMNS)):
                existing[tuple(_plain(old[c]) for c in KEY_COLUMNS)] = old
        new_rows: list[tuple[Any, ...]] = []
        changes: list[tuple[Any, ...]] = []
        saved: list[str] = []
        for key, row in first.items():
            old = existing.get(key)
            if old is None:
                new_rows.append((job.academy_id, job.pk, *row))
                continue
            values = tuple(row[i] for i in _UPDATE_IDX)
            before = tuple(_plain(old[c]) for c in UPDATE_COLUMNS)
            if values != before:
                changes.append((*values, old["pk"]))
                saved.append(json.dumps({"pk": old["pk"], **dict(zip(UPDATE_COLUMNS, before, strict=True))},
                                        ensure_ascii=False))
        if saved:
            with open(previous, "a", encoding="utf-8") as fh:
                fh.write("\n".join(saved) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        new = insert_batch(sql, new_rows) if new_rows else 0
        if changes:
            with connection.cursor() as cursor:
                cursor.executemany(update_sql(), changes)
        new = max(new, 0)
        _save(job, processed=processed, errors=errors, inserted=inserted_so_far + new,
              updated=updated_so_far + len(changes))
    return new, len(changes)
