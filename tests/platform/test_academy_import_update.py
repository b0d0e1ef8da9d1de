"""Re-importing corrected trainee rows with "更新已有记录": rows under an existing key (ID number, session,
end date) take the corrected fields, new keys are added, nothing is duplicated, and a failed or abandoned
job puts every updated row back as it was (all or nothing per file)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from academy_helpers import csv_bytes, ids, row, upload

from jiangxin.platform.academy import importer, services
from jiangxin.platform.academy.models import ImportJob, ImportStatus, StagedTrainee, Trainee
from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.people.crypto import id_hash

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _snapshot() -> dict[str, tuple[Any, ...]]:
    return {t.id_hash: (t.name, t.major, t.level_after, t.migrant_worker, t.import_job_id)
            for t in Trainee.objects.all()}


def test_corrected_rows_update_the_existing_records_without_duplicates(users: dict[str, Any]) -> None:
    n = ids(4)
    first = services.start_import(users["unit"], upload("a.csv", csv_bytes([row(i) for i in n[:3]])))
    assert first.inserted == 3
    corrected = [row(n[0], name="张三丰"), row(n[1], after="技师", flags=("是", "否", "否")), row(n[2]), row(n[3])]
    job = services.start_import(users["unit"], upload("b.csv", csv_bytes(corrected)), update_existing=True)
    assert job.status == ImportStatus.SUCCEEDED
    assert (job.processed, job.inserted, job.updated, job.duplicates, job.errors) == (4, 1, 2, 1, 0)
    assert "更新 2" in job.message
    assert Trainee.objects.count() == 4
    t0, t1 = Trainee.objects.get(id_hash=id_hash(n[0])), Trainee.objects.get(id_hash=id_hash(n[1]))
    assert t0.name == "张三丰" and t0.import_job_id == first.pk  # an updated row stays with the job that added it
    assert (t1.level_after, t1.upgraded, t1.migrant_worker) == ("technician", True, True)
    assert Trainee.objects.get(id_hash=id_hash(n[3])).import_job_id == job.pk
    assert not StagedTrainee.objects.exists()
    assert AuditEvent.objects.get(action="academy.import.finish", object_id=str(job.pk)).after["updated"] == 2


def test_without_the_option_a_corrected_row_is_still_skipped(users: dict[str, Any]) -> None:
    n = ids(1)[0]
    services.start_import(users["unit"], upload("a.csv", csv_bytes([row(n)])))
    job = services.start_import(users["unit"], upload("b.csv", csv_bytes([row(n, name="李四")])))
    assert (job.inserted, job.updated, job.duplicates) == (0, 0, 1)
    assert Trainee.objects.get().name == "张三"


def test_a_failing_update_job_restores_every_updated_row_and_removes_its_new_rows(
        users: dict[str, Any], monkeypatch: Any) -> None:
    n = ids(30)
    services.start_import(users["unit"], upload("a.csv", csv_bytes([row(i) for i in n[:20]])))
    before = _snapshot()
    monkeypatch.setattr(importer, "BATCH", 10)

    def explode(job: ImportJob, batches: int) -> None:
        if batches == 3:
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(importer, "after_batch", explode)
    # batch 1 changes rows 0-9, batch 2 adds ten new ones, batch 3 changes rows 10-19 and then the job fails
    rows = [row(i, major="电工") for i in n[:10]] + [row(i) for i in n[20:30]] + [row(i, major="钳工") for i in n[10:20]]
    services.start_import(users["unit"], upload("b.csv", csv_bytes(rows)), update_existing=True)
    job = ImportJob.objects.latest("id")
    assert job.status == ImportStatus.FAILED and (job.inserted, job.updated) == (0, 0)
    assert _snapshot() == before
    event = AuditEvent.objects.get(action="academy.import.rollback", object_id=str(job.pk))
    assert event.after == {"removed": 30}  # staged rows dropped: none of them was ever visible
    assert not StagedTrainee.objects.exists()


class Killed(BaseException):
    """Stands for the process being killed: not an Exception, so the importer cannot clean up."""


def test_an_abandoned_update_job_is_restored_by_the_stale_job_recovery(users: dict[str, Any],
                                                                       monkeypatch: Any) -> None:
    from django.utils import timezone

    n = ids(2)
    services.start_import(users["unit"], upload("a.csv", csv_bytes([row(i) for i in n])))
    before = _snapshot()

    def killed(job: ImportJob, batches: int) -> None:
        raise Killed

    monkeypatch.setattr(importer, "BATCH", 1)
    monkeypatch.setattr(importer, "after_batch", killed)
    # the immediate task backend records the task as failed; the importer itself never got to clean up
    services.start_import(users["unit"], upload("b.csv", csv_bytes([row(n[0], name="王五"), row(ids(3)[2])])),
                          update_existing=True)
    job = ImportJob.objects.latest("id")
    # nothing of the abandoned job is visible, even before it is found to be dead
    assert job.status == ImportStatus.RUNNING and _snapshot() == before
    assert StagedTrainee.objects.filter(job=job).exists()
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    assert importer.recover_stale_jobs() == 1
    assert _snapshot() == before and not StagedTrainee.objects.exists()


def test_the_import_page_offers_the_update_option(users: dict[str, Any], client_for: Any) -> None:
    n = ids(1)[0]
    client = client_for(users["unit"])
    assert "更新已有记录" in client.get("/academy/trainees/").content.decode()
    client.post("/academy/trainees/import/", {"file": upload("a.csv", csv_bytes([row(n)]))})
    r = client.post("/academy/trainees/import/", {"file": upload("b.csv", csv_bytes([row(n, name="赵六")])),
                                                   "update_existing": "on"})
    job = ImportJob.objects.latest("id")
    assert r.status_code == 302 and job.update_existing and job.updated == 1
    assert Trainee.objects.get().name == "赵六"
    page = client.get(f"/academy/trainees/imports/{job.pk}/").content.decode()
    assert 'id="job-updated"' in page
