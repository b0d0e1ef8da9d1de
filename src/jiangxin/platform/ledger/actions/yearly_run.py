"""The yearly run applied (年度运行): ``yearly_run`` computes the year (``run_compute.compute_run``) and, with
``commit``, writes it in one transaction: payments, sanctions, bans, status changes and the year's markers, in
bulk by default (``_fast_entries`` for plain payments, ``actions.sanctions._Pending`` for the rest).

The job row's own states (start, progress, finish, fail, retry) are ``ledger.transitions``, imported inside the
functions (``transitions`` imports this module to register ``ledger.yearly_run``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record
from jiangxin.platform.core.bulk import insert as insert_rows
from jiangxin.platform.core.bulk import without_cycle_collector
from jiangxin.platform.core.transitions import SYSTEM, transition
from jiangxin.platform.ledger import caps, engine
from jiangxin.platform.ledger.actions.sanctions import _apply_events, _Pending
from jiangxin.platform.ledger.base import LedgerError, _designation_model, _item_dicts, _require_office
from jiangxin.platform.ledger.models import EntryKind, LedgerEntry, RunJob, Sanction, YearApplied
from jiangxin.platform.ledger.run_compute import RunReport, compute_run
from jiangxin.policy import funding as f

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
    from jiangxin.platform.ledger import transitions as run_transitions

    _require_office(actor)
    started = time.perf_counter()

    def tell(phase: str, done: int, total: int) -> None:
        if job is not None and job.pk is not None:
            run_transitions.record_progress(job, actor=actor, phase=phase, done=done, total=total)
        if progress is not None:
            progress(phase, done, total)

    with without_cycle_collector():  # 100,000 items and their events held at once (see there)
        report, items = compute_run(program, year, progress=lambda done, total: tell("compute", done, total))
    report.commit = commit
    tell("compute", report.designations, report.designations)
    if not commit:
        return report
    on = on or timezone.localdate()
    with without_cycle_collector():
        _commit(program, year, report, items, actor=actor, job=job, on=on, bulk=bulk, tell=tell, started=started)
    return report


def _commit(program: str, year: int, report: RunReport, items: list[engine.Item], *, actor: Any,
            job: RunJob | None, on: dt.date, bulk: bool, tell: Callable[[str, int, int], None],
            started: float) -> None:
    """``yearly_run``'s writes, in one transaction (see there)."""
    from jiangxin.platform.ledger import transitions as run_transitions

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
        computed = report.statuses
        # a yellow card is lifted by the year's payment: those designations change status too
        changes = {it.designation_id for it in todo
                   if any(e.kind in ACTED_ON for e in it.events) or computed.get(it.designation_id) == "yellow_card"}
        objs: dict[int, Any] = {}
        change_ids = sorted(changes)
        for i in range(0, len(change_ids), 5000):
            # locked now: ``set_status_many`` takes these instances as they are (``loaded``)
            objs.update((d.pk, d) for d in designation_model.objects.select_for_update()
                        .filter(pk__any_of=change_ids[i:i + 5000]))
        from jiangxin.platform.designations.actions.status import _attach_holders

        _attach_holders(objs.values())  # one object per holder, not one joined copy per designation
        lazy = {d_id: None for d_id in ids if d_id not in objs}
        stubs = _stubs(designation_model, lazy)  # locked too: no status changes under the run until it commits
        _check_unchanged(computed, objs, stubs)
        entries: list[Any] = []  # LedgerEntry instances (from _apply_events) and rows (from _fast_entries)
        markers: list[dict[str, Any]] = []  # YearApplied rows, inserted without model instances
        pending = _Pending(entries=entries) if bulk else None
        item_dicts = _ItemDicts()
        paid_kind = EntryKind.REWARD if program in engine.REWARD_PROGRAMS else EntryKind.TRANCHE  # asked once
        total = len(todo)
        tell("commit", 0, total)
        for n, item in enumerate(todo):
            designation = objs.get(item.designation_id) or stubs[item.designation_id]
            dicts = item_dicts(item)
            if item.designation_id in objs:
                _apply_events(designation, item, actor=actor, decision=decision, on=on, new_entries=entries,
                              job=job, pending=pending, dicts=dicts)
            else:
                _fast_entries(designation, item, actor, entries, dicts, paid_kind)
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


def _check_unchanged(computed: Mapping[int, str], objs: Mapping[int, Any], stubs: Mapping[int, Any]) -> None:
    """Refuse the run when a designation's status, read under lock now, is not the one the computation saw (a
    revocation or a yellow card given on another page while the year was computed): the run applies only what it
    computed. Running the year again computes it afresh."""
    for rows in (objs, stubs):
        for pk, designation in rows.items():
            if designation.status != computed.get(pk):
                raise LedgerError(gettext("计算期间有命名的状态发生了变化（如被撤销或警告），本次运行未写入任何内容，"
                                          "请重新运行本年度。"))


