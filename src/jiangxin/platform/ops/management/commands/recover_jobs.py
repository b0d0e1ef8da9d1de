"""Find background jobs whose worker died (no heartbeat) and roll them back; run every minute from cron or a
systemd timer, beside ``audit_checkpoint`` once a day. The job pages and the next import do the same check."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "回滚工作进程已中断的后台任务（学员导入、年度运行）"

    def handle(self, *args: Any, **options: Any) -> None:
        from jiangxin.platform.academy.importer import recover_stale_jobs
        from jiangxin.platform.ledger.services import recover_stale_runs

        imports, runs = recover_stale_jobs(), recover_stale_runs()
        self.stdout.write(f"已回滚学员导入 {imports} 个，年度运行 {runs} 个\n")
