"""The database's own floor for a committed yearly run (not a timed test):
`.venv/bin/python bench/yearly_run_floor.py --database-url postgres://postgres@127.0.0.1:5432/jiangxin_yearly`.

Run it after `bench/yearly_run_db.py --database-url …` on the same database: that benchmark leaves the years
2024–2026 applied there. This script takes the rows the run of ``--year`` wrote (ledger entries, year markers,
sanctions, designation status events, status and directory audit records) and the rows it changed (designations,
directory entries), and writes them again as plain SQL inside one transaction — ``INSERT … SELECT`` from
copies already in the database, one ``UPDATE`` per table — with no reads, no computation and nothing sent from
Python. The deferred foreign-key checks that a commit runs are fired with ``SET CONSTRAINTS ALL IMMEDIATE``,
then everything is rolled back (the benchmark database stays as it was).

That time is a lower bound for any client of this schema in one transaction on this machine: what PostgreSQL
spends storing the rows, their indexes, their WAL and their foreign-key checks. The same replay is repeated
without the foreign-key constraints of the written tables (dropped inside the rolled-back transaction), to show
their share.

Writes bench/results/yearly_run_floor_postgresql.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

#: the tables the run writes; foreign keys of these are dropped in the variant without them
WRITTEN = ("ledger_ledgerentry", "ledger_yearapplied", "ledger_sanction", "designations_designationevent",
           "audit_auditevent", "portal_publiclisting", "designations_designation")

STAGE = """
CREATE TEMP TABLE f_entry AS SELECT * FROM ledger_ledgerentry WHERE year = %(year)s AND program = %(program)s;
CREATE TEMP TABLE f_marker AS SELECT * FROM ledger_yearapplied WHERE year = %(year)s AND program = %(program)s
    AND kind = 'run';
CREATE TEMP TABLE f_sanction AS SELECT s.* FROM ledger_sanction s JOIN designations_designation d
    ON d.id = s.designation_id WHERE s.year = %(year)s AND d.program = %(program)s;
CREATE TEMP TABLE f_event AS SELECT e.* FROM designations_designationevent e JOIN designations_designation d
    ON d.id = e.designation_id WHERE e.kind = 'status' AND e.effective_on = %(on)s AND d.program = %(program)s;
CREATE TEMP TABLE f_changed AS SELECT DISTINCT designation_id AS id FROM f_event;
CREATE TEMP TABLE f_listing AS SELECT l.id FROM portal_publiclisting l JOIN f_changed c
    ON l.source_key = 'designation:' || c.id;
CREATE TEMP TABLE f_audit AS SELECT a.* FROM audit_auditevent a
    WHERE a.action IN ('designations.status', 'portal.listing.publish')
    AND a.at BETWEEN (SELECT min(at) FROM f_event) AND (SELECT max(at) FROM audit_auditevent
                                                        WHERE action = 'ledger.yearly_run');
