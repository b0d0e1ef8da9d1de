"""Write today's signed audit checkpoint (run daily from cron; the file is the anchor outside the database)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jiangxin.platform.audit import integrity
from jiangxin.platform.audit.service import record


class Command(BaseCommand):
    help = "写入今日的审计日志签名检查点（每日运行）"

    def handle(self, *args: Any, **options: Any) -> None:
        path, data = integrity.write_checkpoint()
        record("audit.checkpoint", None, object_type="audit.AuditEvent",
               summary=f"写入审计日志检查点（{data['date']}，共{data['events']}条）",
               after={k: data[k] for k in ("date", "events", "last_id", "last_hash")})
        self.stdout.write(f"{path}\n")
