"""Background tasks (django.tasks API): the task takes only the job id and reads everything else from it.

The task's body lives here with the task, so the actions that queue it (``ledger.actions.jobs``) import this module
and this module never imports them back."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.ledger import progress as live
from jiangxin.platform.ledger.actions.yearly_run import yearly_run
from jiangxin.platform.ledger.models import RunJob


@task()
def run_yearly(job_id: int) -> dict[str, Any]:
    return execute_job(job_id)


def execute_job(job_id: int) -> dict[str, Any]:
    """The task body: run, then write the final state to the job's row (live progress went to a file). A
    heartbeat file is touched every few seconds meanwhile; a job whose beats stop is failed by
    :func:`recover_stale_runs` (its transaction died with the worker: nothing was written)."""
    from jiangxin.platform.core.heartbeat import Heartbeat
    from jiangxin.platform.ledger import transitions as run_transitions

    job = RunJob.objects.get(pk=job_id)
    try:
        run_transitions.start_run(job)
    except TransitionRefused:
        return {"status": job.status}
    try:
        with Heartbeat(lambda: live.beat("run", job.pk)):
            report = yearly_run(job.program, job.year, actor=job.created_by, commit=job.commit, job=job)
    except Exception as exc:  # the transaction rolled back; keep the error for the page
        try:
            run_transitions.fail_run(job, error=str(exc))
        except TransitionRefused:  # already failed by the stale-job check
            pass
        return {"error": str(exc)}
    run_transitions.finish_run(job, report=report.to_dict(limit=2000), designations=report.designations)
    return {"applied": report.applied}
