"""Streaming trainee import (学员库).

* Streams: CSV through the ``csv`` module, XLSX through openpyxl ``read_only`` — one chunk of rows in
  memory at a time, so memory does not grow with the file.
* Checks every row (:mod:`.rows`), writes rejected rows to a CSV error report (row, column, message).
* Inserts checked rows in batches with ``INSERT … ON CONFLICT DO NOTHING`` against the unique natural key
  (academy, ID hash, session code, end date): re-importing a file adds nothing.
* "更新已有记录" (``ImportJob.update_existing``): a row whose natural key exists overwrites the fields that
  changed.
* Atomicity: checked rows are staged (``StagedTrainee``) in batches committed as they go (so the progress bar
  and other users are not blocked by one long write transaction); none of them is visible. At the end the
  staged rows move into the trainee table in one transaction (:func:`merge_staged`). When anything fails the
  staged rows are dropped; a job whose worker died (no heartbeat for ``STALE_AFTER``) is found and failed the
  same way by whoever looks next (:func:`recover_stale_jobs`), and can be retried. See
  docs/decisions/0003-trainee-import.md and 0020-imports-at-rest-and-jobs.md.
* The raw upload is stored encrypted (``people.filecrypt``); a private plaintext copy exists only while the
  job runs.
* Large files are checked in worker processes (``JIANGXIN_IMPORT_WORKERS``) while this process reads and
  inserts; small files are checked in-process.

Reading the file (encoding, rows, header, blocks for the workers) is :mod:`.import_files`; this module is the
rest of one idea, one import job's run from the stored file to the merged rows: its steps share the job's
batches, heartbeat and rollback, and splitting them would scatter the atomicity argument above.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from jiangxin.platform.academy import rows as R
from jiangxin.platform.academy import transitions as T
from jiangxin.platform.academy.import_files import (
    ImportFailure,
    check_header,
    csv_blocks,
    estimate_rows,
    read_rows,
)
from jiangxin.platform.academy.models import ImportJob, ImportStatus, StagedTrainee, Trainee
from jiangxin.platform.core.heartbeat import Heartbeat
from jiangxin.platform.core.spreadsheet import SafeWriter
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.people import crypto, filecrypt

log = logging.getLogger(__name__)

BATCH = 5000
#: seconds to wait for a worker to check one chunk before giving up (and rolling the job back)
CHUNK_TIMEOUT = 600
#: a running job whose heartbeat is older than this is considered dead and rolled back (beats every 5 s);
#: ``None``: ``settings.JIANGXIN_JOB_STALE_SECONDS``
STALE_AFTER: dt.timedelta | None = None
#: a job still queued after this long (its worker lost it) is failed, so it never blocks the next import
QUEUED_STALE_AFTER = dt.timedelta(minutes=10)


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


def workdir() -> Path:
    """Where a running job keeps its private plaintext copy of the upload (outside MEDIA_ROOT)."""
    return Path(settings.VAR_DIR) / "work" / "imports"


def plaintext_path(job: ImportJob) -> Path:
    return workdir() / f"job-{job.pk}.{job.file_format}"


def rollback_job(job: ImportJob, message: str) -> int:
    """Drop everything the job staged and mark it failed (audited); returns the rows dropped."""
    try:
        removed = int(T.fail_job(job, message=message))
    except TransitionRefused:  # it finished or failed meanwhile
        return 0
    except OperationalError:  # SQLite: the job holds the write lock, so it is alive (finishing): leave it
        log.warning("trainee import %s looked stale but its database is busy; not rolled back", job.pk)
        return 0
    plaintext_path(job).unlink(missing_ok=True)  # a killed worker's private copy
    return removed


def stale_after() -> dt.timedelta:
    return STALE_AFTER or dt.timedelta(seconds=float(getattr(settings, "JIANGXIN_JOB_STALE_SECONDS", 30)))


def recover_stale_jobs(academy_id: int | None = None) -> int:
    """Fail (and roll back) jobs whose worker died: running without a heartbeat for STALE_AFTER, or still
    queued after QUEUED_STALE_AFTER. Their staged rows were never visible; the academy may retry them."""
    now = timezone.now()
    qs = (ImportJob.objects.filter(status=ImportStatus.RUNNING, heartbeat_at__lt=now - stale_after())
          | ImportJob.objects.filter(status=ImportStatus.QUEUED, created_at__lt=now - QUEUED_STALE_AFTER))
    if academy_id is not None:
        qs = qs.filter(academy_id=academy_id)
    count = 0
    for job in qs:
        died = job.status == ImportStatus.RUNNING
        message = (gettext_noop("导入进程中断（超时无响应），已撤销，可重新导入") if died
                   else gettext_noop("导入任务排队超时未执行，已取消，可重新导入"))
        rollback_job(job, message)
        count += 1
        if died:
            _retry_automatically(job)
    return count


def _retry_automatically(job: ImportJob) -> None:
    """Queue a job whose worker died again, up to ``JIANGXIN_JOB_AUTO_RETRIES`` starts in all (scale-out: any other
    worker takes it); after that it stays failed with the retry button for the academy."""
    job.refresh_from_db()
    limit = int(getattr(settings, "JIANGXIN_JOB_AUTO_RETRIES", 1))
    if job.status != ImportStatus.FAILED or job.attempts > limit or not job.source:
        return
    if not job.source.storage.exists(job.source.name):
        return
    from jiangxin.platform.academy.actions import imports as import_actions

    try:
        T.auto_retry_job(job, actor=None)
    except TransitionRefused:  # taken up meanwhile
        return
    transaction.on_commit(lambda: import_actions.enqueue_import(job))


#: test hook: called after each committed batch with (job, batches so far)
after_batch: Callable[[ImportJob, int], None] | None = None


def _beat(job_id: int) -> Callable[[], None]:
    def beat() -> None:
        ImportJob.objects.filter(pk=job_id, status=ImportStatus.RUNNING).update(heartbeat_at=timezone.now())

    return beat


def run(job_id: int, *, workers: int | None = None) -> dict[str, Any]:
    """Import one queued job. Never leaves part of a failed job behind, nor any of it visible before the end."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportStatus.QUEUED:
        return {"status": job.status}
    source = Path(job.source.path)
    R.configure(crypto._hash_key(), timezone.localdate())
    report = error_report_path(job)
    report.parent.mkdir(parents=True, exist_ok=True)
    processed = errors = 0
    try:
        with Heartbeat(_beat(job.pk)), filecrypt.plaintext_copy(source, plaintext_path(job)) as path:
            if workers is None:
                workers = worker_count(path.stat().st_size if path.exists() else 0)
            T.start_job(job, total=estimate_rows(path, job.file_format))
            processed, errors = _stage_all(job, path, report, workers)
            T.finish_job(job, processed=processed, errors=errors, report=str(report))
        if not errors:
            report.unlink(missing_ok=True)
        _drop_source(job)
    except TransitionRefused:
        job.refresh_from_db()  # declared dead meanwhile (and rolled back by someone else): nothing to do
    except ImportFailure as exc:
        rollback_job(job, str(exc))
    except crypto.CipherError:
        rollback_job(job, gettext_noop("导入文件无法解密（密钥已更换或文件被改动），请重新上传"))
    except Exception:
        log.exception("trainee import %s failed", job.pk)
        rollback_job(job, gettext_noop("导入出错，已撤销本次写入；请重新导入，仍出错请联系系统管理员（错误已记入日志）"))
        raise
    job.refresh_from_db()
    return {"status": job.status, "processed": processed, "inserted": job.inserted, "errors": errors}