ANALYZE f_entry; ANALYZE f_marker; ANALYZE f_sanction; ANALYZE f_event; ANALYZE f_changed; ANALYZE f_listing;
ANALYZE f_audit;
"""

#: (what, statement): the run's writes again, as the run orders them; years moved by 10 so that the unique
#: year markers do not collide with the real ones
REPLAY = (
    ("ledger entries", """INSERT INTO ledger_ledgerentry (program, year, kind, amount, citation, reason, payee,
        outcome, created_at, batch_id, created_by_id, designation_id, reverses_id, claim_id)
        SELECT program, year + 10, kind, amount, citation, reason, payee, outcome, now(), batch_id, created_by_id,
        designation_id, reverses_id, claim_id FROM f_entry ORDER BY id"""),
    ("sanctions", """INSERT INTO ledger_sanction (year, kind, reason, citation, decision_reference, outcome, ban_id,
        created_at, actor_id, designation_id, entry_id)
        SELECT year + 10, kind, reason, citation, decision_reference, outcome, ban_id, now(), actor_id,
        designation_id, entry_id FROM f_sanction ORDER BY id"""),
    ("designation status", """UPDATE designations_designation SET status = CASE WHEN status = 'cycle_complete'
        THEN 'active' ELSE 'cycle_complete' END, status_reason = status_reason || '.',
        status_changed_on = status_changed_on + 3650, updated_at = now() WHERE id IN (SELECT id FROM f_changed)"""),
    ("designation events", """INSERT INTO designations_designationevent (at, effective_on, kind, from_status,
        to_status, reason, citation, outcome, data, actor_id, designation_id)
        SELECT now(), effective_on + 3650, kind, from_status, to_status, reason, citation, outcome, data, actor_id,
        designation_id FROM f_event ORDER BY id"""),
    ("audit records", """INSERT INTO audit_auditevent (at, actor_name, action, object_type, object_id, summary,
        before, after, address, prev_hash, hash, actor_id, request_id)
        SELECT now(), actor_name, action, object_type, object_id, summary, before, after, address, prev_hash,
        encode(sha256(hash::bytea), 'hex'), actor_id, request_id FROM f_audit ORDER BY id"""),
    ("directory entries", """UPDATE portal_publiclisting SET status = left(status, 40) || '.', updated_at = now()
        WHERE id IN (SELECT id FROM f_listing)"""),
    ("year markers", """INSERT INTO ledger_yearapplied (program, year, kind, result, events, state, created_at,
        designation_id, job_id)
        SELECT program, year + 10, kind, result, events, state, now(), designation_id, job_id FROM f_marker
        ORDER BY id"""),
    ("foreign-key checks (the commit's)", "SET CONSTRAINTS ALL IMMEDIATE"),
)


def replay(conn: Any, *, without_foreign_keys: bool) -> dict[str, float]:
    """The timed writes in one transaction, rolled back; seconds per step."""
    timings: dict[str, float] = {}
    conn.execute("CHECKPOINT")  # every run starts from the same clean buffers
    with conn.transaction(force_rollback=True):
        if without_foreign_keys:
            drops = conn.execute("""SELECT format('ALTER TABLE %%I DROP CONSTRAINT %%I', conrelid::regclass::text,
                                    conname) FROM pg_constraint WHERE contype = 'f'
                                    AND conrelid::regclass::text = ANY(%s)""", (list(WRITTEN),)).fetchall()
            for (statement,) in drops:
                conn.execute(statement)
        for what, statement in REPLAY:
            started = time.perf_counter()
            conn.execute(statement)
            timings[what] = round(time.perf_counter() - started, 3)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True, help="the database bench/yearly_run_db.py filled")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--program", default="nanchang_academy")
    parser.add_argument("--repeat", type=int, default=3, help="replays per variant (the fastest is kept)")
    args = parser.parse_args()
    import psycopg

    on = dt.date(args.year, 12, 20)  # the run date bench/yearly_run_db.py uses
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        # several statements with parameters: bound on the client
        psycopg.ClientCursor(conn).execute(STAGE, {"year": args.year, "program": args.program, "on": on})
        rows = {name: conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]  # the fixed names above
                for name in ("f_entry", "f_marker", "f_sanction", "f_event", "f_changed", "f_listing", "f_audit")}
        if not rows["f_entry"]:
            raise SystemExit(f"no {args.year} run in this database: run bench/yearly_run_db.py on it first")
        variants: dict[str, Any] = {}
        for name, without in (("as_written", False), ("without_foreign_keys", True)):
            runs = [replay(conn, without_foreign_keys=without) for _ in range(args.repeat)]
            best = min(runs, key=lambda r: sum(r.values()))
            variants[name] = {"seconds": round(sum(best.values()), 3), "steps": best,
                              "all_runs_seconds": [round(sum(r.values()), 3) for r in runs]}
    committed = None
    measured = RESULTS / "yearly_run_db_postgresql.json"
    if measured.exists():
        years = json.loads(measured.read_text()).get("years", [])
        committed = next((y["commit_seconds"] for y in years if y["year"] == args.year), None)
    result = {
        "what": "the database's own time to write the rows one committed yearly run writes (no reads, no "
                "computation, nothing sent from Python), in one transaction, rolled back",
        "program": args.program, "year": args.year,
        "rows": {"ledger entries": rows["f_entry"], "year markers": rows["f_marker"],
                 "sanctions": rows["f_sanction"], "designation events": rows["f_event"],
                 "designations changed": rows["f_changed"], "directory entries changed": rows["f_listing"],
                 "audit records": rows["f_audit"]},
        "variants": variants,
        "committed_run_seconds": committed,
        "target_seconds": 5,
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "yearly_run_floor_postgresql.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
