"""`jiangxin-admin serve_demo [addrport]`: the web server with a background task worker beside it.

Both run as child processes with the database task backend (``django_tasks_db``), so the yearly run and the
trainee import are queued by the page and executed by the worker while the page polls their progress. When the
server stops (Ctrl-C, or it exits), the worker is stopped too. Plain Python: works wherever the venv does.
"""

from __future__ import annotations

import os
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
        worker = subprocess.Popen(_admin("db_worker", "--no-reload", "--interval", "1"), env=env)
        self.stdout.write(f"后台任务进程已启动（pid {worker.pid}）。")
        code = 0
        try:
            code = subprocess.call(_admin("runserver", options["addrport"]), env=env)
        except KeyboardInterrupt:
            code = 0
        finally:
            self._stop(worker)
        if code:
            sys.exit(code)

    def _stop(self, worker: subprocess.Popen[bytes]) -> None:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        self.stdout.write("后台任务进程已停止。")
