"""Where a page's time goes (not a test): `.venv/bin/python bench/page_queries.py NAME [NAME ...]`.

Over the province data set (bench/province.py), with the load test's settings, user and token
(bench/load.py), requests each named page of ``load.PAGES`` twice (the first warms the caches) and prints the
second request's time and every query with its own time, slowest first. ``--all`` takes every page.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import load  # noqa: E402  (the pages, their users and the server's settings)
import province  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="page names as in load.PAGES (a prefix is enough)")
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--full", action="store_true", help="print whole statements")
    parser.add_argument("--explain", type=float, default=0, metavar="MS",
                        help="print PostgreSQL's EXPLAIN ANALYZE of every SELECT slower than MS milliseconds")
    parser.add_argument("--database-url", default=province.DEFAULT_URL)
    parser.add_argument("--profile", choices=("tottime", "cumulative"), help="print the request's cProfile (top 30)")
    args = parser.parse_args()
    load.setup_django(load.server_env(args.database_url, Path(tempfile.mkdtemp(prefix="jiangxin-pages-"))))
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jiangxin.platform.accounts.models import User

    call_command("collectstatic", interactive=False, verbosity=0)  # the production profile's hashed files
    tokens = load.make_tokens()
    for name, user, kind, url in load.PAGES:
        if not args.all and not any(name.startswith(n) for n in args.names):
            continue
        client = Client()
        if user != "anonymous":
            client.force_login(User.objects.get(username=user))
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[user]}"} if kind == "api" else {}
        client.get(url, **headers)
        profiler = cProfile.Profile() if args.profile else None
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            if profiler is not None:
                profiler.enable()
            response = client.get(url, **headers)
            if profiler is not None:
                profiler.disable()
            total = (time.perf_counter() - t0) * 1000
        in_db = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        print(f"\n== {name} {url}: HTTP {response.status_code}, {total:.1f} ms, {len(captured)} queries "
              f"({in_db:.1f} ms in the database), {len(response.content):,} bytes")
        if profiler is not None:
            pstats.Stats(profiler).sort_stats(args.profile).print_stats(80)
        for q in sorted(captured.captured_queries, key=lambda q: -float(q["time"])):
            print(f"  {float(q['time']) * 1000:8.1f} ms  {q['sql'] if args.full else q['sql'][:400]}")
            if args.explain and float(q["time"]) * 1000 >= args.explain and q["sql"].startswith("SELECT"):
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {q['sql']}")
                    print("\n".join(f"      | {row[0]}" for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
