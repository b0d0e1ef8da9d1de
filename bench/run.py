"""Policy-core benchmarks (not timed tests): run with `make bench` or `.venv/bin/python bench/run.py`.

Measures, on this machine:
  1. one 江苏 eligibility decision with its full trace (target ≤ 0.03 ms median);
  2. one 南昌工匠学院 tranche step with its events (cited trace);
  3. a yearly run over 100,000 academy/studio designations: each designation steps one year with its
     assessment result, producing events with citations (target ≤ 5 s);
and writes the figures to bench/results/policy.json.
"""

from __future__ import annotations

import json
import platform
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

from jiangxin.policy import funding
from jiangxin.policy.facts import parse_facts
from jiangxin.policy.registry import get_computation

RESULTS = Path(__file__).resolve().parent / "results"


def median_per_call(func: Any, *, calls: int = 2000, repeats: int = 15) -> float:
    """Median seconds per call over ``repeats`` batches of ``calls`` calls."""
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(calls):
            func()
        samples.append((time.perf_counter() - t0) / calls)
    return statistics.median(samples)


def bench_jiangsu_eligibility() -> dict[str, Any]:
    comp = get_computation("jiangsu_technician", "eligibility")
    facts = parse_facts(comp.facts, comp.example.get("facts", comp.example))
    params = comp.program.parameters()
    outcome = comp.func(facts, params)
    per_call = median_per_call(lambda: comp.func(facts, params))
    with_json = median_per_call(lambda: comp.func(facts, params).to_dict(), calls=500)
    # the API's response body: before, to_dict() rendered by Django Ninja (json.dumps); now outcome_json
    # (a converter per type compiled once, orjson) — the same JSON document
    from jiangxin.platform.api.outcome_json import outcome_json

    api_before = median_per_call(lambda: json.dumps(comp.func(facts, params).to_dict()), calls=500)
    api_now = median_per_call(lambda: outcome_json(comp.func(facts, params)), calls=2000)
    with_validation = median_per_call(lambda: comp.run(comp.example), calls=500)
    # a whole population: 1,000,000 decisions, each with its full trace (varied birth dates)
    import datetime as dt

    base = comp.example.get("facts", comp.example)
    people = [parse_facts(comp.facts, {**base, "birth_date": (dt.date(1965, 1, 1) + dt.timedelta(days=d)).isoformat()})
              for d in range(0, 7000, 7)]
    t0 = time.perf_counter()
    eligible = 0
    for i in range(1_000_000):
        eligible += comp.func(people[i % len(people)], params).status.value == "eligible"
    population = time.perf_counter() - t0
    return {"median_ms": per_call * 1000, "trace_steps": len(outcome.trace),
            "population_1m_seconds": population, "population_1m_eligible": eligible,
            "median_ms_including_json": with_json * 1000,
            "median_ms_api_json_before": api_before * 1000,
            "median_ms_api_json_now": api_now * 1000,
            "api_json_speedup": api_before / api_now,
            "median_ms_including_input_validation": with_validation * 1000,
            "target_ms": 0.03}


def _academy_plan(naming_year: int) -> funding.TranchePlan:
    from jiangxin.programs.nanchang_academy import funding as academy

    comp = get_computation("nanchang_academy", "tranche_schedule")
    params = comp.program.parameters()
    import datetime as dt

    plan, _ = funding.plan_from_parameters(params, dt.date(naming_year, 12, 31), naming_year,
                                           academy.TRANCHE_CITATIONS)
    return plan


def bench_tranche_step() -> dict[str, Any]:
    plan = _academy_plan(2024)
    s0 = funding.start(plan)
    s1, _ = funding.step(s0, 2024, None)
    per_call = median_per_call(lambda: funding.step(s1, 2025, True), calls=5000)
    return {"median_ms": per_call * 1000}


def bench_yearly_run(n: int = 100_000) -> dict[str, Any]:
    """Close the year 2027 for n designations named 2023–2026 with random assessment histories."""
    rng = random.Random(20261123)
    plans = {y: _academy_plan(y) for y in range(2023, 2027)}
    states = []
    for _ in range(n):
        year = rng.randrange(2023, 2027)
        state, _ = funding.step(funding.start(plans[year]), year, None)
        for y in range(year + 1, 2027):
            state, _ = funding.step(state, y, rng.random() < 0.85)
        states.append(state)
    results = [rng.random() < 0.85 for _ in range(n)]
    tracemalloc.start()
    t0 = time.perf_counter()
    events = 0
    paid = 0
    closed = []  # the run keeps every new state and its cited events, as the platform stores them
    for state, result in zip(states, results, strict=True):
        new, evs = funding.step(state, 2027, result)
        closed.append((new, evs))
        events += len(evs)
        paid += sum(1 for e in evs if e.kind is funding.EventKind.TRANCHE_PAID)
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # tracemalloc slows Python code down; measure again without it for the reported time.
    t0 = time.perf_counter()
    for state, result in zip(states, results, strict=True):
        funding.step(state, 2027, result)
    clean = time.perf_counter() - t0
    return {"designations": n, "seconds": clean, "seconds_under_tracemalloc": seconds,
            "events": events, "tranches_paid": paid, "peak_mib": peak / 2**20, "target_seconds": 5.0}


def main() -> int:
    report = {
        "python": sys.version.split()[0], "machine": platform.machine(),
        "jiangsu_eligibility": bench_jiangsu_eligibility(),
        "academy_tranche_step": bench_tranche_step(),
        "yearly_run_100k": bench_yearly_run(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "policy.json").write_text(json.dumps(report, indent=2) + "\n")
    j, t, y = report["jiangsu_eligibility"], report["academy_tranche_step"], report["yearly_run_100k"]
    print(f"江苏 eligibility with trace : {j['median_ms']:.4f} ms median ({j['trace_steps']} steps; "
          f"target {j['target_ms']} ms); with JSON {j['median_ms_including_json']:.4f} ms; "
          f"with input validation {j['median_ms_including_input_validation']:.4f} ms")
    print(f"江苏 eligibility API body   : {j['median_ms_api_json_before']:.4f} ms before (to_dict + json), "
          f"{j['median_ms_api_json_now']:.4f} ms now (outcome_json), {j['api_json_speedup']:.1f}× faster")
    print(f"江苏 eligibility, 1,000,000 : {j['population_1m_seconds']:.2f} s with a full trace each "
          f"({j['population_1m_eligible']} eligible)")
    print(f"academy tranche step        : {t['median_ms']:.4f} ms median")
    print(f"yearly run, 100,000         : {y['seconds']:.2f} s ({y['events']} events, "
          f"{y['tranches_paid']} tranches paid; peak {y['peak_mib']:.1f} MiB; target {y['target_seconds']} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
