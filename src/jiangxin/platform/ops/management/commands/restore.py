"""``jiangxin-admin restore FILE.tar.gz [--to DATABASE_URL] [--media-root DIR]``: into an empty database only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiangxin.platform.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "恢复：把备份写入一个新建的空数据库与空文件目录，并核对行数与审计哈希链。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--to", default="", help="目标数据库地址（默认为当前配置的数据库）")
        parser.add_argument("--media-root", default="", help="上传文件目录（默认为 MEDIA_ROOT）")

    def handle(self, *args: Any, **options: Any) -> None:
        media_root = Path(options["media_root"] or settings.MEDIA_ROOT)
        try:
            manifest = restore_backup(Path(options["archive"]), options["to"] or None, media_root)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"恢复完成：备份于 {manifest['created']}（版本 {manifest['version']}），行数一致，审计哈希链完整。"))
