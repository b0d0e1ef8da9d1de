"""Jobs that cannot hang: a yearly run or trainee import whose worker stopped beating is shown as failed (nothing
written) on its page within the stale limit, with a retry that runs it; the recover_jobs command does the same."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from typing import Any

import pytest
from academy_helpers import csv_bytes, ids, row, upload
from django.core.management import call_command
from django.utils import timezone

from jiangxin.platform.academy.models import ImportJob, ImportStatus, Trainee
from jiangxin.platform.core.transitions import REGISTRY, SYSTEM
from jiangxin.platform.designations import services as desig
from jiangxin.platform.ledger import progress, run_compute
from jiangxin.platform.ledger.models import LedgerEntry, RunJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(users: dict[str, Any], org_tree: dict[str, Any], monkeypatch: pytest.MonkeyPatch, settings: Any,
          tmp_path: Any) -> list[Any]:
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JIANGXIN_JOB_AUTO_RETRIES = 0  # these follow jobs whose automatic retry is used up
    monkeypatch.setattr(run_compute, "_results", lambda program, year: {})
    return [desig.designate(program="nanchang_academy", name=f"{org_tree[o].name}工匠学院", on=dt.date(2024, 6, 1),
                            actor=users["office"], holder_org=org_tree[o]) for o in ("unit_a", "unit_b")]


def _dead_run(office: Any, seconds_ago: int = 120) -> RunJob:
    job = RunJob.objects.create(program="nanchang_academy", year=2024, commit=True, status=RunJob.Status.RUNNING,
                                created_by=office)
    progress.write("run", job.pk, phase="commit", done=1, total=2)
    progress.beat("run", job.pk)
    old = time.time() - seconds_ago
    for name in (f"run-{job.pk}.json", f"run-{job.pk}.beat"):
        os.utime(progress._path("run", job.pk).with_name(name), (old, old))
    return job


def test_a_dead_yearly_run_shows_failed_with_a_retry_that_runs_it(named: list[Any], users: dict[str, Any],
                                                                   client_for: Any) -> None:
    client = client_for(users["office"])
    job = _dead_run(users["office"])
    page = client.get(f"/ledger/jobs/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and "运行进程中断" in job.error and 'id="job-retry"' in page
    assert LedgerEntry.objects.count() == 0
    client.post(f"/ledger/jobs/{job.pk}/retry/", {"expect": "failed"})
    job.refresh_from_db()
    assert job.status == "done" and LedgerEntry.objects.count() == 2


def test_a_beating_run_is_left_alone(named: list[Any], users: dict[str, Any], client_for: Any) -> None:
    job = _dead_run(users["office"], seconds_ago=0)
    client_for(users["office"]).get(f"/ledger/jobs/{job.pk}/")
    job.refresh_from_db()
    assert job.status == "running"


def test_a_stale_import_never_blocks_the_next_one(named: list[Any], users: dict[str, Any], client_for: Any) -> None:
    from jiangxin.platform.academy import services as academy

    first = academy.start_import(users["unit"], upload("a.csv", csv_bytes([row(n) for n in ids(3)])))
    ImportJob.objects.filter(pk=first.pk).update(status=ImportStatus.RUNNING,
                                                 heartbeat_at=timezone.now() - dt.timedelta(minutes=2))
    second = academy.start_import(users["unit"], upload("b.csv", csv_bytes([row(n) for n in ids(4, seed=9)])))
    assert second.status == ImportStatus.SUCCEEDED and Trainee.objects.count() == 4
    first.refresh_from_db()
    assert first.status == ImportStatus.FAILED and "中断" in first.message


def test_recover_jobs_command(named: list[Any], users: dict[str, Any]) -> None:
    job = _dead_run(users["office"])
    out = io.StringIO()
    call_command("recover_jobs", stdout=out)
    job.refresh_from_db()
    assert job.status == "failed" and "年度运行 1 个" in out.getvalue()


def test_job_state_changes_are_registered_transitions() -> None:
    for key in ("academy.import_start", "academy.import_progress", "academy.import_finish", "academy.import_fail",
                "academy.import_retry", "ledger.run_start", "ledger.run_progress", "ledger.run_finish",
                "ledger.run_fail", "ledger.run_retry"):
        declared = REGISTRY[key]
        assert declared.record in ("academy.ImportJob", "ledger.RunJob")
        assert SYSTEM in declared.roles or key.endswith("retry")
