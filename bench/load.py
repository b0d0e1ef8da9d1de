"""Load test (not a test): `.venv/bin/python bench/load.py [--users 8] [--seconds 60]` after bench/province.py.

Needs the ``bench`` extra (`pip install -e '.[bench]'`: locust). Over the province data set (its dedicated
PostgreSQL database and fixed keys):

1. starts the production profile — ``jiangxin-serve --no-worker`` (migrate, collectstatic, load_programs,
   then gunicorn with 4 sync workers, DEBUG off, hashed static files, file cache) on a loopback port (plain
   http there, so no https redirect and no Secure cookie flag, as ``jiangxin-serve`` does on loopback);
   the login rate limits are raised so the load's sign-ins are not refused;
2. creates an API token for the office account (``api.services.create_token``);
3. runs locust headless for a fixed time: ``--users`` users (default 8), each signing in through the real
   login form (staff accounts without a second factor) and going round its pages (``PAGES``);
4. stops the server, then counts the database queries of each page once in this process with Django's test
   client (same settings, the same user signed in; ``CaptureQueriesContext``) and times that single request;
5. writes p50/p95/p99, requests per second, errors and queries per page to bench/results/load.json and a
   table to bench/results/load.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "bench"))
import province  # noqa: E402  (the data set's keys, accounts and password)

OFFICE, DISTRICT = "bench_office_nc", "bench_district_nc"
#: (name, user, kind, url): kind "page" (signed in), "api" (bearer token), "public" (anonymous)
PAGES = [
    ("people list", OFFICE, "page", "/people/"),
    ("trainee search ?q=", OFFICE, "page", "/academy/trainees/?q=王"),
    ("applications ?status=submitted", OFFICE, "page", "/applications/?status=submitted"),
    ("designations ?program=", OFFICE, "page", "/designations/?program=nanchang_academy"),
    ("my tasks (office)", OFFICE, "page", "/"),
    ("ledger", OFFICE, "page", "/ledger/"),
    ("dashboard", OFFICE, "page", "/dashboards/"),
    ("API applications", OFFICE, "api", "/api/v1/applications"),
    ("API rounds", OFFICE, "api", "/api/v1/rounds"),
    ("my tasks (district)", DISTRICT, "page", "/"),
    ("applications (district) ?status=submitted", DISTRICT, "page", "/applications/?status=submitted"),
    ("portal directory", "anonymous", "public", "/public/directory/"),
    ("public statistics dashboard", "anonymous", "public", "/public/statistics/"),
]


def server_env(url: str, var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(province.KEYS)
    env.update(DATABASE_URL=url, JIANGXIN_VAR_DIR=str(var_dir), DEBUG="0", JIANGXIN_SSL_REDIRECT="0",
               SECURE_COOKIES="0", JIANGXIN_LOGIN_PER_ADDRESS="100000", JIANGXIN_LOGIN_PER_ACCOUNT="100000",
               DJANGO_SETTINGS_MODULE="jiangxin.platform.settings")
    env.pop("JIANGXIN_PROFILE", None)
    return env


def wait_until_up(base: str, server: subprocess.Popen[bytes], seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("the server stopped before answering")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    sys.exit("the server did not answer in time")


def setup_django(env: dict[str, str]) -> None:
    os.environ.update({k: v for k, v in env.items() if k.startswith(("JIANGXIN", "DATABASE", "SECRET", "DEBUG",
                                                                     "SECURE", "DJANGO"))})
    os.environ["JIANGXIN_PROFILE"] = "production"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def make_tokens() -> dict[str, str]:
    from jiangxin.platform.accounts.models import User
    from jiangxin.platform.api.services import create_token

    return {OFFICE: create_token(User.objects.get(username=OFFICE), f"load test {dt.datetime.now():%H%M%S}")[1]}


def run_locust(base: str, users: int, seconds: int, tokens: dict[str, str], out: Path) -> None:
    env = dict(os.environ)
    env.update(LOAD_PASSWORD=province.PASSWORD, LOAD_TOKENS=json.dumps(tokens),
               LOAD_PAGES=json.dumps([{"name": n, "user": u, "kind": k, "url": url,
                                       "role": "anonymous" if u == "anonymous" else "staff"}
                                      for n, u, k, url in PAGES]))
    subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load_locustfile.py"), "--headless",
                    "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", base, "--csv", str(out),
                    "--only-summary", "--loglevel", "WARNING"], env=env, check=False)


def read_stats(prefix: Path) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]), "errors": int(row["Failure Count"]),
                "p50_ms": float(row["50%"] or 0), "p95_ms": float(row["95%"] or 0), "p99_ms": float(row["99%"] or 0),
                "mean_ms": round(float(row["Average Response Time"] or 0), 1),
                "req_per_s": round(float(row["Requests/s"] or 0), 2)}
    return rows


def count_queries(tokens: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Each page once through Django's test client with the load's user: its queries and its time alone."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jiangxin.platform.accounts.models import User

    clients: dict[str, Client] = {"anonymous": Client()}
    out: dict[str, dict[str, Any]] = {}
    for name, user, kind, url in PAGES:
        if user not in clients:
            clients[user] = Client()
            clients[user].force_login(User.objects.get(username=user))
        client = clients[user]
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[user]}"} if kind == "api" else {}
        client.get(url, **headers)  # warm (first use of templates, caches)
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            response = client.get(url, **headers)
            seconds = time.perf_counter() - t0
        out[name] = {"queries": len(captured), "status": response.status_code,
                     "alone_ms": round(seconds * 1000, 1), "bytes": len(response.content)}
    return out


def write_markdown(result: dict[str, Any], path: Path) -> None:
    lines = [f"# Load test ({result['measured_at']})", "",
             f"{result['users']} users for {result['seconds']} s against gunicorn ({result['server']}), "
             f"data set: {result['data_set']}. Queries and the single-request time come from a separate pass "
             f"(Django test client, the same settings). {result.get('note', '')}".rstrip(), "",
             "| page | requests | errors | req/s | p50 ms | p95 ms | p99 ms | queries | alone ms |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, row in result["pages"].items():
        lines.append(f"| {name} | {row.get('requests', 0)} | {row.get('errors', 0)} | {row.get('req_per_s', 0)} | "
                     f"{row.get('p50_ms', 0):g} | {row.get('p95_ms', 0):g} | {row.get('p99_ms', 0):g} | "
                     f"{row.get('queries', '')} | {row.get('alone_ms', '')} |")
    total = result["total"]
    lines += ["", f"Total: {total.get('requests', 0)} requests, {total.get('errors', 0)} errors, "
                  f"{total.get('req_per_s', 0)} req/s, p50 {total.get('p50_ms', 0):g} ms, "
                  f"p95 {total.get('p95_ms', 0):g} ms, p99 {total.get('p99_ms', 0):g} ms. Machine: "
                  f"{result['machine']['cpus']} CPUs, load average at the end "
                  f"{', '.join(str(x) for x in result['machine']['load_average_at_end'])} (other work shares it: "
                  "compare runs on the same machine state).", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=province.DEFAULT_URL)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--data-set", default="", help="what the database holds (for the report), e.g. 'scale 1.0'")
    parser.add_argument("--note", default="", help="a sentence for the report (what this run measures)")
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="jiangxin-load-"))
    env = server_env(args.database_url, var_dir)
    base = f"http://127.0.0.1:{args.port}"
    log = open(var_dir / "server.log", "wb")  # open while the server runs
    server = subprocess.Popen([sys.executable, "-m", "jiangxin.serve", "--no-worker", "--workers", str(args.workers),
                               "--bind", f"127.0.0.1:{args.port}"], env=env, stdout=log, stderr=log,
                              start_new_session=True)
    try:
        wait_until_up(base, server)
        setup_django(env)
        tokens = make_tokens()
        prefix = var_dir / "locust"
        run_locust(base, args.users, args.seconds, tokens, prefix)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        log.close()
    stats = read_stats(prefix)
    queries = count_queries(tokens)
    pages = {name: {"url": url, "user": user, **stats.get(name, {}), **queries.get(name, {})}
             for name, user, _kind, url in PAGES}
    logins = {k: v for k, v in stats.items() if k in ("login", "login form")}
    result = {"users": args.users, "seconds": args.seconds,
              "server": f"jiangxin-serve, gunicorn {args.workers} sync workers, DEBUG off, PostgreSQL",
              "data_set": args.data_set or "bench/province.py", "note": args.note, "pages": pages, "logins": logins,
              "total": stats.get("Aggregated", {}),
              "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
              "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    write_markdown(result, RESULTS / "load.md")
    print((RESULTS / "load.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
