"""Ledger services: every change in one ``transaction.atomic()`` with its audit record.

Money comes only from the policy core: tranches from the tranche machine (``engine``), per-item subsidies,
rewards and per-head money from the program computations. The platform stores their Outcome JSON.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.core.bulk import insert as insert_rows
from jiangxin.platform.core.transitions import SYSTEM, TransitionRefused, transition
from jiangxin.platform.ledger import caps, engine
from jiangxin.platform.ledger import progress as live
from jiangxin.platform.ledger import transitions as run_transitions
from jiangxin.platform.ledger.models import (
    BatchStatus,
    Budget,
    ClaimStatus,
    DisbursementBatch,
    EntryKind,
    LedgerEntry,
    RunJob,
    Sanction,
    SanctionKind,
    SubsidyClaim,
    YearApplied,
)
from jiangxin.platform.orgs.scope import scope
from jiangxin.policy import funding as f
from jiangxin.policy.errors import FactsError, PolicyError
from jiangxin.policy.outcome import Citation
from jiangxin.policy.registry import get_computation

ZERO = Decimal("0.00")
OFFICE_ROLES = frozenset({Role.OFFICE})
#: designation statuses the yearly run looks at (a completed cycle is still assessed: I-FUND post-cycle rule)
RUN_STATUSES = ("active", "yellow_card", "cycle_complete")


class LedgerError(TransitionRefused):
    """A refused ledger action, with a Chinese message for the user (a refused transition: nothing written)."""


def _designation_model() -> Any:
    from jiangxin.platform.designations.models import Designation

    return Designation


def _require(actor: Any, roles: frozenset[str], message: str) -> None:
    if actor is None:
        return  # the system (management command, benchmark)
    if getattr(actor, "role", "") not in roles:
        raise PermissionDenied(message)


def _require_office(actor: Any, designation: Any = None) -> None:
    _require(actor, OFFICE_ROLES, "只有主管部门工作人员可以办理。")
    if actor is not None and designation is not None and not scope(
            _designation_model().objects.filter(pk=designation.pk), actor, org_field="scope_org").exists():
        raise PermissionDenied("该命名不在您的管辖范围内。")


# ------------------------------------------------------------------------------------------------ reading


def entries_for(user: Any) -> QuerySet[LedgerEntry]:
    """Entries the user may see (scoped by the designation's organisation)."""
    qs = LedgerEntry.objects.select_related("designation", "batch")
    if getattr(user, "role", "") in (Role.UNIT, Role.TRAINING_UNIT):
        return scope(qs, user, org_field="designation__holder_org")
    return scope(qs, user, org_field="designation__scope_org")


def balance(designation: Any) -> Decimal:
    """Net money of a designation = the sum of its entries."""
    return LedgerEntry.objects.filter(designation=designation).balance()


def paid_by_kind(designation: Any) -> dict[str, Decimal]:
    rows = LedgerEntry.objects.filter(designation=designation).values("kind").annotate(s=Sum("amount"))
    return {r["kind"]: Decimal(r["s"]) for r in rows}


def check_invariants(designation: Any) -> list[str]:
    """Problems with a designation's ledger (empty when sound): tranches never above the plan's total,
    nothing after a revocation, balance = sum of entries."""
    problems: list[str] = []
    entries = list(LedgerEntry.objects.filter(designation=designation).order_by("year", "id"))
    if designation.program in engine.TRANCHE_PROGRAMS:
        planner = engine.Planner(designation.program, engine.program_parameters(designation.program))
        plan = planner.plan(designation.year)
        tranches = sum((e.amount for e in entries if e.kind == EntryKind.TRANCHE), ZERO)
        if tranches > plan.total:
            problems.append(f"tranches {tranches} exceed the total {plan.total}")
    revoked = [s.year for s in Sanction.objects.filter(designation=designation, kind=SanctionKind.REVOCATION)]
    if revoked:
        after = [e for e in entries if e.year > min(revoked) and e.amount > 0]
        if after:
            problems.append(f"{len(after)} payments after the revocation in {min(revoked)}")
    if sum((e.amount for e in entries), ZERO) != balance(designation):
        problems.append("balance differs from the sum of entries")
    return problems


# ------------------------------------------------------------------------------------------------ entries


def _entry(designation: Any, *, year: int, kind: str, amount: Decimal, citation: str, reason: str,
           outcome: dict[str, Any], actor: Any, payee: str = "", claim: Any = None,
           reverses: Any = None) -> LedgerEntry:
    return LedgerEntry(designation=designation, program=designation.program, year=year, kind=kind,
                       amount=amount, citation=citation[:200], reason=reason[:300], outcome=outcome,
                       payee=(payee or str(getattr(designation, "holder_label", "")))[:200], claim=claim, reverses=reverses,
                       created_by=actor if getattr(actor, "pk", None) else None)


@transition("ledger.reverse_entry", title=_("冲正分录"), record="ledger.LedgerEntry", field="kind",
            target=EntryKind.REVERSAL, roles=(Role.OFFICE, SYSTEM), guard="原分录为未冲正的付款分录",
            citation="资金台账只增不改（冲正须写明理由）", audit=False)
def reverse_entry(entry: LedgerEntry, *, actor: Any, reason: str) -> LedgerEntry:
    """A correction: a new entry with the opposite amount that points at the one it reverses."""
    _require_office(actor, entry.designation)
    if not reason.strip():
        raise LedgerError(gettext("须写明冲正理由。"))
    if entry.amount <= 0:
        raise LedgerError(gettext("只能冲正付款分录。"))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise LedgerError(gettext("该分录已冲正。"))
    with transaction.atomic():
        rev = _entry(entry.designation, year=entry.year, kind=EntryKind.REVERSAL, amount=-entry.amount,
                     citation=entry.citation, reason=f"冲正：{reason}", outcome={"reverses": entry.pk,
                                                                          "original": entry.outcome},
                     actor=actor, payee=entry.payee, reverses=entry)
        rev.save()
        record("ledger.reverse", rev, actor=actor, summary=f"冲正分录 #{entry.pk}：{reason}", after=snapshot(rev))
    return rev


# ------------------------------------------------------------------------------------------------ budgets


def set_budget(program: str, year: int, amount: Decimal, *, actor: Any, note: str = "") -> Budget:
    _require_office(actor)
    if amount < 0:
        raise LedgerError(gettext("预算金额不能为负。"))
    with transaction.atomic():
        budget, created = Budget.objects.select_for_update().get_or_create(
            program=program, year=year, defaults={"amount": amount, "note": note, "set_by": actor})
        before = None if created else snapshot(budget)
        if not created:
            budget.amount, budget.note, budget.set_by = amount, note, actor
            budget.save()
        record("ledger.budget", budget, actor=actor, summary=f"预算 {program} {year}：{amount} 元",
               before=before, after=snapshot(budget))
    return budget


def committed(program: str, year: int) -> Decimal:
    return LedgerEntry.objects.filter(program=program, year=year).balance()


def budget_warning(program: str, year: int, extra: Decimal) -> str:
    """A warning when ``extra`` on top of the year's entries would exceed the budget ("" when fine)."""
    budget = Budget.objects.filter(program=program, year=year).first()
    if budget is None:
        return ""
    used = committed(program, year)
    if used + extra > budget.amount:
        return (f"超出预算：{year}年度预算 {budget.amount} 元，已入账 {used} 元，本次 {extra} 元，"
                f"超出 {used + extra - budget.amount} 元。")
    return ""


# ------------------------------------------------------------------------------------------------ sanctions


def _sanction(designation: Any, *, kind: str, year: int, reason: str, citation: str, decision: str,
              outcome: dict[str, Any], actor: Any, entry: LedgerEntry | None = None,
              ban_id: int | None = None, audit: bool = True, pending: _Pending | None = None) -> Sanction:
    s = Sanction(designation=designation, year=year, kind=kind, reason=reason[:300],
                 citation=citation[:200], decision_reference=decision[:100], outcome=outcome,
                 entry=entry, ban_id=ban_id, actor=actor if getattr(actor, "pk", None) else None)
    if pending is not None:  # written with the others by ``_Pending.flush``
        pending.sanctions.append(s)
        return s
    s.save()
    if audit:  # the yearly run audits its sanctions in its one run record (ids listed there)
        record("ledger.sanction", s, actor=actor, summary=f"{s.get_kind_display()}：{designation}（{citation}）",
               after=snapshot(s))
    return s


def _set_status(designation: Any, status: str, *, reason: str, citation: str, actor: Any,
                outcome: dict[str, Any], on: dt.date, pending: _Pending | None = None) -> None:
    if designation.status == status:
        return
    if pending is not None:
        pending.statuses.append({"designation": designation, "status": status, "reason": reason,
                                 "citation": citation, "outcome": outcome})
        designation.status = status
        return
    from jiangxin.platform.designations import services as desig

    desig.set_status(designation, status, reason=reason, citation=citation, actor=actor, outcome=outcome, on=on)
    designation.status = status


def _cycle_complete_revocable() -> bool:
    """Whether DESIG lets a completed cycle still be revoked (post-cycle failure); if not, the designation
    stays 'active' after its cycle so a later failure can revoke it (the ledger keeps the cycle state)."""
    global _REVOCABLE
    if _REVOCABLE is None:  # asked once per changed designation: looked up once
        from jiangxin.platform.designations import services as desig

        _REVOCABLE = "revoked" in desig.TRANSITIONS.get("cycle_complete", frozenset())
    return _REVOCABLE


_REVOCABLE: bool | None = None


def _ban(designation: Any, *, reason: str, citation: str, decision: str, actor: Any, on: dt.date,
         pending: _Pending | None = None) -> int:
    from jiangxin.platform.people.services import impose_ban

    if pending is not None:  # ``impose_ban``'s row, written by ``_Pending.flush``; the id is filled in there
        from jiangxin.platform.people.models import Ban

        ban = Ban(person=designation.holder_person, organisation=designation.holder_org,
                  program=designation.program, reason=reason, citation_label=citation, start=on, end=None,
                  decision_reference=decision)
        ban.full_clean(exclude=["person", "organisation"], validate_unique=False, validate_constraints=False)
        pending.bans.append(ban)
        return 0
    ban = impose_ban(program=designation.program, reason=reason, citation_label=citation, start=on, end=None,
                     person=designation.holder_person, organisation=designation.holder_org,
                     decision_reference=decision, actor=actor)
    return int(ban.pk)


@dataclasses.dataclass
class _Pending:
    """What the yearly run's bulk path writes at the end, in the order the one-by-one path would:
    bans, entries, sanctions, then status changes (with their events, audit records, directory entries and
    notifications)."""

    entries: list[Any] = dataclasses.field(default_factory=list)  # LedgerEntry instances or insert_rows rows
    sanctions: list[Sanction] = dataclasses.field(default_factory=list)
    statuses: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    bans: list[Any] = dataclasses.field(default_factory=list)
    banned: list[tuple[Sanction, Any]] = dataclasses.field(default_factory=list)

    def flush(self, *, actor: Any, on: dt.date) -> None:
        from jiangxin.platform.audit.service import record_many
        from jiangxin.platform.designations import services as desig
        from jiangxin.platform.people.models import Ban

        if self.bans:
            Ban.objects.bulk_create(self.bans, batch_size=2000)
            record_many([{"action": "people.ban.impose", "obj": b, "summary": f"禁止申报 {b}",
                          "after": snapshot(b)} for b in self.bans], actor=actor)
            for sanction, ban in self.banned:
                sanction.ban_id = ban.pk
        cited = {id(s.entry) for s in self.sanctions if s.entry is not None}  # these need their ids back
        LedgerEntry.objects.bulk_create([e for e in self.entries if id(e) in cited], batch_size=5000)
        insert_rows(LedgerEntry, [e for e in self.entries if id(e) not in cited])
        Sanction.objects.bulk_create(self.sanctions, batch_size=5000)
        desig.set_status_many(self.statuses, actor=actor, on=on)


def _apply_events(designation: Any, item: engine.Item, *, actor: Any, decision: str, on: dt.date,
                  new_entries: list[Any], job: RunJob | None, pending: _Pending | None = None,
                  dicts: tuple[list[dict[str, Any]], dict[str, Any] | None] | None = None) -> None:
    """Turn one designation-year's machine events into entries, sanctions and status changes (written now,
    or collected in ``pending`` for the bulk path). ``dicts``: the events' and the state's ``to_dict()``, when
    the caller has them already."""
    w: dict[str, Any] = {"pending": pending} if pending is not None else {}  # **w: only pending=
    evs, state = dicts or _item_dicts(item)
    outcome_base = {"assessment": None if item.result is None else item.result, "fraud": item.fraud,
                    "state": state}
    clawback_entry: LedgerEntry | None = None
    for event, ev in zip(item.events, evs, strict=True):
        label = event.citation.label
        kind = event.kind
        if kind is f.EventKind.TRANCHE_PAID:
            assert event.amount is not None
            if pending is not None:  # a row for ``insert_rows``, as ``_entry`` would fill the instance
                new_entries.append({"designation_id": designation.pk, "program": designation.program,
                                    "year": event.year, "kind": EntryKind.TRANCHE, "amount": event.amount,
                                    "citation": label[:200], "reason": f"第{event.tranche}笔命名补助",
                                    "payee": str(getattr(designation, "holder_label", ""))[:200],
                                    "outcome": {**outcome_base, "event": ev},
                                    "created_by_id": actor.pk if getattr(actor, "pk", None) else None})
            else:
                new_entries.append(_entry(designation, year=event.year, kind=EntryKind.TRANCHE,
                                          amount=event.amount, citation=label, reason=f"第{event.tranche}笔命名补助",
                                          outcome={**outcome_base, "event": ev}, actor=actor))
            if designation.status == "yellow_card":
                _set_status(designation, "active", reason="考核合格，补拨资金，解除黄牌", citation=label,
                            actor=actor, outcome=ev, on=on, **w)
        elif kind is f.EventKind.CLAWED_BACK:
            assert event.amount is not None
            clawback_entry = _entry(designation, year=event.year, kind=EntryKind.CLAWBACK, amount=-event.amount,
                                    citation=label, reason="弄虚作假，追回已拨资金",
                                    outcome={**outcome_base, "event": ev}, actor=actor)
            if pending is not None:
                pending.entries.append(clawback_entry)
            else:
                clawback_entry.save()
            _sanction(designation, kind=SanctionKind.CLAWBACK, year=event.year, reason="弄虚作假，追回全部已拨资金",
                      citation=label, decision=decision, outcome=ev, actor=actor, entry=clawback_entry,
                      audit=job is None, **w)
        elif kind is f.EventKind.YELLOW_CARD:
            _sanction(designation, kind=SanctionKind.YELLOW_CARD, year=event.year, reason="年度考核不合格",
                      citation=label, decision=decision, outcome=ev, actor=actor, audit=job is None, **w)
            _set_status(designation, "yellow_card", reason="年度考核不合格，黄牌警告", citation=label, actor=actor,
                        outcome=ev, on=on, **w)
        elif kind is f.EventKind.REVOKED:
            reason = {"consecutive_failures": "周期内连续考核不合格", "failure_after_cycle": "补助周期结束后考核不合格",
                      "fraud": "弄虚作假"}.get(ev.get("reason", ""), "撤销命名")
            _sanction(designation, kind=SanctionKind.REVOCATION, year=event.year, reason=reason, citation=label,
                      decision=decision, outcome=ev, actor=actor, audit=job is None, **w)
            _set_status(designation, "revoked", reason=f"{reason}，撤销命名", citation=label, actor=actor,
                        outcome=ev, on=on, **w)
        elif kind is f.EventKind.REAPPLICATION_BARRED:
            ban_id = _ban(designation, reason="撤销命名，不得再申报", citation=label, decision=decision,
                          actor=actor, on=on, **w)
            sanction = _sanction(designation, kind=SanctionKind.BAN, year=event.year, reason="撤销命名后不得再次申报",
                                 citation=label, decision=decision, outcome=ev, actor=actor,
                                 ban_id=ban_id or None, audit=job is None, **w)
            if pending is not None:
                pending.banned.append((sanction, pending.bans[-1]))
        elif kind in (f.EventKind.CYCLE_COMPLETE, f.EventKind.LAPSED):
            if _cycle_complete_revocable():
                _set_status(designation, "cycle_complete", reason="补助周期结束", citation=label, actor=actor,
                            outcome=ev, on=on, **w)


# ------------------------------------------------------------------------------------------------ yearly run


@dataclasses.dataclass
class RunReport:
    program: str
    year: int
    commit: bool
    applied: bool = False
    designations: int = 0
    counts: dict[str, int] = dataclasses.field(default_factory=dict)
    paid: Decimal = ZERO
    clawed_back: Decimal = ZERO
    warnings: list[str] = dataclasses.field(default_factory=list)
    engine_items: list[engine.Item] = dataclasses.field(default_factory=list, repr=False)
    compute_seconds: float = 0.0
    total_seconds: float = 0.0
    parameters: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def items(self) -> list[dict[str, Any]]:
        """Each designation's outcome of the year (built on demand: 100,000 dicts are not free)."""
        return [{**it.to_dict(), "year": self.year} for it in self.engine_items]

    def to_dict(self, limit: int | None = None) -> dict[str, Any]:
        chosen = self.engine_items if limit is None else self.engine_items[:limit]
        return {"program": self.program, "year": self.year, "commit": self.commit, "applied": self.applied,
                "designations": self.designations, "counts": dict(self.counts), "paid": str(self.paid),
                "clawed_back": str(self.clawed_back), "warnings": list(self.warnings),
                "items": [{**it.to_dict(), "year": self.year} for it in chosen],
                "items_shown": len(chosen), "items_total": len(self.engine_items),
                "compute_seconds": round(self.compute_seconds, 4), "total_seconds": round(self.total_seconds, 4),
                "parameters": self.parameters}


def _results(program: str, year: int) -> dict[int, bool | None]:
    from jiangxin.platform.assessments.services import results_for_year

    return results_for_year(program, year)


def _history(program: str, year: int, ids: list[int] | None = None
             ) -> dict[int, list[tuple[int, bool | None, bool]]]:
    qs = YearApplied.objects.filter(program=program, year__lte=year)
    if ids is not None:
        qs = qs.filter(designation_id__any_of=ids)
    history: dict[int, list[tuple[int, bool | None, bool]]] = defaultdict(list)
    for d_id, y, result, kind in qs.order_by("year", "kind").values_list("designation_id", "year", "result",
                                                                         "kind").iterator(chunk_size=20000):
        # "fraud" sorts before "run": put a fraud after the run of the same year
        history[d_id].append((y, result, kind == YearApplied.Kind.FRAUD))
    for rows in history.values():
        rows.sort(key=lambda r: (r[0], r[2]))
    return history


def _designations(program: str, year: int) -> list[tuple[int, int, str]]:
    return list(_designation_model().objects.filter(program=program, status__in=RUN_STATUSES, year__lte=year)
                .order_by("id").values_list("id", "year", "status"))


def compute_run(program: str, year: int, *, overrides: Mapping[str, Any] | None = None,
                results: Mapping[int, bool | None] | None = None,
                progress: Callable[[int, int], None] | None = None) -> tuple[RunReport, list[engine.Item]]:
    """Everything the run would do, computed and reported; no writes."""
    report = RunReport(program, year, commit=False)
    started = time.perf_counter()
    rows = _designations(program, year)
    report.designations = len(rows)
    counts: dict[str, int] = defaultdict(int)
    items: list[engine.Item] = []
    if program in engine.TRANCHE_PROGRAMS:
        params = engine.program_parameters(program, overrides)
        planner = engine.Planner(program, params)
        results = _results(program, year) if results is None else results
        history = _history(program, year)
        t0 = time.perf_counter()
        for i, (d_id, naming_year, _status) in enumerate(rows):
            item = planner.step(d_id, naming_year, year, results.get(d_id), history.get(d_id, []))
            items.append(item)
            if progress is not None and i % 5000 == 0:
                progress(i, len(rows))
        report.compute_seconds = time.perf_counter() - t0
        report.parameters = {str(k): {n: str(v) for n, v in vals.items()} for k, vals in planner.values.items()}
    elif program in engine.REWARD_PROGRAMS:
        rewarded = set(LedgerEntry.objects.filter(program=program, kind=EntryKind.REWARD)
                       .values_list("designation_id", flat=True))
        t0 = time.perf_counter()
        outcome = engine.reward_outcome(program, dt.date(year, 12, 31), overrides)
        amount = Decimal(outcome["value"]["per_person"])
        cited = outcome["trace"][-1]["citation"]
        citation = Citation(cited["document"], cited["article"], cited["clause"])
        for d_id, naming_year, _status in rows:
            if naming_year != year:
                continue
            if d_id in rewarded:
                items.append(engine.Item(d_id, naming_year, None, False, (), None, "already_applied"))
                continue
            event = f.Event(year, f.EventKind.TRANCHE_PAID, citation, amount, 1)
            items.append(engine.Item(d_id, naming_year, None, False, (event,), None))
        report.compute_seconds = time.perf_counter() - t0
        report.parameters = {"reward": outcome["value"]}
    else:
        report.warnings.append("该项目没有按年度拨付的命名资金（经费按单项核拨）。")
    for item in items:
        if item.skipped:
            counts["skipped_" + item.skipped.split(":")[0]] += 1
            continue
        counts["applied"] += 1
        report.paid += item.paid
        report.clawed_back += item.clawed
        for event in item.events:
            counts[event.kind.value] += 1
    report.counts = dict(counts)
    if report.paid:
        warning = budget_warning(program, year, report.paid)
        if warning:
            report.warnings.append(warning)
    report.engine_items = items
    report.total_seconds = time.perf_counter() - started
    return report, items


#: machine events that write more than a payment (sanctions, bans, status changes): their designations go
#: through ``_apply_events``; the others (paid, retained, withheld) only get their payment entries
ACTED_ON = frozenset({f.EventKind.CLAWED_BACK, f.EventKind.YELLOW_CARD, f.EventKind.REVOKED,
                      f.EventKind.REAPPLICATION_BARRED, f.EventKind.CYCLE_COMPLETE, f.EventKind.LAPSED})
#: how often (in designations) the run publishes its progress
PROGRESS_EVERY = 5000


@transition("ledger.yearly_run", title=_("年度运行：拨付、黄牌、撤销"), record="ledger.RunJob",
            target=RunJob.Status.DONE, roles=(Role.OFFICE, SYSTEM),
            guard="policy.funding（分笔拨付状态机）；ledger.caps.check_many",
            citation="南昌工匠学院办法 第二十条、第二十四条；南昌创新工作室办法 第十一条、第十四条；赣州工匠办法 第八条",
            audit=False)
def yearly_run(program: str, year: int, *, actor: Any, commit: bool, job: RunJob | None = None,
               on: dt.date | None = None, bulk: bool = True,
               progress: Callable[[str, int, int], None] | None = None) -> RunReport:
    """Preview (``commit=False``) or apply the year for every active designation of ``program``.

    Applying is one transaction: an exception anywhere leaves nothing written. Running a year again
    applies nothing (every applied designation-year has a ``YearApplied`` marker). ``bulk`` (the default)
    writes sanctions, bans and status changes with bulk statements; ``bulk=False`` goes through
    ``designations.set_status`` and ``people.impose_ban`` one designation at a time (same rows and audit
    content, much slower). ``progress(phase, done, total)`` is called during the compute phase ("compute")
    and the commit phase ("commit"); with a ``job`` the progress is also published for the polling page
    (``ledger.progress``: outside the database, so it shows while the transaction is open).
    """
    _require_office(actor)
    started = time.perf_counter()

    def tell(phase: str, done: int, total: int) -> None:
        if job is not None and job.pk is not None:
            run_transitions.record_progress(job, actor=actor, phase=phase, done=done, total=total)
        if progress is not None:
            progress(phase, done, total)

    report, items = compute_run(program, year, progress=lambda done, total: tell("compute", done, total))
    report.commit = commit
    tell("compute", report.designations, report.designations)
    if not commit:
        return report
    on = on or timezone.localdate()
    designation_model = _designation_model()
    with transaction.atomic():
        owned = job is None  # a run started in-process (demo, command): it ends its own job row too
        if job is None:
            job = RunJob.objects.create(program=program, year=year, commit=True, status=RunJob.Status.RUNNING,
                                        created_by=actor if getattr(actor, "pk", None) else None)
        decision = f"年度运行 {program}-{year}-#{job.pk}"
        todo = [it for it in items if not it.skipped]
        _check_run_caps(program, todo)
        ids = [it.designation_id for it in todo]
        if YearApplied.objects.filter(designation_id__in=ids[:1], year=year, kind=YearApplied.Kind.RUN).exists():
            raise LedgerError(gettext("本年度运行已由他人同时提交，请刷新后重试。"))
        statuses = {row[0]: row[2] for row in _designations(program, year)}
        changes = {it.designation_id for it in todo
                   if any(e.kind in ACTED_ON for e in it.events) or statuses.get(it.designation_id) == "yellow_card"}
        objs: dict[int, Any] = {}
        change_ids = sorted(changes)
        for i in range(0, len(change_ids), 5000):
            objs.update((d.pk, d) for d in designation_model.objects.filter(pk__any_of=change_ids[i:i + 5000]))
        from jiangxin.platform.designations.actions.status import _attach_holders

        _attach_holders(objs.values())  # one object per holder, not one joined copy per designation
        lazy = {d_id: None for d_id in ids if d_id not in objs}
        entries: list[Any] = []  # LedgerEntry instances (from _apply_events) and rows (from _fast_entries)
        markers: list[dict[str, Any]] = []  # YearApplied rows, inserted without model instances
        pending = _Pending(entries=entries) if bulk else None
        stubs = _stubs(designation_model, lazy)
        total = len(todo)
        tell("commit", 0, total)
        for n, item in enumerate(todo):
            designation = objs.get(item.designation_id) or stubs[item.designation_id]
            dicts = _item_dicts(item)
            if item.designation_id in objs:
                _apply_events(designation, item, actor=actor, decision=decision, on=on, new_entries=entries,
                              job=job, pending=pending, dicts=dicts)
            else:
                _fast_entries(designation, item, actor, entries, dicts)
            markers.append({"designation_id": item.designation_id, "program": program, "year": year,
                            "kind": YearApplied.Kind.RUN, "result": item.result,
                            "events": dicts[0],
                            "state": item.state.status.value if item.state else "paid", "job_id": job.pk})
            if n and n % PROGRESS_EVERY == 0:
                tell("commit", n // 2, total)  # preparing the rows: the first half of the commit phase
        if pending is not None:
            pending.flush(actor=actor, on=on)
        else:
            insert_rows(LedgerEntry, entries)
        tell("commit", (total * 3) // 4, total)
        insert_rows(YearApplied, markers)
        report.applied = True
        report.total_seconds = time.perf_counter() - started
        summary = report.to_dict(limit=0)
        summary.pop("items")
        summary["sanctions"] = list(Sanction.objects.filter(decision_reference=decision[:100])
                                    .values_list("id", flat=True))
        record("ledger.yearly_run", job, actor=actor,
               summary=f"年度运行 {program} {year}：{report.counts.get('applied', 0)} 个命名，拨付 {report.paid} 元",
               after=summary)
        tell("commit", total, total)
        if owned:
            run_transitions.finish_run(job, actor=actor, report=report.to_dict(limit=2000),
                                       designations=report.designations)
    return report


def _check_run_caps(program: str, todo: list[engine.Item]) -> None:
    """Every payment of the run within the program's cap for its designation (``caps.check_many``)."""
    kind = EntryKind.REWARD if program in engine.REWARD_PROGRAMS else EntryKind.TRANCHE
    new: dict[int, dict[str, Decimal]] = {it.designation_id: {kind: it.paid} for it in todo if it.paid > 0}
    if new:
        caps.check_many(program, new, {it.designation_id: it.naming_year for it in todo})


class _Stub:
    """Enough of a designation to write its entries without loading the row (bulk path)."""

    __slots__ = ("_label", "pk", "program", "status")

    def __init__(self, pk: int, program: str, label: str) -> None:
        self.pk, self.program, self.status, self._label = pk, program, "active", label

    @property
    def holder_label(self) -> str:
        return self._label


def _stubs(model: Any, lazy: Mapping[int, None]) -> dict[int, Any]:
    out: dict[int, Any] = {}
    ids = list(lazy)
    for i in range(0, len(ids), 20000):
        chunk = ids[i:i + 20000]
        for pk, program, name in model.objects.filter(pk__any_of=chunk).values_list("pk", "program", "name"):
            out[pk] = _Stub(pk, program, name)
    return out


def _item_dicts(item: engine.Item) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The ``to_dict()`` of an item's events and of its state, computed once for all the rows that hold them
    (entries, sanctions, status changes, the year's marker)."""
    return [e.to_dict() for e in item.events], item.state.to_dict() if item.state else None


def _fast_entries(designation: Any, item: engine.Item, actor: Any, entries: list[Any],
                  dicts: tuple[list[dict[str, Any]], dict[str, Any] | None] | None = None) -> None:
    """A plain payment's entries as rows for ``insert_rows`` (no model instances: 100,000 of them add up)."""
    evs, state = dicts or _item_dicts(item)
    for event, ev in zip(item.events, evs, strict=True):
        if event.kind is f.EventKind.TRANCHE_PAID and event.amount is not None:
            kind = EntryKind.REWARD if designation.program in engine.REWARD_PROGRAMS else EntryKind.TRANCHE
            reason = "一次性奖励" if kind == EntryKind.REWARD else f"第{event.tranche}笔命名补助"
            entries.append({"designation_id": designation.pk, "program": designation.program, "year": event.year,
                            "kind": kind, "amount": event.amount, "citation": event.citation.label[:200],
                            "reason": reason, "payee": designation.holder_label[:200],
                            "outcome": {"assessment": item.result, "event": ev, "state": state},
                            "created_by_id": actor.pk if getattr(actor, "pk", None) else None})


@transition("ledger.find_fraud", title=_("弄虚作假查处：撤销、追回、禁止再申报"), record="designations.Designation",
            sources=RUN_STATUSES, target="revoked", roles=(Role.OFFICE, SYSTEM),
            guard="policy.funding（分笔拨付状态机，fraud）",
            citation="南昌工匠学院办法 第二十六条；南昌创新工作室办法 第十五条", audit=False)
def find_fraud(designation: Any, *, year: int, actor: Any, reason: str, decision_reference: str,
               on: dt.date | None = None) -> list[Sanction]:
    """A fraud finding (弄虚作假): the tranche machine revokes, claws back everything paid, bars reapplication."""
    _require_office(actor, designation)
    if not reason.strip() or not decision_reference.strip():
        raise LedgerError(gettext("须写明事由和处理决定文号。"))
    if designation.program not in engine.TRANCHE_PROGRAMS:
        raise LedgerError(gettext("该项目没有分笔拨付的命名资金。"))
    on = on or timezone.localdate()
    with transaction.atomic():
        if YearApplied.objects.filter(designation=designation, kind=YearApplied.Kind.FRAUD).exists():
            raise LedgerError(gettext("该命名已按弄虚作假处理。"))
        planner = engine.Planner(designation.program, engine.program_parameters(designation.program))
        history = _history(designation.program, year, [designation.pk]).get(designation.pk, [])
        item = engine.step_designation(planner.plan(designation.year), designation.pk, year, None, history,
                                       fraud=True)
        if item.skipped:
            raise LedgerError(f"无法处理：{item.skipped}")
        before = Sanction.objects.filter(designation=designation).count()
        _apply_events(designation, item, actor=actor, decision=decision_reference, on=on, new_entries=[],
                      job=None)
        YearApplied.objects.create(designation=designation, program=designation.program, year=year,
                                   kind=YearApplied.Kind.FRAUD, result=None,
                                   events=[e.to_dict() for e in item.events],
                                   state=item.state.status.value if item.state else "")
        record("ledger.fraud", designation, actor=actor, summary=f"弄虚作假查处：{designation}（{reason}）",
               after={"events": [e.to_dict() for e in item.events], "decision": decision_reference})
        return list(Sanction.objects.filter(designation=designation).order_by("id")[before:])


def record_revocation(designation: Any, *, year: int, reason: str, citation: str, decision: str, actor: Any,
                      outcome: dict[str, Any]) -> Sanction:
    """The ledger's record of a revocation decided elsewhere (a sanction ground): no payment after it."""
    return _sanction(designation, kind=SanctionKind.REVOCATION, year=year, reason=reason, citation=citation,
                     decision=decision, outcome=outcome, actor=actor)


def claw_back_all(designation: Any, *, year: int, reason: str, citation: str, decision: str, actor: Any,
                  outcome: dict[str, Any]) -> LedgerEntry | None:
    """Claw back everything the designation holds (a negative entry of its balance), with its sanction record."""
    held = balance(designation)
    if held <= 0:
        return None
    entry = _entry(designation, year=year, kind=EntryKind.CLAWBACK, amount=-held, citation=citation,
                   reason=f"追回已拨资金：{reason}", outcome=outcome, actor=actor)
    entry.save()
    _sanction(designation, kind=SanctionKind.CLAWBACK, year=year, reason="追回全部已拨资金", citation=citation,
              decision=decision, outcome=outcome, actor=actor, entry=entry)
    return entry


def fraud_finding(designation: Any, *, actor: Any, reason: str, citation: str, decision_reference: str,
                  on: dt.date, outcome: dict[str, Any], data: dict[str, Any]) -> list[Sanction]:
    """A fraud finding (弄虚作假) in one transaction: revocation, claw-back of what was paid and (for the tranche
    programs, by their machine) the reapplication bar. Other programs: revoke and claw back everything held; the
    ban is the ground's (``designations.sanctions``)."""
    from jiangxin.platform.designations import transitions as desig

    if designation.program in engine.TRANCHE_PROGRAMS:
        return find_fraud(designation, year=on.year, actor=actor, reason=reason,
                          decision_reference=decision_reference, on=on)
    desig.revoke(designation, reason=reason, citation=citation, actor=actor, outcome=outcome, on=on, data=data)
    done = [record_revocation(designation, year=on.year, reason=reason, citation=citation,
                              decision=decision_reference, actor=actor, outcome=outcome)]
    claw_back_all(designation, year=on.year, reason=reason, citation=citation, decision=decision_reference,
                  actor=actor, outcome=outcome)
    return done + list(Sanction.objects.filter(designation=designation, kind=SanctionKind.CLAWBACK)
                       .order_by("-id")[:1])


def program_bans_on_fraud(program: str) -> bool:
    """Whether the program's tranche machine itself bars reapplication on a fraud finding."""
    return program in engine.TRANCHE_PROGRAMS


# ------------------------------------------------------------------------------------------------ what-if


def what_if(program: str, year: int, overrides: Mapping[str, Any], *, pass_mark: Decimal | None = None
            ) -> dict[str, Any]:
    """The year under changed parameters (and optionally another pass mark) beside the real outcome.

    Nothing is written. "Real" = what the run applied (or would apply) under the parameters in force.
    """
    real, _ = compute_run(program, year)
    results: dict[int, bool | None] | None = None
    if pass_mark is not None:
        from jiangxin.platform.assessments.models import Assessment

        results = dict(_results(program, year))
        for d_id, total in Assessment.objects.filter(round__program__key=program, round__year=year,
                                                     total__isnull=False).values_list("designation_id", "total"):
            results[d_id] = Decimal(total) >= pass_mark
    applied = _history(program, year)
    if program in engine.TRANCHE_PROGRAMS:
        # replay the real history up to the year before, under the changed parameters
        for past in applied.values():
            past[:] = [r for r in past if r[0] < year]
    changed, changed_items = _compute_with_history(program, year, overrides, results, applied)
    real_by = {it["designation"]: it for it in real.items}
    for marker in YearApplied.objects.filter(program=program, year=year, kind=YearApplied.Kind.RUN):
        paid = sum((Decimal(e["amount"]) for e in marker.events if e["kind"] == "tranche_paid"), ZERO)
        real_by[marker.designation_id] = {
            "designation": marker.designation_id, "applied": True, "paid": str(paid), "events": marker.events,
            "status_after": marker.state, "assessment": None if marker.result is None else
            ("passed" if marker.result else "failed")}
    rows = []
    for it in changed.items:
        before = real_by.get(it["designation"], {})
        rows.append({"designation": it["designation"], "real": before, "what_if": it,
                     "already_applied": bool(before.get("applied")),
                     "differs": (before.get("paid"), before.get("status_after"), [e["kind"] for e in
                                 before.get("events", [])]) != (it["paid"], it["status_after"],
                                                                [e["kind"] for e in it["events"]])})
    del changed_items
    return {"program": program, "year": year, "overrides": dict(overrides),
            "pass_mark": str(pass_mark) if pass_mark is not None else None,
            "real": {k: v for k, v in real.to_dict().items() if k != "items"},
            "what_if": {k: v for k, v in changed.to_dict().items() if k != "items"},
            "rows": rows, "differences": sum(1 for r in rows if r["differs"])}


def _compute_with_history(program: str, year: int, overrides: Mapping[str, Any],
                          results: Mapping[int, bool | None] | None,
                          history: Mapping[int, list[tuple[int, bool | None, bool]]]
                          ) -> tuple[RunReport, list[engine.Item]]:
    if program not in engine.TRANCHE_PROGRAMS:
        return compute_run(program, year, overrides=overrides, results=results)
    report = RunReport(program, year, commit=False)
    params = engine.program_parameters(program, overrides, reference="测算（未生效）")
    planner = engine.Planner(program, params)
    results = _results(program, year) if results is None else results
    items = []
    for d_id, naming_year, _status in _designations(program, year) + _revoked_this_year(program, year):
        items.append(planner.step(d_id, naming_year, year, results.get(d_id), list(history.get(d_id, []))))
    report.designations = len(items)
    for item in items:
        report.paid += item.paid
    report.engine_items = items
    report.counts = {"applied": sum(1 for it in items if not it.skipped)}
    report.parameters = {str(k): {n: str(v) for n, v in vals.items()} for k, vals in planner.values.items()}
    return report, items


def _revoked_this_year(program: str, year: int) -> list[tuple[int, int, str]]:
    ids = YearApplied.objects.filter(program=program, year=year, state="revoked").values_list("designation_id",
                                                                                                flat=True)
    return list(_designation_model().objects.filter(pk__in=ids).exclude(status__in=RUN_STATUSES)
                .values_list("id", "year", "status"))


# ------------------------------------------------------------------------------------------------ claims


class ClaimFactsError(LedgerError):
    """Facts the computation refused: the message plus the (field, expected) problems a form can attach."""

    def __init__(self, message: str, problems: list[tuple[str, str]]) -> None:
        super().__init__(message)
        self.problems = problems


#: statuses of a claim that still count against a yearly quota or a cap
LIVE_CLAIM_STATUSES = (ClaimStatus.SUBMITTED, ClaimStatus.APPROVED)


def claimable(program: str) -> tuple[str, ...]:
    from jiangxin.platform.rounds.catalog import PROGRAM_INFO, declaration

    # the per-item subsidies the program declares (funding.claims in its platform.yaml)
    return declaration(program).funding.claims if program in PROGRAM_INFO else ()


def claim_as_of(year: int) -> dt.date:
    """The day a claim of ``year`` is priced on: today, or the year's last day for a past year."""
    return min(timezone.localdate(), dt.date(year, 12, 31))


def course_already_granted(designation: Any) -> Decimal:
    """Course subsidy already entered in the ledger for the designation (the 第二十一条（四） cap counts it)."""
    return LedgerEntry.objects.filter(designation=designation, claim__computation="course_subsidy").balance()


def _teacher_lessons(organisation_id: int) -> list[dict[str, Any]]:
    """One lesson row per approved teacher of the academy's pool (hours are the unit's to enter)."""
    from jiangxin.platform.academy.models import Teacher, TeacherStatus
    from jiangxin.programs.nanchang_academy.funding import Honour, Title

    honours = {h.value for h in Honour}
    titles = {t.value for t in Title}
    rows = []
    for t in Teacher.objects.filter(organisation_id=organisation_id, status=TeacherStatus.APPROVED):
        rows.append({"teacher": t.name, "honours": [h for h in t.honour_list if h in honours],
                     "title": t.title if t.title in titles else None})
    return rows


def claim_prefill(designation: Any, computation: str, year: int) -> dict[str, Any]:
    """Facts the platform already knows, so the unit does not type them: upgrades from the academy trainee
    records, lesson rows from the teacher pool, new courses from the course library and the course cap's
    already-granted money from the ledger, the award year."""
    org_id = designation.holder_org_id
    if computation == "upgrade_subsidy" and org_id and designation.program == "nanchang_academy":
        from jiangxin.platform.academy.facts import upgrade_subsidy_facts

        facts = upgrade_subsidy_facts(org_id, year)
        return facts if facts["upgrades"] else {}
    if computation == "course_subsidy":
        out: dict[str, Any] = {"already_granted": str(course_already_granted(designation))}
        if org_id:
            from jiangxin.platform.academy.facts import new_course_count

            courses = new_course_count(org_id, year)
            if courses:
                out["offline_courses"] = courses
        return out
    if computation == "teaching_subsidy" and org_id:
        lessons = _teacher_lessons(org_id)
        return {"lessons": lessons} if lessons else {}
    if computation == "innovation_awards":
        return {"year": year}
    return {}


def same_item_claims(claim: SubsidyClaim) -> QuerySet[SubsidyClaim]:
    """The designation's other live claims of the same item and year (the office checks for a double claim)."""
    return SubsidyClaim.objects.filter(designation=claim.designation, computation=claim.computation,
                                       year=claim.year, status__in=LIVE_CLAIM_STATUSES).exclude(pk=claim.pk)


def platform_facts(designation: Any, computation: str, facts: Mapping[str, Any]) -> dict[str, Any]:
    """The facts with what only the platform may state put in: the course cap's already-granted money."""
    out = dict(facts)
    if computation == "course_subsidy":
        out["already_granted"] = str(course_already_granted(designation))
    return out


def _run_claim(program: str, computation: str, facts: Mapping[str, Any], *, offset: int = 0,
               list_field: str = "") -> dict[str, Any]:
    """Run the computation; refused facts become a ClaimFactsError (list indices shifted back by ``offset``
    when earlier claims' rows were put in front)."""
    from jiangxin.platform.applications.formgen import chinese_expected

    try:
        return get_computation(program, computation).run(dict(facts)).to_dict()
    except FactsError as exc:
        problems = []
        for field, expected in exc.problems:
            parts = str(field).split(".")
            if offset and len(parts) > 1 and parts[0] == list_field and parts[1].isdigit():
                index = int(parts[1]) - offset
                parts[1] = str(index) if index >= 0 else "earlier"
            problems.append((".".join(parts), expected))
        message = "；".join(f"{field}：{chinese_expected(expected)}" for field, expected in problems)
        raise ClaimFactsError(message, problems) from exc
    except PolicyError as exc:
        raise LedgerError(str(exc)) from exc


def _breaches(value: Mapping[str, Any]) -> str:
    return "；".join(f"{b['category']}：上限 {b['quota']} 项，合计 {b['count']} 项" for b in value.get("breaches", []))


def _earlier_awards(designation: Any, year: Any, claim: Any = None) -> list[dict[str, Any]]:
    """Awards of the designation's other live claims for the same award year (the quota is yearly)."""
    qs = SubsidyClaim.objects.filter(designation=designation, computation="innovation_awards",
                                     status__in=LIVE_CLAIM_STATUSES).order_by("id")
    if claim is not None and claim.pk:
        qs = qs.exclude(pk=claim.pk)
    return [a for c in qs if str(c.facts.get("year")) == str(year) for a in c.facts.get("awards", [])]


def award_quotas(designation: Any, year: int, claim: Any = None) -> list[dict[str, Any]]:
    """The yearly award quotas with the places the designation's live claims already use (for the pages)."""
    comp = get_computation(designation.program, "innovation_awards")
    params = comp.program.parameters()
    day = claim_as_of(year)
    quotas = params.value("funding_award_quotas", day)
    amounts = params.value("funding_award_amounts", day)
    used: dict[str, int] = defaultdict(int)
    for award in _earlier_awards(designation, year, claim):
        used[str(award.get("category"))] += 1
    rows = [{"category": c, "quota": int(q), "used": used[c], "left": max(int(q) - used[c], 0),
             "amount": Decimal(str(amounts.get(c, 0)))} for c, q in quotas.items()]
    name, members = f.INNOVATION_GROUP
    together = int(params.value("funding_award_innovation_total", day))
    count = sum(used[m] for m in members)
    rows.append({"category": name, "quota": together, "used": count, "left": max(together - count, 0),
                 "amount": None})
    return rows


def _price_awards(designation: Any, facts: Mapping[str, Any], claim: Any) -> tuple[Decimal, dict[str, Any]]:
    data = _run_claim(designation.program, "innovation_awards", facts)
    if data["status"] == "failed":
        raise LedgerError(gettext("超出年度名额：") + _breaches(data["value"]))
    earlier = _earlier_awards(designation, facts.get("year"), claim)
    if earlier:
        together = _run_claim(designation.program, "innovation_awards",
                              {**facts, "awards": earlier + list(facts.get("awards", []))},
                              offset=len(earlier), list_field="awards")
        if together["status"] == "failed":
            raise LedgerError(f"超出年度名额（连同本年度已申领的 {len(earlier)} 项）：" + _breaches(together["value"]))
        data["yearly_quota"] = {"earlier_awards": len(earlier), "value": together["value"],
                                "trace": together["trace"]}
    return Decimal(data["value"]["total"]), data


def _price_claim(designation: Any, computation: str, facts: Mapping[str, Any], claim: Any = None
                 ) -> tuple[Decimal, dict[str, Any]]:
    if computation not in claimable(designation.program):
        raise LedgerError(f"该项目不能申领“{computation}”。")
    if computation == "innovation_awards":
        return _price_awards(designation, facts, claim)
    data = _run_claim(designation.program, computation, facts)
    value = data["value"]
    amount = Decimal(value.get("granted") or value.get("total") or "0")
    if data["status"] == "failed":
        raise LedgerError(gettext("超出年度名额：") + _breaches(value))
    return amount, data


def preview_claim(designation: Any, computation: str, facts: Mapping[str, Any]) -> tuple[Decimal, dict[str, Any]]:
    """What a claim would be granted (amount and Outcome JSON); nothing is written."""
    return _price_claim(designation, computation, platform_facts(designation, computation, facts))


@transition("ledger.submit_claim", title=_("申领单项补助"), record="ledger.SubsidyClaim",
            target=ClaimStatus.SUBMITTED, roles=(Role.UNIT, Role.TRAINING_UNIT, Role.OFFICE, SYSTEM),
            guard="各项目单项补助计算（claimable）",
            citation="南昌工匠学院办法 第二十一条；南昌创新工作室办法 第十二条", audit=False)
def submit_claim(designation: Any, computation: str, facts: Mapping[str, Any], *, year: int, actor: Any,
                 evidence: Any = None, evidence_note: str = "") -> SubsidyClaim:
    """The unit claims a per-item subsidy; the program computation prices it now (shown to the office)."""
    if actor is not None and getattr(actor, "role", "") in (Role.UNIT, Role.TRAINING_UNIT):
        if designation.holder_org_id != getattr(actor, "organisation_id", None):
            raise PermissionDenied("只能为本单位申领。")
    else:
        _require_office(actor, designation)
    if designation.status not in ("active", "yellow_card", "cycle_complete"):
        raise LedgerError(gettext("该命名已撤销或终止，不能申领补助。"))
    if evidence is None and not evidence_note.strip():
        raise LedgerError(gettext("须提供证明材料。"))
    if evidence is not None:
        from jiangxin.platform.applications.uploads import UploadError, check_upload

        try:
            check_upload(evidence)
        except UploadError as exc:
            raise LedgerError(f"证明材料：{exc}") from exc
    facts = platform_facts(designation, computation, facts)
    with transaction.atomic():
        amount, outcome = _price_claim(designation, computation, facts)
        claim = SubsidyClaim(designation=designation, program=designation.program, year=year,
                             computation=computation, facts=facts, evidence_note=evidence_note,
                             amount=amount, outcome=outcome, claimed_by=actor if getattr(actor, "pk", None) else None)
        if evidence is not None:
            claim.evidence = evidence
        claim.save()
        record("ledger.claim.submit", claim, actor=actor, summary=f"申领 {computation} {amount} 元：{designation}",
               after=snapshot(claim))
        from jiangxin.platform.notifications.services import notify_roles

        notify_roles(designation.scope_org, [Role.OFFICE], title=f"补助申领待审核：{designation}",
                     body=f"{get_computation(designation.program, computation).title}，测算金额 {amount} 元。",
                     url=_claim_url(claim), kind="action")
    return claim


def _claim_url(claim: SubsidyClaim) -> str:
    from django.urls import reverse

    return reverse("ledger:claim", kwargs={"pk": claim.pk})


@transition("ledger.decide_claim", title=_("审核单项补助申领"), record="ledger.SubsidyClaim",
            sources=(ClaimStatus.SUBMITTED,), target="", roles=(Role.OFFICE, SYSTEM),
            guard="各项目单项补助计算（重新测算）；ledger.caps.check_posting",
            citation="南昌工匠学院办法 第二十一条；南昌创新工作室办法 第十二条", audit=False)
def decide_claim(claim: SubsidyClaim, *, actor: Any, approve: bool, note: str = "") -> SubsidyClaim:
    """The office approves (an entry is written, priced again by the computation) or rejects a claim."""
    _require_office(actor, claim.designation)
    with transaction.atomic():
        claim = SubsidyClaim.objects.select_for_update().select_related("designation").get(pk=claim.pk)
        if claim.status != ClaimStatus.SUBMITTED:
            raise LedgerError(gettext("该申领已处理。"))
        before = snapshot(claim)
        if approve:
            if claim.designation.status == "revoked":
                raise LedgerError(gettext("命名已撤销，不能核准。"))
            facts = platform_facts(claim.designation, claim.computation, claim.facts)
            amount, outcome = _price_claim(claim.designation, claim.computation, facts, claim)
            claim.facts, claim.amount, claim.outcome = facts, amount, outcome
            if amount > 0:
                caps.check_posting(claim.designation, kind=EntryKind.SUBSIDY, year=claim.year, amount=amount,
                                   outcome=outcome)
                citation = outcome["trace"][-1]["citation"]["label"] if outcome["trace"] else ""
                _entry(claim.designation, year=claim.year, kind=EntryKind.SUBSIDY, amount=amount, citation=citation,
                       reason=get_computation(claim.program, claim.computation).title, outcome=outcome,
                       actor=actor, claim=claim).save()
        if not approve and not note.strip():
            raise LedgerError(gettext("不予核准须写明理由。"))
        claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
        claim.decided_by, claim.decided_at, claim.decision_note = actor, timezone.now(), note
        claim.save()
        record("ledger.claim.decide", claim, actor=actor, summary=f"{claim.get_status_display()}：{claim.computation}",
               before=before, after=snapshot(claim))
        if claim.claimed_by_id:
            from jiangxin.platform.notifications.services import notify

            notify([claim.claimed_by], title=f"补助申领{claim.get_status_display()}：{claim.designation}",
                   body=f"核定金额 {claim.amount} 元，已记入台账。{note}".strip() if approve else f"理由：{note}",
                   url=_claim_url(claim), kind="result")
    return claim


@transition("ledger.grant_per_head", title=_("按验收合格人数核拨培育经费"), record="ledger.LedgerEntry", field="kind",
            target=EntryKind.PER_HEAD, roles=(Role.OFFICE, SYSTEM),
            guard="jiangsu_technician/funding；ledger.caps.check_posting（合格人数×每人标准）",
            citation="江苏卓越技师办法 第二条、第二十二条", audit=False)
def grant_per_head(designation: Any, facts: Mapping[str, Any], *, actor: Any, year: int) -> LedgerEntry:
    """江苏: per-head cultivation money from ``jiangsu_technician/funding``, paid to the training unit through
    the local finance bureau (payee and channel come from the outcome)."""
    _require_office(actor, designation)
    outcome = get_computation("jiangsu_technician", "funding").run(dict(facts)).to_dict()
    value = outcome["value"]
    lines = [ln for ln in value["lines"] if int(ln["year"]) == year]
    amount = sum((Decimal(ln["amount"]) for ln in lines), ZERO)
    if amount <= 0:
        raise LedgerError(f"{year}年度没有可核拨的经费。")
    already = LedgerEntry.objects.filter(designation=designation, kind=EntryKind.PER_HEAD, year=year).balance()
    if already:
        raise LedgerError(f"{year}年度经费已核拨（{already} 元）。")
    citation = next((s["citation"]["label"] for s in outcome["trace"] if s["rule"] == "per_passing_trainee"), "")
    with transaction.atomic():
        caps.check_posting(designation, kind=EntryKind.PER_HEAD, year=year, amount=amount, outcome=outcome)
        entry = _entry(designation, year=year, kind=EntryKind.PER_HEAD, amount=amount, citation=citation,
                       reason=f"培育经费（经{value['via']}拨付）", outcome=outcome, actor=actor,
                       payee=value["payee"])
        entry.save()
        record("ledger.per_head", entry, actor=actor, summary=f"核拨培育经费 {amount} 元 → {value['payee']}",
               after=snapshot(entry))
    return entry


# ------------------------------------------------------------------------------------------------ batches


@transition("ledger.create_batch", title=_("生成拨付批次"), record="ledger.DisbursementBatch",
            target=BatchStatus.DRAFT, roles=(Role.OFFICE, SYSTEM), guard="本辖区项目的未拨付分录",
            citation="各项目办法的资金拨付条款", audit=False)
def create_batch(program: str, year: int, *, actor: Any, title: str = "") -> DisbursementBatch:
    """Gather the year's not-yet-batched entries of a program into a batch for finance."""
    _require_office(actor)
    if actor is not None and program not in programs_of(actor):
        raise PermissionDenied("该项目不在您的管辖范围内。")
    with transaction.atomic():
        pending = LedgerEntry.objects.filter(program=program, year=year, batch__isnull=True)
        if not pending.exists():
            raise LedgerError(gettext("没有待拨付的分录。"))
        batch = DisbursementBatch.objects.create(program=program, year=year, title=title or f"{program} {year}年度拨付",
                                                 created_by=actor if getattr(actor, "pk", None) else None)
        pending.update(batch=batch)
        record("ledger.batch.create", batch, actor=actor, summary=f"拨付批次 {batch.title}：{batch.total} 元",
               after=snapshot(batch))
    return batch


@transition("ledger.approve_batch", title=_("审批拨付批次"), record="ledger.DisbursementBatch",
            sources=(BatchStatus.DRAFT,), target=BatchStatus.APPROVED, roles=(Role.FINANCE, SYSTEM),
            guard="本辖区财政部门审批", citation="各项目办法的资金拨付条款", audit=False)
def approve_batch(batch: DisbursementBatch, *, actor: Any) -> DisbursementBatch:
    _require(actor, frozenset({Role.FINANCE}), "只有财务人员可以审批拨付批次。")
    if actor is not None and batch.program not in programs_of(actor):
        raise PermissionDenied("该批次不在您的管辖范围内。")
    with transaction.atomic():
        batch = DisbursementBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != BatchStatus.DRAFT:
            raise LedgerError(gettext("该批次已审批。"))
        before = snapshot(batch)
        batch.status, batch.approved_by, batch.approved_at = BatchStatus.APPROVED, actor, timezone.now()
        batch.save()
        record("ledger.batch.approve", batch, actor=actor, summary=f"审批拨付批次 {batch.title}", before=before,
               after=snapshot(batch))
    return batch


def programs_of(user: Any) -> tuple[str, ...]:
    """Programs run in the jurisdiction of the user's organisation (a finance bureau pays only its own)."""
    from jiangxin.platform.rounds.catalog import PROGRAM_INFO

    org = getattr(user, "organisation", None)
    if org is None:
        return ()
    return tuple(key for key, info in PROGRAM_INFO.items() if info.jurisdiction == org.jurisdiction)


def batches_for(user: Any) -> QuerySet[DisbursementBatch]:
    """Batches office and finance staff may see: those of their own jurisdiction's programs."""
    if getattr(user, "role", "") in (Role.OFFICE, Role.FINANCE):
        return DisbursementBatch.objects.filter(program__in=programs_of(user))
    return DisbursementBatch.objects.none()


# ------------------------------------------------------------------------------------------------ jobs


def start_run_job(program: str, year: int, *, actor: Any, commit: bool) -> RunJob:
    """Queue the yearly run through django.tasks; the page polls the job."""
    _require_office(actor)
    from jiangxin.platform.ledger.jobs import run_yearly

    job = RunJob.objects.create(program=program, year=year, commit=commit,
                                created_by=actor if getattr(actor, "pk", None) else None)
    run_yearly.enqueue(job.pk)
    job.refresh_from_db()
    return job


def execute_job(job_id: int) -> dict[str, Any]:
    """The task body: run, then write the final state to the job's row (live progress went to a file). A
    heartbeat file is touched every few seconds meanwhile; a job whose beats stop is failed by
    :func:`recover_stale_runs` (its transaction died with the worker: nothing was written)."""
    from jiangxin.platform.core.heartbeat import Heartbeat

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


#: a queued job not picked up after this long is failed (a running one: settings.JIANGXIN_JOB_STALE_SECONDS)
QUEUED_STALE = dt.timedelta(minutes=10)


def recover_stale_runs() -> int:
    """Fail the runs whose worker died (their single transaction was rolled back by the database); a run that
    had committed before dying is marked done. Returns how many jobs were ended."""
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
    from jiangxin.platform.ledger.jobs import run_yearly

    run_transitions.retry_run(job, actor=actor, expect=expect)
    run_yearly.enqueue(job.pk)
    job.refresh_from_db()
    return job


#: what the polling page says the run is doing
PHASES = {"compute": "计算中", "commit": "写入中"}


def job_progress(job: RunJob) -> dict[str, Any]:
    """The job's progress for its page: live (from ``ledger.progress``) while queued or running, else the row's."""
    out = {"phase": "", "done": job.done, "total": job.total, "percent": job.percent}
    if job.status in (RunJob.Status.QUEUED, RunJob.Status.RUNNING):
        data = live.read("run", job.pk)
        if data is not None:
            out.update(phase=PHASES.get(str(data.get("phase", "")), ""), done=int(data.get("done", 0)),
                       total=int(data.get("total", 0)), percent=live.percent(data, commit=job.commit))
    return out
