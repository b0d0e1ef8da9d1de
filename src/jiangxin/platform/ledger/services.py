"""The ledger app's public surface: budgets, the yearly run (preview, apply, as a background job), sanctions and
claw-back, per-item subsidy claims, per-head funding and disbursement batches; every change in one
``transaction.atomic()`` with its audit record.

Money comes only from the policy core: tranches from the tranche machine (``engine``), per-item subsidies,
rewards and per-head money from the program computations. The platform stores their Outcome JSON.

This module only re-exports; the code lives in

- ``ledger.base``: ``LedgerError``, ``ClaimFactsError``, the constants (``ZERO``, ``OFFICE_ROLES``,
  ``RUN_STATUSES``), the role checks and the internals both sides share (``_entry``, ``_history``);
- ``ledger.selectors``: reading (entries, balance, invariants, budget use, batches, job progress, what the
  claim pages show);
- ``ledger.run_compute``: the yearly run computed without writing (``compute_run``, ``RunReport``, ``what_if``);
- ``ledger.actions.entries``: the correction of an entry;
- ``ledger.actions.budgets``: a program's yearly budget;
- ``ledger.actions.sanctions``: machine events into entries, sanctions and status changes; fraud findings,
  revocation records and claw-back;
- ``ledger.actions.yearly_run``: the yearly run applied (with its bulk commit path);
- ``ledger.actions.claims``: per-item subsidy claims and Jiangsu's per-head funding;
- ``ledger.actions.batches``: disbursement batches;
- ``ledger.actions.jobs``: the yearly run as a background job (queue, task body, stale jobs, retry).

The ``@transition`` declarations register when ``ledger.transitions`` imports the actions modules.
"""

from __future__ import annotations

from jiangxin.platform.ledger.actions.batches import approve_batch, create_batch
from jiangxin.platform.ledger.actions.budgets import set_budget
from jiangxin.platform.ledger.actions.claims import decide_claim, grant_per_head, preview_claim, submit_claim
from jiangxin.platform.ledger.actions.entries import reverse_entry
from jiangxin.platform.ledger.actions.jobs import (
    QUEUED_STALE,
    recover_stale_runs,
    retry_run,
    start_run_job,
)
from jiangxin.platform.ledger.actions.sanctions import (
    _sanction,
    claw_back_all,
    find_fraud,
    fraud_finding,
    record_revocation,
)
from jiangxin.platform.ledger.actions.yearly_run import ACTED_ON, PROGRESS_EVERY, _fast_entries, yearly_run
from jiangxin.platform.ledger.base import (
    OFFICE_ROLES,
    RUN_STATUSES,
    ZERO,
    ClaimFactsError,
    LedgerError,
    _entry,
)
from jiangxin.platform.ledger.jobs import execute_job
from jiangxin.platform.ledger.run_compute import RunReport, _results, compute_run, what_if
from jiangxin.platform.ledger.selectors import (
    LIVE_CLAIM_STATUSES,
    PHASES,
    award_quotas,
    balance,
    batches_for,
    budget_warning,
    check_invariants,
    claim_as_of,
    claim_prefill,
    claimable,
    committed,
    course_already_granted,
    entries_for,
    job_progress,
    paid_by_kind,
    platform_facts,
    program_bans_on_fraud,
    programs_of,
    same_item_claims,
)

__all__ = [
    "ACTED_ON", "LIVE_CLAIM_STATUSES", "OFFICE_ROLES", "PHASES", "PROGRESS_EVERY", "QUEUED_STALE", "RUN_STATUSES",
    "ZERO", "ClaimFactsError", "LedgerError", "RunReport", "_entry", "_fast_entries", "_results", "_sanction",
    "approve_batch", "award_quotas", "balance", "batches_for", "budget_warning", "check_invariants", "claim_as_of",
    "claim_prefill", "claimable", "claw_back_all", "committed", "compute_run", "course_already_granted",
    "create_batch", "decide_claim", "entries_for", "execute_job", "find_fraud", "fraud_finding", "grant_per_head",
    "job_progress", "paid_by_kind", "platform_facts", "preview_claim", "program_bans_on_fraud", "programs_of",
    "record_revocation", "recover_stale_runs", "retry_run", "reverse_entry", "same_item_claims", "set_budget",
    "start_run_job", "submit_claim", "what_if", "yearly_run",
]
