"""``jiangxin-serve``: the production profile on one machine (``make serve``), for a small office on SQLite.

- keys: SECRET_KEY, JIANGXIN_FIELD_KEY (ID numbers at rest) and JIANGXIN_AUDIT_KEY (audit chain) come from the
  environment or, on first start, are generated once into ``var/production.env`` (mode 0600) — back that file up
  with the database: without it the ID numbers cannot be read;
- DEBUG off, hashed static files collected into ``var/static`` and served by WhiteNoise, a file cache shared by the
  web processes, the database task backend;
- migrates, loads the programs, then runs gunicorn (``ops/gunicorn_conf.py``) and one task worker (RQ when
  ``JIANGXIN_TASK_BACKEND`` names it), stopping both together.

Several machines: see docs/deploy.md (the same command with PostgreSQL, Redis and an object store set by
environment variables, or the systemd units there)."""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

KEYS = ("SECRET_KEY", "JIANGXIN_FIELD_KEY", "JIANGXIN_AUDIT_KEY")


def _new_key(name: str) -> str:
    if name == "JIANGXIN_FIELD_KEY":  # a Fernet key
        return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    return secrets.token_urlsafe(50)


def load_keys(var_dir: Path) -> dict[str, str]:
    """The keys from ``var/production.env``, creating any that is missing (the environment wins)."""
    path = var_dir / "production.env"
    stored: dict[str, str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                name, value = line.split("=", 1)
                stored[name.strip()] = value.strip()
    missing = [k for k in KEYS if k not in stored]
    if missing:
        stored.update({k: _new_key(k) for k in missing})
        var_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("# 匠心生产密钥：与数据库一同备份，切勿外传\n")
            handle.writelines(f"{k}={v}\n" for k, v in stored.items())
    return {k: os.environ.get(k) or stored[k] for k in KEYS}


def production_env(var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(load_keys(var_dir))
    env.update(JIANGXIN_PROFILE="production", DEBUG="0", DJANGO_SETTINGS_MODULE="jiangxin.platform.settings",
               JIANGXIN_VAR_DIR=str(var_dir))
    env.setdefault("JIANGXIN_TASK_BACKEND", "django_tasks_db.DatabaseBackend")
    if not env.get("REDIS_URL"):
        env.setdefault("JIANGXIN_CACHE_DIR", str(var_dir / "cache"))
    return env


def _admin(*args: str) -> list[str]:
    return [sys.executable, "-m", "jiangxin.platform.manage", *args]


def worker_command(env: dict[str, str]) -> list[str]:
    if env["JIANGXIN_TASK_BACKEND"].startswith("django_tasks_rq"):
        return _admin("rqworker", "--job-class", "django_tasks_rq.Job", "default")
    return _admin("db_worker", "--no-reload", "--interval", "1")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="jiangxin-serve", description="匠心生产模式（gunicorn + 后台任务进程）")
    parser.add_argument("--bind", default=os.environ.get("JIANGXIN_BIND", "127.0.0.1:8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("JIANGXIN_WEB_WORKERS", "4")))
    parser.add_argument("--no-worker", action="store_true", help="只启动网站（后台任务进程另行运行）")
    parser.add_argument("--no-setup", action="store_true", help="不执行 migrate/collectstatic/load_programs")
    args = parser.parse_args(argv)
    var_dir = Path(os.environ.get("JIANGXIN_VAR_DIR", Path.cwd() / "var")).resolve()
    env = production_env(var_dir)
    env.update(JIANGXIN_BIND=args.bind, JIANGXIN_WEB_WORKERS=str(args.workers))
    if args.bind.split(":")[0] in ("127.0.0.1", "localhost", "[::1]"):
        # only this machine can reach it (plain http on loopback): no redirect to https, cookies without the
        # Secure flag. Any other address keeps the production defaults: serve it behind TLS (docs/deploy.md).
        env.setdefault("JIANGXIN_SSL_REDIRECT", "0")
        env.setdefault("SECURE_COOKIES", "0")
    if not args.no_setup:
        for step in (("migrate", "--noinput"), ("collectstatic", "--noinput", "--verbosity", "0"),
                     ("load_programs",)):
            subprocess.run(_admin(*step), env=env, check=True)
    conf = str(Path(__file__).resolve().parent / "platform" / "ops" / "gunicorn_conf.py")
    children = []
    if not args.no_worker:
        children.append(subprocess.Popen(worker_command(env), env=env, start_new_session=True))
    web = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", conf], env=env, start_new_session=True)
    children.append(web)
    print(f"匠心已在 http://{args.bind} 以生产模式运行（Ctrl-C 停止）。", flush=True)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    code = 0
    try:
        code = web.wait()
    except KeyboardInterrupt:
        code = 0
    finally:
        for child in children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
    sys.exit(code)


if __name__ == "__main__":
    main()
