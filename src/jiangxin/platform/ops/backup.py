"""Backups (备份) and restores (恢复) that work the same on SQLite and PostgreSQL.

A backup is one ``.tar.gz``: ``manifest.json`` (platform version, time, source engine, rows per table, audit head),
``database.sqlite3`` — every row of the platform copied with its primary key into a portable SQLite file by
:mod:`ops.copying`, read in one snapshot — and ``media/``, the uploaded files. A restore goes into a new, empty
database (SQLite file or PostgreSQL) and an empty file directory, then compares the rows with the manifest and
re-verifies the audit chain. (``pg_dump``/``pg_restore`` remain the operator's tool for very large databases:
docs/deploy.md.)"""

from __future__ import annotations

import datetime as dt
import json
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connections, transaction

from jiangxin.platform.audit.models import AuditHead
from jiangxin.platform.core.version import version
from jiangxin.platform.ops.audit_check import chain_intact
from jiangxin.platform.ops.copying import add_connection, copied_models, copy_all, is_empty, row_counts

FORMAT = 1


class BackupError(Exception):
    """A backup that cannot be made or restored; the message is for the operator (Chinese)."""


def _snapshot(alias: str) -> None:
    """Make the open transaction on ``alias`` read one consistent snapshot of every table."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def _create_tables(alias: str) -> None:
    """The tables of every model in the (new) backup file: created from the models, which is much quicker than
    replaying the migrations; a restore migrates its target properly and copies the rows over."""
    with connections[alias].schema_editor() as editor:
        for model in copied_models():
            if not model._meta.auto_created:  # many-to-many tables come with their model
                editor.create_model(model)


def make_backup(output: Path, media_root: Path) -> dict[str, Any]:
    """Write the backup archive ``output``; returns its manifest."""
    with tempfile.TemporaryDirectory() as work:
        database = Path(work) / "database.sqlite3"
        add_connection("backup_copy", f"sqlite:///{database}")
        try:
            _create_tables("backup_copy")
            outermost = not connections["default"].in_atomic_block
            with transaction.atomic(using="default"):
                if outermost:  # a caller's open transaction already reads one snapshot
                    _snapshot("default")
                counts = copy_all("default", "backup_copy")
                head = AuditHead.objects.using("default").filter(pk=1).values_list("last_hash", flat=True).first()
        finally:
            connections["backup_copy"].close()
        manifest = {"format": FORMAT, "version": version(), "created": dt.datetime.now(dt.UTC).isoformat(),
                    "engine": connections["default"].vendor, "rows": counts, "audit_head": head or ""}
        (Path(work) / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
        output.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(output, "w:gz") as archive:
            archive.add(Path(work) / "manifest.json", "manifest.json")
            archive.add(database, "database.sqlite3")
            if media_root.exists():
                archive.add(media_root, "media")
    return manifest


def restore_backup(archive_path: Path, target_url: str | None, media_root: Path) -> dict[str, Any]:
    """Restore ``archive_path`` into the empty database ``target_url`` (None: the configured one) and the empty
    directory ``media_root``; returns the manifest after checking rows and the audit chain."""
    target = "default"
    if target_url:
        add_connection("restore_target", target_url)
        target = "restore_target"
    if not is_empty(target):
        raise BackupError("目标数据库不是空的：恢复只写入新建的空数据库。")
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"文件目录 {media_root} 不是空的：恢复只写入空目录。")
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive_path, "r:gz") as archive:
        archive.extractall(work, filter="data")
        manifest = json.loads((Path(work) / "manifest.json").read_text("utf-8"))
        if manifest.get("format") != FORMAT:
            raise BackupError("无法识别的备份格式。")
        add_connection("backup_source", f"sqlite:///{Path(work) / 'database.sqlite3'}")
        try:
            call_command("migrate", database=target, interactive=False, verbosity=0)
            copy_all("backup_source", target)
        finally:
            connections["backup_source"].close()
        restored = row_counts(target)
        different = {k: (v, restored.get(k)) for k, v in manifest["rows"].items() if restored.get(k) != v}
        if different:
            raise BackupError(f"恢复后行数与备份不一致：{different}")
        intact, bad = chain_intact(target)
        head = AuditHead.objects.using(target).filter(pk=1).values_list("last_hash", flat=True).first() or ""
        if not intact or head != manifest["audit_head"]:
            raise BackupError(f"恢复后审计哈希链校验失败（首个异常记录 {bad}）。")
        media = Path(work) / "media"
        if media.exists():
            media_root.mkdir(parents=True, exist_ok=True)
            for path in media.rglob("*"):
                copy = media_root / path.relative_to(media)
                if path.is_dir():
                    copy.mkdir(parents=True, exist_ok=True)
                else:
                    copy.parent.mkdir(parents=True, exist_ok=True)
                    copy.write_bytes(path.read_bytes())
    return manifest
