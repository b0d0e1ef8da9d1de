"""Ledger transitions (资金台账状态流转), declared on the service functions in ``ledger.services``:

- ``ledger.yearly_run`` — the year's tranches/rewards, yellow cards, revocations (capped by ``ledger.caps``);
- ``ledger.find_fraud`` — a fraud finding on a tranche program: revocation, claw-back, reapplication bar;
- ``ledger.submit_claim`` / ``ledger.decide_claim`` — per-item subsidy claims;
- ``ledger.grant_per_head`` — Jiangsu per-head funding, refused above passing count × rate;
- ``ledger.reverse_entry`` — a correction;
- ``ledger.create_batch`` / ``ledger.approve_batch`` — disbursement batches for finance.

Every positive posting passes ``ledger.caps.check_posting`` (or ``check_many`` for the run's bulk rows).
"""

from __future__ import annotations

from jiangxin.platform.core.transitions import track
from jiangxin.platform.ledger import services  # noqa: F401  (its decorators register the transitions)
from jiangxin.platform.ledger.models import DisbursementBatch, LedgerEntry, SubsidyClaim

track(SubsidyClaim, "status")
track(DisbursementBatch, "status")
track(LedgerEntry, "batch")
