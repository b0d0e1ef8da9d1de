"""Money never above entitlement (资金不超过核定额度): the check every ledger posting passes before it is written.

A posting (a positive entry) is refused — :class:`~jiangxin.platform.core.transitions.TransitionRefused` with the
article, nothing written — when, together with what the designation already holds of that kind:

- **tranche** (命名补助): it exceeds the tranche plan's total (南昌工匠学院办法 第二十条 / 创新工作室办法 第十一条);
- **reward** (一次性奖励): it exceeds the one reward per person (赣州工匠办法 第八条);
- **per_head** (按人核拨经费): it exceeds, for that year, the passing count on the records × the per-head rate
  (江苏卓越技师办法 第二十二条). A designation is one trainee: at most one head a year, and only for a year in
  which the cultivation records show the trainee passed (when the cultivation app has enrolments for it);
- **subsidy** (单项补助): it exceeds what the claim's computation granted.

Negative entries (claw-backs, reversals) only ever reduce money and are not capped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.ledger import engine
from jiangxin.platform.ledger.base import LedgerError
from jiangxin.platform.ledger.models import EntryKind, LedgerEntry
from jiangxin.policy.outcome import Citation

ZERO = Decimal("0.00")


def _refuse(what: str, entitled: Decimal, booked: Decimal, amount: Decimal, citation: str) -> TransitionRefused:
    return LedgerError(
        _("%(what)s核定额度为 %(entitled)s 元，已入账 %(booked)s 元，本次 %(amount)s 元，超出 %(over)s 元，不予入账。")
        % {"what": what, "entitled": entitled, "booked": booked, "amount": amount,
           "over": booked + amount - entitled}, citations=[citation])


def tranche_total(program: str, naming_year: int) -> tuple[Decimal, str]:
    plan = engine.Planner(program, engine.program_parameters(program)).plan(naming_year)
    return plan.total, plan.citations.first_tranche.label


def reward_amount(program: str, year: int) -> tuple[Decimal, str]:
    import datetime as dt

    outcome = engine.reward_outcome(program, dt.date(year, 12, 31), None)
    cited = outcome["trace"][-1]["citation"]
    label = Citation(cited["document"], cited["article"], cited.get("clause", "")).label
    return Decimal(outcome["value"]["per_person"]), label


#: where a trainee's passing results are kept: set by the app that keeps them (the cultivation app, when installed,
#: registers :func:`jiangxin.platform.cultivation.ledger_source.passing_counts` in its AppConfig.ready)
_passing_source: Any = None


def set_passing_source(source: Any) -> None:
    """``source(designation_id, year) -> {track: passing count} | None`` (None: no enrolment on record)."""
    global _passing_source
    _passing_source = source


def passing_records(designation: Any, year: int) -> dict[str, int] | None:
    """Passing enrolments of the designation's trainee in ``year`` by track (None: no enrolment on record)."""
    if _passing_source is None:
        return None
    records: dict[str, int] | None = _passing_source(designation.pk, year)
    return records


def per_head_entitlement(designation: Any, year: int, lines: Iterable[Mapping[str, Any]]) -> Decimal:
    """The year's entitlement: the lines' rates × the passing count on the records (one head at most)."""
    records = passing_records(designation, year)
    heads_left = 1
    entitled = ZERO
    for ln in sorted(lines, key=lambda x: str(x.get("track", ""))):
        if int(ln["year"]) != year:
            continue
        track = str(ln.get("track", ""))
        passing = int(ln.get("passing", 0))
        if records is not None:
            passing = min(passing, records.get(track, 0))
        heads = min(passing, heads_left)
        heads_left -= heads
        entitled += Decimal(str(ln["rate"])) * heads
    return entitled.quantize(Decimal("0.01"))


def _per_head_citation(designation: Any) -> str:
    """The article of the computation the program declares for per-head money (``funding.per_head``)."""
    from jiangxin.platform.rounds.catalog import declaration
    from jiangxin.policy.registry import get_computation

    name = declaration(designation.program).funding.per_head
    return get_computation(designation.program, name).citation.label if name else ""


def check_posting(designation: Any, *, kind: str, year: int, amount: Decimal,
                  outcome: Mapping[str, Any] | None = None) -> None:
    """Refuse a posting above the program's cap or the computation's entitlement (see the module docstring)."""
    if amount <= 0:
        return
    held = LedgerEntry.objects.filter(designation_id=designation.pk)
    if kind == EntryKind.TRANCHE and designation.program in engine.TRANCHE_PROGRAMS:
        total, label = tranche_total(designation.program, designation.year)
        booked = held.filter(kind__in=(EntryKind.TRANCHE,)).balance()
        if booked + amount > total:
            raise _refuse(_("命名补助"), total, booked, amount, label)
    elif kind == EntryKind.REWARD and designation.program in engine.REWARD_PROGRAMS:
        total, label = reward_amount(designation.program, designation.year)
        booked = held.filter(kind=EntryKind.REWARD).balance()
        if booked + amount > total:
            raise _refuse(_("一次性奖励"), total, booked, amount, label)
    elif kind == EntryKind.PER_HEAD:
        lines = (outcome or {}).get("value", {}).get("lines", [])
        entitled = per_head_entitlement(designation, year, lines)
        booked = held.filter(kind=EntryKind.PER_HEAD, year=year).balance()
        if booked + amount > entitled:
            raise _refuse(_("按验收合格人数核定的培育经费"), entitled, booked, amount, _per_head_citation(designation))
    elif kind == EntryKind.SUBSIDY:
        value = (outcome or {}).get("value", {})
        granted = Decimal(str(value.get("granted") or value.get("total") or "0"))
        if amount > granted:
            label = ""
            trace = (outcome or {}).get("trace") or []
            if trace:
                label = str(trace[-1].get("citation", {}).get("label", ""))
            raise _refuse(_("单项补助"), granted, ZERO, amount, label)


def check_many(program: str, new: Mapping[int, Mapping[str, Decimal]], naming_years: Mapping[int, int]) -> None:
    """``check_posting`` for the yearly run's bulk rows: ``new`` = designation id → kind → amount of this run.
    One grouped query for what the designations already hold."""
    ids = list(new)
    booked: dict[tuple[int, str], Decimal] = {}
    for i in range(0, len(ids), 20000):
        for d_id, kind, s in (LedgerEntry.objects.filter(designation_id__any_of=ids[i:i + 20000],
                                                        kind__in=(EntryKind.TRANCHE, EntryKind.REWARD))
                              .values_list("designation_id", "kind").annotate(s=Sum("amount"))):
            booked[(d_id, kind)] = Decimal(s or 0)
    caps: dict[tuple[str, int], tuple[Decimal, str]] = {}
    tranches, rewards = program in engine.TRANCHE_PROGRAMS, program in engine.REWARD_PROGRAMS  # asked once
    for d_id, kinds in new.items():
        for kind, amount in kinds.items():
            if amount <= 0:
                continue
            if kind == EntryKind.TRANCHE and tranches:
                key = (kind, naming_years[d_id])
                if key not in caps:
                    caps[key] = tranche_total(program, naming_years[d_id])
            elif kind == EntryKind.REWARD and rewards:
                key = (kind, naming_years[d_id])
                if key not in caps:
                    caps[key] = reward_amount(program, naming_years[d_id])
            else:
                continue
            total, label = caps[key]
            already = booked.get((d_id, kind), ZERO)
            if already + amount > total:  # translated only when refused (100,000 rows pass)
                what = _("命名补助") if kind == EntryKind.TRANCHE else _("一次性奖励")
                raise _refuse(what, total, already, amount, label)
