"""Academy actions on trainee import jobs (学员导入, 第十条): checking and storing the upload (encrypted),
creating the job, retrying a failed one and enqueueing the background task."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from jiangxin.platform.academy.errors import AcademyError
from jiangxin.platform.academy.models import ImportJob, ImportStatus
from jiangxin.platform.academy.selectors import require_academy
from jiangxin.platform.academy.transitions import action
from jiangxin.platform.audit.service import record
from jiangxin.platform.orgs.models import Organisation


@action("academy.start_import")
def start_import(user: Any, uploaded: Any, *, update_existing: bool = False) -> ImportJob:
    """Save the file, create the job and enqueue the background task (django.tasks).

    ``update_existing`` ("更新已有记录"): rows already in the database under the same key (ID number,
    session code, end date) take the file's corrected values instead of being skipped."""
    org = require_academy(user)
    name = str(getattr(uploaded, "name", "") or "")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ("csv", "xlsx"):
        raise AcademyError("只接受模板格式的 CSV 或 XLSX 文件")
    head = uploaded.read(8)
    uploaded.seek(0)
    if ext == "xlsx" and not head.startswith(b"PK\x03\x04"):
        raise AcademyError("文件内容不是 XLSX（可能被改名），请用模板另存")
    if ext == "xlsx":
        from jiangxin.platform.core.filecheck import FileRejected, check_zip_declared

        try:  # zip bombs and macros: sizes from the directory (zipfile enforces them while the job reads)
            check_zip_declared(uploaded.file, max_total=int(getattr(
                settings, "JIANGXIN_TRAINEE_IMPORT_MAX_UNPACKED_BYTES", 8 * 1024 * 1024 * 1024)))
        except FileRejected as exc:
            raise AcademyError(str(exc)) from None
    if ext == "csv" and head.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")):
        raise AcademyError("文件内容不是 CSV 文本，请用模板另存为 CSV（UTF-8）")
    limit = int(getattr(settings, "JIANGXIN_TRAINEE_IMPORT_MAX_BYTES", 512 * 1024 * 1024))
    if uploaded.size > limit:
        raise AcademyError(f"文件过大（上限 {limit // 1048576} MB），请分批导入")
    from jiangxin.platform.academy import importer

    importer.recover_stale_jobs(org.pk)
    with transaction.atomic():
        # one import per academy at a time: a rollback then never touches rows another job relies on
        Organisation.objects.select_for_update().filter(pk=org.pk).first()
        if ImportJob.objects.filter(academy=org, status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING)).exists():
            raise AcademyError("本学院已有导入正在进行，请等待其完成后再导入")
        job = ImportJob(academy=org, created_by=user, source_name=name[:200], file_format=ext,
                        update_existing=update_existing)
        _store_encrypted(job, name, uploaded)
        job.save()
        record("academy.import.start", job, actor=user,
               summary=f"上传学员文件：{name}" + ("（更新已有记录）" if update_existing else ""),
               after={"update_existing": update_existing})
    enqueue_import(job)
    job.refresh_from_db()
    return job


def _store_encrypted(job: ImportJob, name: str, uploaded: Any) -> None:
    """The raw file holds ID numbers: it is written encrypted (people.filecrypt), never in plain text."""
    from pathlib import Path

    from jiangxin.platform.people import filecrypt

    field = job.source
    stored = field.storage.get_available_name(field.field.generate_filename(job, f"{name}.enc"),
                                              max_length=field.field.max_length)
    filecrypt.encrypt_stream(uploaded, Path(field.storage.path(stored)))
    field.name = stored


def retry_import(user: Any, job: ImportJob, *, expect: str | None = None) -> ImportJob:
    """Queue a failed import again (重新导入) with its stored file; a stale job elsewhere never blocks it."""
    from jiangxin.platform.academy import importer
    from jiangxin.platform.academy import transitions as T

    require_academy(user)
    importer.recover_stale_jobs(job.academy_id)
    T.retry_job(job, actor=user, expect=expect)
    enqueue_import(job)
    job.refresh_from_db()
    return job


def enqueue_import(job: ImportJob) -> None:
    from jiangxin.platform.academy.jobs import import_trainees

    import_trainees.enqueue(job.pk)
