"""Background tasks (django.tasks API). The default backend runs them at once (ImmediateBackend); a worker
backend runs the same function later — the task takes only the job id and reads everything else from it."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def import_trainees(job_id: int) -> dict[str, Any]:
    from jiangxin.platform.academy import importer

    return importer.run(job_id)
