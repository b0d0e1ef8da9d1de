"""The yearly run as a background job: live progress the page sees while the commit is still open, and a real
worker (django-tasks' database backend) running the queued run and the trainee import."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.management import call_command

from jiangxin.platform.designations import services as desig
from jiangxin.platform.ledger import progress, run_compute, services
from jiangxin.platform.ledger.models import LedgerEntry, RunJob, YearApplied

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def named(users: dict[str, Any], org_tree: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
          settings: Any, tmp_path: Any) -> list[Any]:
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(run_compute, "_results", lambda program, year: {})
    return [desig.designate(program="nanchang_academy", name=f"{org_tree[o].name}工匠学院", on=dt.date(2024, 6, 1),
                            actor=users["office"], holder_org=org_tree[o]) for o in ("unit_a", "unit_b")]


def work(monkeypatch: pytest.MonkeyPatch) -> None:
    """One pass of the real worker over every queued task. A worker process owns its connections and closes
    stale ones between tasks; here it shares the test's connection (inside the test transaction), so keep it."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", batch=True, reload=False, startup_delay=False, stdout=io.StringIO(),
                 stderr=io.StringIO())


def _percent(html: str) -> int:
    found = re.search(r'id="job-percent">(\d+)%', html)
    assert found, html
    return int(found.group(1))


def test_progress_moves_on_the_polling_page_while_the_commit_is_open(
        named: list[Any], users: dict[str, Any], client_for: Any) -> None:
    office = users["office"]
    c = client_for(office)
    job = RunJob.objects.create(program="nanchang_academy", year=2024, commit=True, status=RunJob.Status.RUNNING,
                                created_by=office)
    seen: list[tuple[str, int, int, int]] = []

    def hook(phase: str, done: int, total: int) -> None:
        html = c.get(f"/ledger/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
        row = RunJob.objects.get(pk=job.pk)
        assert row.done == 0  # nothing comes from the row while the run is going
        seen.append((phase, done, _percent(html), int("写入中" in html)))

    services.yearly_run("nanchang_academy", 2024, actor=office, commit=True, job=job, progress=hook,
                        on=dt.date(2024, 12, 20))
    phases = [s[0] for s in seen]
    assert phases[0] == "compute" and phases[-1] == "commit" and "commit" in phases
    percents = [s[2] for s in seen]
    assert percents == sorted(percents) and percents[-1] == 99 and any(20 <= p < 99 for p in percents)
    assert all(s[3] for s in seen if s[0] == "commit")
    assert LedgerEntry.objects.count() == 2


def test_progress_file_is_gone_and_the_row_holds_the_result_when_the_job_ends(
        named: list[Any], users: dict[str, Any], client_for: Any) -> None:
    c = client_for(users["office"])
    c.post("/ledger/", {"run-program": "nanchang_academy", "run-year": "2024", "commit": "1"})
    job = RunJob.objects.get()
    assert job.status == "done" and job.percent == 100 and progress.read("run", job.pk) is None
    assert _percent(c.get(f"/ledger/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()) == 100


def test_database_backend_queues_the_run_and_the_worker_commits_it(
        named: list[Any], users: dict[str, Any], client_for: Any, settings: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    settings.TASKS = DB_TASKS
    from django_tasks_db.models import DBTaskResult

    c = client_for(users["office"])
    c.post("/ledger/", {"run-program": "nanchang_academy", "run-year": "2024", "commit": "1"})
    job = RunJob.objects.get()
    assert job.status == "queued" and LedgerEntry.objects.count() == 0
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    page = c.get(f"/ledger/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" in page  # the page keeps polling
    work(monkeypatch)
    job.refresh_from_db()
    assert job.status == "done" and job.report["applied"] is True
    assert LedgerEntry.objects.count() == 2 and YearApplied.objects.count() == 2
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    # a second run of the same year through the worker changes nothing
    c.post("/ledger/", {"run-program": "nanchang_academy", "run-year": "2024", "commit": "1"})
    work(monkeypatch)
    again = RunJob.objects.order_by("-pk").first()
    assert again is not None and again.status == "done" and again.report["counts"] == {"skipped_already_applied": 2}
    assert LedgerEntry.objects.count() == 2


def test_database_backend_queues_the_trainee_import_and_the_worker_runs_it(
        users: dict[str, Any], settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from academy_helpers import csv_bytes, ids, row, upload

    from jiangxin.platform.academy import services as academy
    from jiangxin.platform.academy.models import ImportStatus, Trainee

    settings.TASKS = DB_TASKS
    settings.MEDIA_ROOT = tmp_path / "media"
    job = academy.start_import(users["unit"], upload("学员.csv", csv_bytes([row(i) for i in ids(3)])))
    assert job.status == ImportStatus.QUEUED and not Trainee.objects.exists()
    work(monkeypatch)
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED and job.inserted == 3 and Trainee.objects.count() == 3
