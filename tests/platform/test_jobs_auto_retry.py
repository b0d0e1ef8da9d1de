"""A trainee import whose worker died is taken up again automatically — once — so that another worker (on any
machine) finishes it: nothing of the dead attempt remains, every row arrives exactly once; a second death leaves the
job failed with the retry button for the academy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from academy_helpers import csv_bytes, ids, row, upload
from django.utils import timezone

from jiangxin.platform.academy import importer
from jiangxin.platform.academy import services as academy
from jiangxin.platform.academy.actions import imports as import_actions
from jiangxin.platform.academy.models import ImportJob, ImportStatus, Trainee
from jiangxin.platform.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(users: dict[str, Any], settings: Any, tmp_path: Any) -> Any:
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return users["unit"]


def _died(job: ImportJob) -> None:
    """As a SIGKILLed worker leaves it: running, no heartbeat for two minutes."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING,
                                               heartbeat_at=timezone.now() - dt.timedelta(minutes=2))


def _queued(unit: Any, rows: int, monkeypatch: pytest.MonkeyPatch) -> ImportJob:
    """An import handed to a worker (queued, its encrypted file stored) that no worker has finished."""
    with monkeypatch.context() as m:
        m.setattr(import_actions, "enqueue_import", lambda job: None)  # where start_import looks it up
        job = academy.start_import(unit, upload("a.csv", csv_bytes([row(n) for n in ids(rows)])))
    assert job.status == ImportStatus.QUEUED and job.source
    return job


def test_a_job_whose_worker_died_is_queued_again_and_finishes_on_another_worker(
        unit: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any) -> None:
    job = _queued(unit, 5, monkeypatch)
    ImportJob.objects.filter(pk=job.pk).update(attempts=1)  # a worker started it, then was killed
    _died(job)
    with django_capture_on_commit_callbacks(execute=True):  # the enqueue happens once the rollback is committed
        assert importer.recover_stale_jobs(job.academy_id) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, Trainee.objects.count()) == (ImportStatus.SUCCEEDED, 2, 5)
    assert AuditEvent.objects.filter(action="academy.import.auto_retry", object_id=str(job.pk)).count() == 1


def test_a_second_death_leaves_the_job_failed_for_the_academy_to_retry(
        unit: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any) -> None:
    job = _queued(unit, 3, monkeypatch)
    ImportJob.objects.filter(pk=job.pk).update(attempts=2)
    _died(job)
    with django_capture_on_commit_callbacks(execute=True):
        importer.recover_stale_jobs(job.academy_id)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "中断" in job.message
    assert not AuditEvent.objects.filter(action="academy.import.auto_retry").exists()
