"""Scale-out: two app servers and two workers on one PostgreSQL and one Redis. A user signs in on one server and
carries on on the other; a trainee import started on one is followed on the other; a worker killed mid-import
leaves nothing partial and the job ends correctly on the other worker; rate limits and caches hold across servers.

Runs where PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer, as in .ci/run; skipped elsewhere."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator

import pytest
import requests
import scale_cluster
from scale_cluster import Cluster, sign_in, wait_for

from jiangxin.platform.demo.data import DEMO_PASSWORD

if not (scale_cluster.answers(5432) and scale_cluster.answers(6379)):
    pytest.skip("the scale-out test needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379",
                allow_module_level=True)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    cluster_gen = scale_cluster.build_cluster(tmp_path_factory.mktemp("cluster"))
    cluster = next(cluster_gen)
    cluster.start_server()
    cluster.start_server()
    cluster.start_worker("worker-a")
    cluster.start_worker("worker-b")
    yield cluster
    next(cluster_gen, None)


def test_a_session_started_on_one_server_carries_on_on_the_other(cluster: Cluster) -> None:
    first, second = cluster.servers
    session = sign_in(first, "demo_office_nc", DEMO_PASSWORD)
    page = session.get(f"{second}/", timeout=30, allow_redirects=False)
    assert page.status_code == 200 and "/accounts/logout/" in page.text  # signed in there too: no redirect


def test_healthz_on_every_server_sees_the_shared_services(cluster: Cluster) -> None:
    for server in cluster.servers:
        body = requests.get(f"{server}/healthz", timeout=30).json()
        assert body["status"] == "ok" and all(c["ok"] for c in body["checks"].values())


def test_rate_limits_hold_across_servers(cluster: Cluster) -> None:
    """Failed sign-ins for one account are counted in the shared database, whichever server answers."""
    first, second = cluster.servers
    statuses = []
    for attempt in range(12):
        server = (first, second)[attempt % 2]
        session = requests.Session()
        page = session.get(f"{server}/accounts/login/", timeout=30)
        token = scale_cluster.re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token
        answer = session.post(f"{server}/accounts/login/", data={
            "username": "no_such_user_scale", "password": "Wrong-password-1", "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": f"{server}/accounts/login/"}, timeout=30, allow_redirects=False)
        statuses.append(answer.status_code)
    assert statuses[0] == 200 and statuses[-1] == 429, statuses


def _job_row(cluster: Cluster, job_id: int) -> tuple[str, int, int]:
    import psycopg

    with psycopg.connect(cluster.env["DATABASE_URL"].replace("postgres://", "postgresql://")) as db:
        row = db.execute("SELECT status, processed, attempts FROM academy_importjob WHERE id = %s", (job_id,)).fetchone()
        assert row is not None
        return str(row[0]), int(row[1]), int(row[2])


def _busy_imports(cluster: Cluster) -> int:
    import psycopg

    with psycopg.connect(cluster.env["DATABASE_URL"].replace("postgres://", "postgresql://")) as db:
        row = db.execute("SELECT count(*) FROM academy_importjob WHERE status IN ('queued', 'running')").fetchone()
        return int(row[0]) if row else 0


def _trainees(cluster: Cluster, job_id: int) -> int:
    import psycopg

    with psycopg.connect(cluster.env["DATABASE_URL"].replace("postgres://", "postgresql://")) as db:
        row = db.execute("SELECT count(*) FROM academy_trainee WHERE import_job_id = %s", (job_id,)).fetchone()
        return int(row[0]) if row else 0


def _worker_running(cluster: Cluster) -> subprocess.Popen[bytes] | None:
    """The started worker whose RQ process is busy with a job now (the worker or its work-horse child)."""
    import redis
    from rq import Worker

    connection = redis.Redis.from_url(cluster.env["REDIS_URL"])
    busy = {w.pid for w in Worker.all(connection=connection) if w.get_current_job_id()}
    return next((w for w in cluster.workers if w.pid in busy and w.poll() is None), None)


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat", encoding="ascii", errors="replace").read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def test_an_import_started_on_one_server_is_followed_on_the_other_and_survives_a_killed_worker(
        cluster: Cluster) -> None:
    from academy_helpers import csv_bytes, ids, row

    first, second = cluster.servers
    wait_for(lambda: _busy_imports(cluster) == 0, 600, "the demo's own imports to finish on the workers")
    session = sign_in(first, "demo_unit_nc", DEMO_PASSWORD)
    token = scale_cluster.csrf_from(session, first, "/academy/trainees/")
    rows = 60_000
    data = csv_bytes([row(n) for n in ids(rows, seed=23)])
    started = session.post(f"{first}/academy/trainees/import/", data={"csrfmiddlewaretoken": token},
                           files={"file": ("学员.csv", data, "text/csv")},
                           headers={"Referer": f"{first}/academy/trainees/"}, timeout=120, allow_redirects=False)
    if "/academy/trainees/imports/" not in started.headers.get("Location", ""):
        refusal = session.get(f"{first}/academy/trainees/", timeout=30).text
        messages = scale_cluster.re.findall(r'class="messages?[^"]*"[^>]*>(.*?)</', refusal, scale_cluster.re.S)
        raise AssertionError(f"import refused: {started.status_code} {messages}")
    job_url = started.headers["Location"]
    job_id = int(job_url.rstrip("/").rsplit("/", 1)[1])
    # followed on the other server (the session lives in Redis): running, rows staged, none visible yet
    wait_for(lambda: session.get(f"{second}{job_url}", timeout=30).status_code == 200
             and _job_row(cluster, job_id)[0] == "running" and _job_row(cluster, job_id)[1] > 0,
             600, "the import to run on a worker")
    assert _trainees(cluster, job_id) == 0
    victim = wait_for(lambda: _worker_running(cluster), 60, "the busy worker")
    # the machine running it dies: the worker and its work horse (RQ runs each job in a forked child of its own
    # session, so the worker's process group does not reach it)
    for pid in _children(victim.pid):
        os.kill(pid, signal.SIGKILL)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    # the page on the other server finds the dead job (stale heartbeat), rolls it back and queues it again; the
    # surviving worker takes it and finishes it
    wait_for(lambda: session.get(f"{second}{job_url}", timeout=30) is not None
             and _job_row(cluster, job_id)[0] == "succeeded", 900, "the job to finish on the other worker", every=2)
    status, _processed, attempts = _job_row(cluster, job_id)
    assert (status, attempts) == ("succeeded", 2)
    assert _trainees(cluster, job_id) == rows  # every row exactly once, nothing of the dead attempt
    page = session.get(f"{first}{job_url}", timeout=30)
    assert page.status_code == 200