def _drop_source(job: ImportJob) -> None:
    """After a successful import the raw file (encrypted) is no longer needed: delete it (data minimisation)."""
    if job.source and job.source.name:
        job.source.storage.delete(job.source.name)


def _stage_all(job: ImportJob, path: Path, report: Path, workers: int) -> tuple[int, int]:
    processed = errors = batches = seq = 0
    with open(report, "w", encoding="utf-8-sig", newline="") as fh:
        writer = SafeWriter(fh)
        writer.writerow(("行号", "字段", "错误说明"))
        checked: Iterator[tuple[int, list[R.Row], list[R.Error]]]
        if job.file_format == "csv" and workers >= 1:
            header, blocks = csv_blocks(path, BATCH)
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
        pending: list[tuple[int, list[Any]]] = []
        for n, good, errs in checked:
            processed += n
            errors += len({e[0] for e in errs})
            if errs:
                writer.writerows(errs)
            for row in good:
                seq += 1
                pending.append((seq, [_plain(v) for v in row]))
            if len(pending) >= BATCH or not good:
                T.record_progress(job, staged=pending, processed=processed, errors=errors)
                pending = []
                batches += 1
                if after_batch is not None:
                    after_batch(job, batches)
        if pending:
            T.record_progress(job, staged=pending, processed=processed, errors=errors)
    return processed, errors


def _staged_rows(job: ImportJob) -> Iterator[list[tuple[Any, ...]]]:
    """The job's staged rows in file order, in lists of BATCH."""
    last = 0
    while True:
        chunk = list(StagedTrainee.objects.filter(job=job, seq__gt=last).order_by("seq")
                     .values_list("seq", "row")[:BATCH])
        if not chunk:
            return
        last = chunk[-1][0]
        yield [tuple(row) for _, row in chunk]


def merge_staged(job: ImportJob) -> tuple[int, int]:
    """Insert (or, "更新已有记录", update) the staged rows; runs inside the finishing transaction.
    Returns (inserted, updated)."""
    sql = insert_sql()
    updated = 0
    for rows in _staged_rows(job):
        if job.update_existing:
            updated += _merge_update(job, sql, rows)
        else:
            insert_batch(sql, [(job.academy_id, job.pk, *row) for row in rows])
    # rowcount is what the driver says; the table is the truth
    return Trainee.objects.filter(import_job=job).count(), updated


def _merge_update(job: ImportJob, sql: str, rows: list[R.Row]) -> int:
    """"Update existing": insert new keys, overwrite changed fields of existing ones (first occurrence of a key
    wins, as in the default path). Returns how many existing rows changed."""
    first: dict[tuple[Any, ...], R.Row] = {}
    for row in rows:
        first.setdefault(tuple(row[i] for i in _KEY_IDX), row)
    existing = {}
    hashes = sorted({k[0] for k in first})
    for start in range(0, len(hashes), 900):
        for old in (Trainee.objects.filter(academy_id=job.academy_id, id_hash__in=hashes[start:start + 900])
                    .values("pk", *R.ROW_COLUMNS)):
            existing[tuple(_plain(old[c]) for c in KEY_COLUMNS)] = old
    new_rows: list[tuple[Any, ...]] = []
    changes: list[tuple[Any, ...]] = []
    for key, row in first.items():
        old = existing.get(key)
        if old is None:
            new_rows.append((job.academy_id, job.pk, *row))
            continue
        values = tuple(row[i] for i in _UPDATE_IDX)
        before = tuple(_plain(old[c]) for c in UPDATE_COLUMNS)
        if values != before:
            changes.append((*values, old["pk"]))
    if new_rows:
        insert_batch(sql, new_rows)
    if changes:
        with connection.cursor() as cursor:
            cursor.executemany(update_sql(), changes)
    return len(changes)
