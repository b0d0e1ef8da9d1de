"""`jiangxin` command line.

    jiangxin rules list                                    every program and computation
    jiangxin rules params <program>                        the program's dated parameters (JSON)
    jiangxin rules <program> <computation> --input f.json  the Outcome as JSON (value, status, trace)
          [--set name=value ...]                           office-set values for parameters left open
    jiangxin rules docs                                    regenerate docs/rules-api.md content on stdout
    jiangxin screen <program> <computation> --input people.csv|xlsx --plan-year 2027
          [--as-of 2026-12-01] [--output result.csv|xlsx] [--only all|eligible|near]
                                                           screen a whole population column-wise (筛查)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jiangxin.policy.errors import FactsError, PolicyError
from jiangxin.policy.registry import PROGRAMS, all_computations, get_computation
from jiangxin.screening_table import TableError


def _parse_set(items: Sequence[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        if not sep:
            raise PolicyError(f"--set expects name=value, got {item!r}")
        try:
            values[name] = json.loads(raw)
        except json.JSONDecodeError:
            values[name] = raw
    return values


def _rules(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    if argv[0] == "list":
        for c in all_computations():
            print(f"{c.program.key:20} {c.name:28} {c.title}  [{c.citation.label}]")
        return 0
    if argv[0] == "params":
        all_computations()
        if len(argv) != 2 or argv[1] not in PROGRAMS:
            raise PolicyError(f"usage: jiangxin rules params <program>; programs: {', '.join(sorted(PROGRAMS))}")
        print(json.dumps(PROGRAMS[argv[1]].parameters().describe(), ensure_ascii=False, indent=2))
        return 0
    if argv[0] == "docs":
        from jiangxin.policy.apidocs import render_rules_api

        sys.stdout.write(render_rules_api())
        return 0
    parser = argparse.ArgumentParser(prog="jiangxin rules")
    parser.add_argument("program")
    parser.add_argument("computation")
    parser.add_argument("--input", required=True, help="facts JSON file, or - for standard input")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="office-set value for a parameter (repeatable)")
    parser.add_argument("--reference", default="", help="the office notice the --set values come from")
    args = parser.parse_args(argv)
    comp = get_computation(args.program, args.computation)
    text = sys.stdin.read() if args.input == "-" else Path(args.input).read_text(encoding="utf-8")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FactsError([("(input)", f"valid JSON ({exc.msg} at line {exc.lineno})")]) from None
    outcome = comp.run(raw, _parse_set(args.set), args.reference)
    print(outcome.to_json(indent=2))
    return 0


def _screen(argv: list[str]) -> int:
    import datetime as dt
    import time

    from jiangxin.policy.screening import get_screener
    from jiangxin.screening_table import read_table, summary, write_result

    parser = argparse.ArgumentParser(prog="jiangxin screen")
    parser.add_argument("program")
    parser.add_argument("computation")
    parser.add_argument("--input", required=True, help="CSV or XLSX, one person per row (column names or labels)")
    parser.add_argument("--plan-year", type=int, required=True)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--output", help="write each row's result to this CSV or XLSX")
    parser.add_argument("--only", choices=["all", "eligible", "near"], default="all")
    args = parser.parse_args(argv)
    screener = get_screener(args.program, args.computation)
    columns, keys = read_table(screener, Path(args.input))
    started = time.perf_counter()
    result = screener.run(columns, get_computation(args.program, args.computation).program.parameters(),
                          args.as_of, args.plan_year)
    report = summary(screener, result) | {"rule_seconds": round(time.perf_counter() - started, 3)}
    if args.output:
        report["written"] = write_result(Path(args.output), result, keys, args.only)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print("usage: jiangxin rules ... | jiangxin screen ...   (see: jiangxin rules --help)")
        return 0
    if args[0] not in {"rules", "screen"}:
        print(f"unknown command {args[0]!r}; try: jiangxin rules --help", file=sys.stderr)
        return 2
    try:
        return _rules(args[1:]) if args[0] == "rules" else _screen(args[1:])
    except FactsError as exc:
        print(json.dumps({"error": "invalid facts", "problems": [
            {"field": f, "expected": e} for f, e in exc.problems]}, ensure_ascii=False, indent=2),
            file=sys.stderr)
        return 2
    except TableError as exc:
        print(json.dumps({"error": "unreadable table", "problems": [
            {"row": r, "column": c, "problem": m} for r, c, m in exc.problems]}, ensure_ascii=False, indent=2),
            file=sys.stderr)
        return 2
    except (PolicyError, OSError) as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False), file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
