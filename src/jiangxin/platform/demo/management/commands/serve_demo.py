"""`jiangxin-admin serve_demo [addrport]`: the web server with a background task worker beside it.

Both run as child processes with the database task backend (``django_tasks_db``), so the yearly run and the
trainee import are queued by the page and executed by the worker while the page polls their progress. When the
server stops (Ctrl-C, or it exits), the worker is stopped too. Plain Python: works wherever the venv does.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def _admin(*args: str) -> list[str]:
    return [sys.executable, "-m", "jiangxin.platform.manage", *args]


class Command(BaseCommand):
    help = "Run the development server and a db_worker for background tasks; stop the worker with the server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        env = dict(os.environ, JIANGXIN_TASK_BACKEND=DATABASE_BACKEND)
        env.setdefault("DJANGO_SETTINGS_MODULE", "jiangxin.platform.settings")
        # each child in its own process group: stopping one stops its reloader child too
        worker = subprocess.Popen(_admin("db_worker", "--no-reload", "--interval", "1"), env=env,
                                  start_new_session=True)
        self.stdout.write(f"后台任务进程已启动（pid {worker.pid}）。")
        server = subprocess.Popen(_admin("runserver", options["addrport"]), env=env, start_new_session=True)
        signal.signal(signal.SIGTERM, _interrupt)
        code = 0
        try:
            code = server.wait()
        except KeyboardInterrupt:
            code = 0
        finally:
            _stop(server)
            _stop(worker)
            self.stdout.write("网站与后台任务进程已停止。")
        if code:
            sys.exit(code)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the child's process group (the worker finishes its current task), SIGKILL after 15 s."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        proc.wait()
