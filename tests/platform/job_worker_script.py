"""Driven by test_jobs_worker_killed.py in separate processes against one SQLite file (not a pytest module).

python job_worker_script.py setup|worker|check|retry|work   (environment: DATABASE_URL, JIANGXIN_VAR_DIR, ...)
Prints one JSON line."""

from __future__ import annotations

import io
import json
import os
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiangxin.platform.settings")
django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from jiangxin.platform.academy import importer, services  # noqa: E402
from jiangxin.platform.academy.models import ImportJob, StagedTrainee, Trainee  # noqa: E402
from jiangxin.platform.accounts.models import User  # noqa: E402
from jiangxin.platform.accounts.roles import Role  # noqa: E402
from jiangxin.platform.orgs.models import Category, Jurisdiction, Level, Organisation  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from academy_helpers import csv_bytes, ids, row  # noqa: E402

ROWS = int(os.environ.get("KILL_TEST_ROWS", "60"))


def _user() -> User:
    return User.objects.get(username="kill_test_unit")


def setup() -> dict[str, object]:
    nc = Organisation.objects.create(name="南昌市总工会", level=Level.AUTHORITY, category=Category.UNION,
                                     jurisdiction=Jurisdiction.NANCHANG)
    unit = Organisation.objects.create(name="东湖精工有限公司", level=Level.MEMBER, category=Category.ENTERPRISE,
                                       jurisdiction=Jurisdiction.NANCHANG, parent=nc)
    user = User(username="kill_test_unit", role=Role.UNIT, organisation=unit, must_change_password=False)
    user.set_password("Kill-Test-Pass-42")
    user.save()
    data = csv_bytes([row(n) for n in ids(ROWS, seed=3)])
    job = services.start_import(user, SimpleUploadedFile("学员.csv", data, content_type="text/csv"))
    return {"job": job.pk, "status": job.status}


def worker() -> dict[str, object]:
    """The real django-tasks-db worker; after the first staged batch it announces itself and hangs (to be killed)."""
    marker = Path(os.environ["KILL_TEST_MARKER"])

    def hang(job: ImportJob, batches: int) -> None:
        if batches == 1:
            marker.write_text(str(os.getpid()))
            while True:
                time.sleep(0.2)  # the heartbeat thread keeps beating until the process is killed

    importer.BATCH = 10
    importer.after_batch = hang
    call_command("db_worker", batch=True, reload=False, startup_delay=False, stdout=io.StringIO())
    return {"finished": True}


def _client() -> Client:
    client = Client()
    client.force_login(_user())
    return client


def check() -> dict[str, object]:
    job = ImportJob.objects.latest("id")
    page = _client().get(f"/academy/trainees/imports/{job.pk}/").content.decode()
    job.refresh_from_db()
    return {"status": job.status, "trainees": Trainee.objects.count(), "staged": StagedTrainee.objects.count(),
            "retry_button": 'id="job-retry"' in page, "message": job.message,
            "plain_copies": len(list(importer.workdir().glob("*"))) if importer.workdir().exists() else 0}


def retry() -> dict[str, object]:
    job = ImportJob.objects.latest("id")
    response = _client().post(f"/academy/trainees/imports/{job.pk}/retry/", {"expect": "failed"})
    job.refresh_from_db()
    return {"code": response.status_code, "status": job.status}


def work() -> dict[str, object]:
    call_command("db_worker", batch=True, reload=False, startup_delay=False, stdout=io.StringIO())
    job = ImportJob.objects.latest("id")
    return {"status": job.status, "inserted": job.inserted, "trainees": Trainee.objects.count(),
            "staged": StagedTrainee.objects.count()}


if __name__ == "__main__":
    print(json.dumps({"setup": setup, "worker": worker, "check": check, "retry": retry, "work": work}[sys.argv[1]]()))
