"""``jiangxin-admin backup --output FILE.tar.gz``: database rows and uploaded files in one archive (ops/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from jiangxin.platform.ops.backup import make_backup


class Command(BaseCommand):
    help = "备份：数据库全部数据（一致快照）与上传文件写入一个 .tar.gz 文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="备份文件路径，如 /backup/jiangxin-2026-12-07.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = make_backup(Path(options["output"]), Path(settings.MEDIA_ROOT))
        rows = sum(manifest["rows"].values())
        self.stdout.write(self.style.SUCCESS(f"备份完成：{len(manifest['rows'])} 张表、{rows} 行，及上传文件。"))
