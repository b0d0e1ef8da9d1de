"""``jiangxin-admin move_database --to postgres://…``: move everything from the configured database (the embedded
SQLite default) into a new, empty PostgreSQL database.

Steps: refuse a target that holds any table; migrate it; copy every row with its primary key (people with their
encrypted ID numbers, the ledger, the audit chain, everything) in one transaction; reset the sequences; compare row
counts table by table and re-verify the audit chain on the target; optionally copy the uploaded files to a new
directory (``--media-to``). Afterwards set ``DATABASE_URL`` to the target and start the servers."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jiangxin.platform.ops.audit_check import chain_intact
from jiangxin.platform.ops.copying import add_connection, copy_all, is_empty, row_counts

TARGET = "move_target"


class Command(BaseCommand):
    help = "把当前数据库（默认 SQLite）的全部数据迁移到一个新的空 PostgreSQL 数据库，并核对行数与审计哈希链。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", required=True, help="目标数据库地址，如 postgres://user@host:5432/jiangxin")
        parser.add_argument("--media-to", default="", help="同时把上传文件复制到此目录（新服务器的 MEDIA_ROOT）")

    def handle(self, *args: Any, **options: Any) -> None:
        url: str = options["to"]
        if not url.startswith(("postgres://", "postgresql://")):
            raise CommandError("目标须为 PostgreSQL 数据库地址（postgres://…）。")
        add_connection(TARGET, url)
        if not is_empty(TARGET):
            raise CommandError("目标数据库不是空的：为防止覆盖已有数据，迁移只写入新建的空数据库。")
        self.stdout.write("1/4 在目标库建表（migrate）…")
        call_command("migrate", database=TARGET, interactive=False, verbosity=0)
        self.stdout.write("2/4 复制数据…")
        copied = copy_all("default", TARGET)
        self.stdout.write("3/4 核对…")
        source_counts, target_counts = row_counts("default"), row_counts(TARGET)
        different = {k: (source_counts[k], target_counts[k]) for k in source_counts
                     if source_counts[k] != target_counts[k]}
        if different:
            raise CommandError(f"行数不一致：{different}")
        intact, bad = chain_intact(TARGET)
        if not intact:
            raise CommandError(f"目标库审计哈希链校验失败（首个异常记录 {bad}）。")
        if options["media_to"]:
            self.stdout.write("4/4 复制上传文件…")
            files = _copy_media(Path(settings.MEDIA_ROOT), Path(options["media_to"]))
            self.stdout.write(f"    已复制 {files} 个文件。")
        total = sum(copied.values())
        self.stdout.write(self.style.SUCCESS(
            f"完成：{len(copied)} 张表、{total} 行已迁移，行数一致，审计哈希链完整。"
            "请把 DATABASE_URL 改为目标库后重启服务。"))


def _copy_media(source: Path, target: Path) -> int:
    if not source.exists():
        return 0
    if target.exists() and any(target.iterdir()):
        raise CommandError("文件目标目录不是空的。")
    shutil.copytree(source, target, dirs_exist_ok=True)
    files = [p for p in source.rglob("*") if p.is_file()]
    for path in files:
        copy = target / path.relative_to(source)
        if not copy.exists() or copy.stat().st_size != path.stat().st_size:
            raise CommandError(f"文件复制不完整：{path.relative_to(source)}")
    return len(files)
