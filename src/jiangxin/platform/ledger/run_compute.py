"""The yearly run computed, nothing written: ``compute_run`` (what the run would do, its report; the yearly
run's compute phase) and ``what_if`` (the year under changed parameters or another pass mark, beside the real
outcome). ``_results`` is the year's assessment results (tests and benchmarks replace it here).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from jiangxin.platform.ledger import engine
from jiangxin.platform.ledger.base import RUN_STATUSES, ZERO, _designation_model, _history
from jiangxin.platform.ledger.models import EntryKind, LedgerEntry, YearApplied
from jiangxin.platform.ledger.selectors import budget_warning
from jiangxin.policy import funding as f
from jiangxin.policy.outcome import Citation


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
    #: each designation's status when the run was computed (the commit checks none has changed since)
    statuses: dict[int, str] = dataclasses.field(default_factory=dict, repr=False)

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
    report.statuses = {d_id: status for d_id, _year, status in rows}
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
