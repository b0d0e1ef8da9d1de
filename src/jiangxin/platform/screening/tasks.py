"""Background task (django.tasks API): carry out one screening run."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def run_screening(run_id: int) -> dict[str, Any]:
    from jiangxin.platform.screening import transitions
    from jiangxin.platform.screening.models import ScreeningRun

    run = transitions.execute(ScreeningRun.objects.get(pk=run_id))
    return {"status": run.status, "total": run.total}
