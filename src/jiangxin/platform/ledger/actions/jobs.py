"""The yearly run as a background job (年度运行任务): queueing it (the task ``ledger.jobs.run_yearly``, which
holds the task's body), failing the jobs whose worker died, and the office's retry. The job row's states are the
transitions of ``ledger.transitions``, imported inside the functions (``transitions`` imports the actions modules).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.ledger import progress as live
from jiangxin.platform.ledger.base import _require_office
from jiangxin.platform.ledger.jobs import run_yearly
from jiangxin.platform.ledger.models import RunJob, YearApplied


def start_run_job(program: str, year: int, *, actor: Any, commit: bool) -> RunJob:
    """Queue the yearly run through django.tasks; the page polls the job."""
    _require_office(actor)
    job = RunJob.objects.create(program=program, year=year, commit=commit,
                                created_by=actor if getattr(actor, "pk", None) else None)
    run_yearly.enqueue(job.pk)
    job.refresh_from_db()
    return job


#: a queued job not picked up after this long is failed (a running one: settings.JIANGXIN_JOB_STALE_SECONDS)
QUEUED_STALE = dt.timedelta(minutes=10)


def recover_stale_runs() -> int:
    """Fail the runs whose worker died (their single transaction was rolled back by the database); a run that
    had committed before dying is marked done. Returns how many jobs were ended."""
    from jiangxin.platform.ledger import transitions as run_transitions

    now = timezone.now()
    ended = 0
    for job in RunJob.objects.filter(status__in=(RunJob.Status.RUNNING, RunJob.Status.QUEUED)):
        if job.status == RunJob.Status.QUEUED:
            if job.created_at >= now - QUEUED_STALE:
                continue
            error = "运行任务排队超时未执行，已取消，可重新运行。"
        else:
            last = live.last_beat("run", job.pk)
            seen = dt.datetime.fromtimestamp(last, tz=dt.UTC) if last is not None else job.created_at
            if seen >= now - dt.timedelta(seconds=float(getattr(settings, "JIANGXIN_JOB_STALE_SECONDS", 30))):
                continue
            error = "运行进程中断（超时无响应），数据库事务已回滚，未写入任何数据，可重新运行。"
        try:
            if job.status == RunJob.Status.RUNNING and YearApplied.objects.filter(job_id=job.pk).exists():
                run_transitions.finish_run(job, report={"applied": True, "recovered": True}, designations=0)
            else:
                run_transitions.fail_run(job, error=error)
            ended += 1
        except TransitionRefused:
            continue
    return ended


def retry_run(job: RunJob, *, actor: Any, expect: str | None = None) -> RunJob:
    """Queue a failed run again (重新运行)."""
    _require_office(actor)
    from jiangxin.platform.ledger import transitions as run_transitions

    run_transitions.retry_run(job, actor=actor, expect=expect)
    run_yearly.enqueue(job.pk)
    job.refresh_from_db()
    return job
