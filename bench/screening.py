"""Screening benchmark (筛查): the Jiangsu eligibility rule over 1,000,000 people, column-wise, against the
per-person computation; writes bench/results/screening.json.

    .venv/bin/python bench/screening.py [--people 1000000]

Goal (issue 14): the rule itself over 1,000,000 people in ≤ 0.6 s. Reported: best and median wall-clock seconds of
5 runs, CPU seconds, and the per-person computation's time on a sample, extrapolated to the same population."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "policy"))

from test_screening_jiangsu import population  # noqa: E402  (the property test's random population)

from jiangxin.policy.registry import get_computation  # noqa: E402
from jiangxin.policy.screening import get_screener  # noqa: E402

AS_OF, PLAN_YEAR = dt.date(2026, 12, 1), 2027


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    args = parser.parse_args()
    screener = get_screener("jiangsu_technician", "eligibility")
    computation = get_computation("jiangsu_technician", "eligibility")
    params = computation.program.parameters()
    columns = population(11, args.people)
    screener.run(columns, params, AS_OF, PLAN_YEAR)  # warm-up (civil-date table, parameter bundle)
    walls, cpus = [], []
    for _ in range(5):
        wall, cpu = time.perf_counter(), time.process_time()
        result = screener.run(columns, params, AS_OF, PLAN_YEAR)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    sample = 2000
    facts = [computation.facts.model_validate(screener.to_facts(columns, i, AS_OF, PLAN_YEAR)) for i in range(sample)]
    started = time.perf_counter()
    for f in facts:
        computation.func(f, params)
    per_person = (time.perf_counter() - started) / sample
    report = {
        "what": "jiangsu_technician/eligibility screened column-wise",
        "people": args.people, "eligible": int(result.eligible.sum()), "one_short": int(result.near.sum()),
        "rule_seconds_best": round(min(walls), 3), "rule_seconds_median": round(statistics.median(walls), 3),
        "rule_cpu_seconds_best": round(min(cpus), 3),
        "per_person_computation_seconds": round(per_person, 7),
        "per_person_extrapolated_seconds": round(per_person * args.people, 1),
        "goal_seconds": 0.6, "python": platform.python_version(), "machine": platform.machine(),
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    out = ROOT / "bench" / "results" / "screening.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
