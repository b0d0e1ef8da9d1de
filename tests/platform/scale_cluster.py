"""A small cluster on this machine for the scale-out test: two gunicorn app servers on their own ports and two RQ
workers, all on one new PostgreSQL database and one Redis database, started as an operator would (production
profile, environment variables only) and stopped by the fixture."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

REDIS_DB = 12  # kept apart from the other tests and from a developer's Redis data


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], Any], timeout: float, what: str, every: float = 0.2) -> Any:
    """Poll ``condition`` until it returns something truthy; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@dataclass
class Cluster:
    env: dict[str, str]
    var_dir: Path
    servers: list[str] = field(default_factory=list)
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def admin(self, *args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "jiangxin.platform.manage", *args], env=self.env,
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, (args, result.stdout[-1500:], result.stderr[-3000:])
        return result.stdout

    def start_server(self) -> str:
        port = free_port()
        env = dict(self.env, JIANGXIN_BIND=f"127.0.0.1:{port}", JIANGXIN_WEB_WORKERS="2")
        conf = Path(__file__).resolve().parents[2] / "src/jiangxin/platform/ops/gunicorn_conf.py"
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(conf)], env=env,
                                start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.processes.append(proc)
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: _healthy(url), 90, f"app server {url}")
        self.servers.append(url)
        return url

    def start_worker(self, name: str) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen([sys.executable, "-m", "jiangxin.platform.manage", "rqworker", "--job-class",
                                 "django_tasks_rq.Job", "--name", name, "default"], env=self.env,
                                start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.processes.append(proc)
        self.workers.append(proc)
        return proc

    def stop(self) -> None:
        for proc in self.processes:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=30)


def _healthy(url: str) -> bool:
    try:
        return requests.get(f"{url}/healthz", timeout=5).status_code == 200
    except requests.RequestException:
        return False


def build_cluster(tmp: Path) -> Iterator[Cluster]:
    import psycopg
    import redis

    name = f"jx_cluster_{uuid.uuid4().hex[:10]}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    redis_url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    redis.Redis.from_url(redis_url).flushdb()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="jiangxin.platform.settings", JIANGXIN_PROFILE="production", DEBUG="0",
        SECRET_KEY="cluster-test-" + "k" * 40, JIANGXIN_FIELD_KEY="Zm9yLXRlc3RzLW9ubHktMzItYnl0ZXMtbG9uZy1rZXk=",
        JIANGXIN_AUDIT_KEY="cluster-test-audit-key", ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{name}", REDIS_URL=redis_url,
        JIANGXIN_TASK_BACKEND="django_tasks_rq.RQBackend", JIANGXIN_VAR_DIR=str(tmp),
        JIANGXIN_MEDIA_ROOT=str(tmp / "media"), JIANGXIN_JOB_STALE_SECONDS="15",
        # plain http on loopback in the test: no redirect to https, cookies without the Secure flag
        JIANGXIN_SSL_REDIRECT="0", SECURE_COOKIES="0", JIANGXIN_JOB_HEARTBEAT_SECONDS="2")
    cluster = Cluster(env=env, var_dir=tmp)
    try:
        cluster.admin("migrate", "--noinput", "-v", "0")
        cluster.admin("collectstatic", "--noinput", "-v", "0")
        cluster.admin("load_programs")
        cluster.admin("load_demo")
        yield cluster
    finally:
        cluster.stop()
        redis.Redis.from_url(redis_url).flushdb()
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sign_in(server: str, username: str, password: str, session: requests.Session | None = None) -> requests.Session:
    session = session or requests.Session()
    page = session.get(f"{server}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the sign-in page"
    response = session.post(f"{server}/accounts/login/", data={
        "username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{server}/accounts/login/"}, timeout=30, allow_redirects=False)
    assert response.status_code == 302, response.text[-500:]
    return session


def csrf_from(session: requests.Session, server: str, path: str) -> str:
    page = session.get(f"{server}{path}", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, f"no CSRF token on {path}"
    return token.group(1)