def _check_run_caps(program: str, todo: list[engine.Item]) -> None:
    """Every payment of the run within the program's cap for its designation (``caps.check_many``)."""
    kind = EntryKind.REWARD if program in engine.REWARD_PROGRAMS else EntryKind.TRANCHE
    new: dict[int, dict[str, Decimal]] = {}
    for it in todo:
        paid = it.paid  # a property summing the events: asked once per item
        if paid > 0:
            new[it.designation_id] = {kind: paid}
    if new:
        caps.check_many(program, new, {it.designation_id: it.naming_year for it in todo})


class _ItemDicts:
    """``_item_dicts`` once per distinct answer of the memoised tranche machine (its items share their events
    tuple and state: a few dozen for 100,000 designations). The rows of the run share these dicts: nothing
    writes into them after this point (they are encoded to JSON as they are), so no copy is made."""

    def __init__(self) -> None:
        self.done: dict[tuple[int, int], tuple[Any, Any, tuple[list[dict[str, Any]], dict[str, Any] | None]]] = {}

    def __call__(self, item: engine.Item) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        key = (id(item.events), id(item.state))
        hit = self.done.get(key)
        if hit is None:  # the objects are kept with their dicts: their ids stay theirs during the run
            hit = self.done[key] = (item.events, item.state, _item_dicts(item))
        return hit[2]


class _Stub:
    """Enough of a designation to write its entries without loading the row (bulk path): its id, program,
    status and ``holder_label`` (the payee), as ``Designation.holder_label`` gives it."""

    __slots__ = ("holder_label", "pk", "program", "status")

    def __init__(self, pk: int, program: str, status: str, holder_label: str) -> None:
        self.pk, self.program, self.status, self.holder_label = pk, program, status, holder_label


def _stubs(model: Any, lazy: Mapping[int, None]) -> dict[int, Any]:
    """A ``_Stub`` per designation id in ``lazy``: the rows read as values and locked (``FOR NO KEY UPDATE``: a
    status change elsewhere waits for the run; the run's own references to them do not), the holders' names read
    once per holder (a few organisations hold thousands of designations)."""
    from jiangxin.platform.orgs.models import Organisation
    from jiangxin.platform.people.models import Person

    ids = list(lazy)
    rows: list[tuple[int, str, str, str, int | None, int | None]] = []
    for i in range(0, len(ids), 20000):
        rows.extend(model.objects.select_for_update(no_key=True).filter(pk__any_of=ids[i:i + 20000])
                    .values_list("pk", "program", "status", "name", "holder_org_id", "holder_person_id"))
    org_names = dict(Organisation.objects.filter(pk__any_of=sorted({r[4] for r in rows if r[4]}))
                     .values_list("pk", "name"))
    person_names = dict(Person.objects.filter(pk__any_of=sorted({r[5] for r in rows if not r[4] and r[5]}))
                        .values_list("pk", "name"))
    out: dict[int, Any] = {}
    for pk, program, status, name, org_id, person_id in rows:
        # ``Designation.holder_label``: the holder unit, else the holder person, else the designation's name
        label = org_names[org_id] if org_id else person_names[person_id] if person_id else name
        out[pk] = _Stub(pk, program, status, label)
    return out


def _fast_entries(designation: Any, item: engine.Item, actor: Any, entries: list[Any],
                  dicts: tuple[list[dict[str, Any]], dict[str, Any] | None] | None = None,
                  paid_kind: str | None = None) -> None:
    """A plain payment's entries as rows for ``insert_rows`` (no model instances: 100,000 of them add up).
    ``paid_kind``: the program's payment kind, when the caller looked it up once for the whole run."""
    evs, state = dicts or _item_dicts(item)
    for event, ev in zip(item.events, evs, strict=True):
        if event.kind is f.EventKind.TRANCHE_PAID and event.amount is not None:
            kind = paid_kind or (EntryKind.REWARD if designation.program in engine.REWARD_PROGRAMS
                                 else EntryKind.TRANCHE)
            reason = "一次性奖励" if kind == EntryKind.REWARD else f"第{event.tranche}笔命名补助"
            entries.append({"designation_id": designation.pk, "program": designation.program, "year": event.year,
                            "kind": kind, "amount": event.amount, "citation": event.citation.label[:200],
                            "reason": reason, "payee": designation.holder_label[:200],
                            "outcome": {"assessment": item.result, "fraud": item.fraud, "state": state, "event": ev},
                            "created_by_id": actor.pk if getattr(actor, "pk", None) else None})
