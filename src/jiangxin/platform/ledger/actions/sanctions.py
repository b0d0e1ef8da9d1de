"""Sanctions and claw-back (处理与追回): a year's machine events turned into entries, sanctions, bans and
status changes (``_apply_events``, written now or collected in ``_Pending`` for the yearly run's bulk path), a
fraud finding (``find_fraud``, ``fraud_finding``), the ledger's record of a revocation decided elsewhere and the
claw-back of everything a designation holds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.core.bulk import insert as insert_rows
from jiangxin.platform.core.transitions import SYSTEM, transition
from jiangxin.platform.ledger import engine
from jiangxin.platform.ledger.base import (
    RUN_STATUSES,
    LedgerError,
    _entry,
    _history,
    _item_dicts,
    _require_office,
)
from jiangxin.platform.ledger.models import (
    EntryKind,
    LedgerEntry,
    RunJob,
    Sanction,
    SanctionKind,
    YearApplied,
)
from jiangxin.platform.ledger.selectors import balance
from jiangxin.policy import funding as f


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
                                 "citation": citation, "outcome": outcome, "from_status": designation.status})
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
        # the yearly run read (and locked) these designations, holders attached: not read again
        desig.set_status_many(self.statuses, actor=actor, on=on, loaded=True)


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
