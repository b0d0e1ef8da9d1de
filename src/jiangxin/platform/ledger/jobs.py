"""Background tasks (django.tasks API): the task takes only the job id and reads everything else from it."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def run_yearly(job_id: int) -> dict[str, Any]:
    from jiangxin.platform.ledger.actions.jobs import execute_job

    return execute_job(job_id)
