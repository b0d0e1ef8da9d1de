"""Ledger transitions (资金台账状态流转), declared on the service functions in ``ledger.actions``:

- ``ledger.yearly_run`` — the year's tranches/rewards, yellow cards, revocations (capped by ``ledger.caps``);
- ``ledger.find_fraud`` — a fraud finding on a tranche program: revocation, claw-back, reapplication bar;
- ``ledger.submit_claim`` / ``ledger.decide_claim`` — per-item subsidy claims;
- ``ledger.grant_per_head`` — Jiangsu per-head funding, refused above passing count × rate;
- ``ledger.reverse_entry`` — a correction;
- ``ledger.create_batch`` / ``ledger.approve_batch`` — disbursement batches for finance.

Every positive posting passes ``ledger.caps.check_posting`` (or ``check_many`` for the run's bulk rows).

The yearly-run job itself (年度运行任务): queued → running (the worker starts) → running (progress, published
outside the database) → done | failed (the run's single transaction rolled back; also a job whose worker died) →
queued again (retry by the office).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record
from jiangxin.platform.core.transitions import SYSTEM, TransitionRefused, track, transition
from jiangxin.platform.ledger import progress as live
from jiangxin.platform.ledger.actions import (  # noqa: F401  (their decorators register the transitions)
    batches,
    claims,
    entries,
    sanctions,
    yearly_run,
)
from jiangxin.platform.ledger.models import DisbursementBatch, LedgerEntry, RunJob, SubsidyClaim

track(RunJob, "status")
track(SubsidyClaim, "status")
track(DisbursementBatch, "status")
track(LedgerEntry, "batch")

RECORD = "ledger.RunJob"
S = RunJob.Status
WHY = "年度运行在一个事务内完成，全部写入或全部不写入（等保2.0 数据完整性）"


@transition("ledger.run_start", title=_("开始年度运行"), record=RECORD, sources=(S.QUEUED,), target=S.RUNNING,
            roles=(SYSTEM,), citation=WHY, audit=False)
def start_run(job: RunJob, *, actor: Any = None) -> None:
    RunJob.objects.filter(pk=job.pk).update(status=S.RUNNING, error="", finished_at=None)
    job.status = S.RUNNING
    live.write("run", job.pk, phase="compute", done=0, total=0)


@transition("ledger.run_progress", title=_("年度运行进度"), record=RECORD, sources=(S.RUNNING,), target=S.RUNNING,
            roles=(SYSTEM, Role.OFFICE), citation=WHY, audit=False)
def record_progress(job: RunJob, *, actor: Any = None, phase: str, done: int, total: int) -> None:
    """Published outside the database (the run's transaction is still open), with the heartbeat."""
    live.write("run", job.pk, phase=phase, done=done, total=total)
    live.beat("run", job.pk)


@transition("ledger.run_finish", title=_("完成年度运行"), record=RECORD, sources=(S.RUNNING,), target=S.DONE,
            roles=(SYSTEM, Role.OFFICE), citation=WHY, audit=False)
def finish_run(job: RunJob, *, actor: Any = None, report: dict[str, Any], designations: int) -> None:
    RunJob.objects.filter(pk=job.pk).update(status=S.DONE, report=report, done=designations, total=designations,
                                            finished_at=timezone.now())
    job.status = S.DONE
    live.clear("run", job.pk)


@transition("ledger.run_fail", title=_("年度运行失败"), record=RECORD, sources=(S.QUEUED, S.RUNNING), target=S.FAILED,
            roles=(SYSTEM, Role.OFFICE), citation=WHY, audit=False)
def fail_run(job: RunJob, *, actor: Any = None, error: str) -> None:
    RunJob.objects.filter(pk=job.pk).update(status=S.FAILED, error=error[:2000], finished_at=timezone.now())
    job.status = S.FAILED
    live.clear("run", job.pk)
    record("ledger.run.fail", job, summary=f"年度运行失败（已回滚，未写入任何数据）：{error}"[:300],
           after={"error": error[:500]})


@transition("ledger.run_retry", title=_("重新运行"), record=RECORD, sources=(S.FAILED,), target=S.QUEUED,
            roles=(Role.OFFICE,), citation=WHY)
def retry_run(job: RunJob, *, actor: Any) -> None:
    owner = getattr(job.created_by, "organisation_id", None)
    if owner is not None and owner != getattr(actor, "organisation_id", None):
        raise TransitionRefused(str(_("只能重新运行本单位发起的年度运行。")))
    RunJob.objects.filter(pk=job.pk).update(status=S.QUEUED, error="", finished_at=None, done=0, total=0)
    job.status = S.QUEUED
