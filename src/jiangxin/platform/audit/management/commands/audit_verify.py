"""Verify the audit chain (first row → stored head → every stored checkpoint and the files given); exit 1 if not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jiangxin.platform.audit import integrity


class Command(BaseCommand):
    help = "校验审计日志哈希链（可附加导出保存的检查点文件）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("checkpoints", nargs="*", help="exported checkpoint files to compare as well")

    def handle(self, *args: Any, **options: Any) -> None:
        extra = []
        for name in options["checkpoints"]:
            try:
                extra.append(integrity.parse_checkpoint(Path(name).read_bytes()))
            except (OSError, ValueError) as exc:
                raise CommandError(f"{name}: {exc}") from None
        result = integrity.verify(extra)
        if not result.intact:
            raise CommandError(f"哈希链异常：第 {result.first_bad} 条起：{result.message}")
        self.stdout.write(f"哈希链完整：共 {result.count} 条记录，核对检查点 {result.checkpoints} 个\n")
