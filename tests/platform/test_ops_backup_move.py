"""Backups that restore into a fresh database with the audit chain intact, and the move from the embedded
SQLite database to PostgreSQL after which every demo login's pages open.

These drive the operator's commands (``jiangxin-admin …``) as separate processes against real databases — a SQLite
file holding the demo, a new SQLite file, a new PostgreSQL database — as an operator would run them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from jiangxin.platform.demo.data import DEMO_PASSWORD


def _postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def admin(database_url: str, var_dir: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(DATABASE_URL=database_url, JIANGXIN_VAR_DIR=str(var_dir), JIANGXIN_MEDIA_ROOT=str(var_dir / "media"),
               DJANGO_SETTINGS_MODULE="jiangxin.platform.settings", DEBUG="1")  # the demo data's settings
    result = subprocess.run([sys.executable, "-m", "jiangxin.platform.manage", *args], env=env,
                            capture_output=True, text=True, timeout=900)
    if ok:
        assert result.returncode == 0, (args, result.stdout[-1500:], result.stderr[-3000:])
    return result


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A SQLite file with the demo data and its uploaded files, as `make demo` leaves them."""
    var_dir = tmp_path_factory.mktemp("demo-site")
    url = f"sqlite:///{var_dir / 'jiangxin.sqlite3'}"
    admin(url, var_dir, "migrate", "--noinput", "-v", "0")
    admin(url, var_dir, "load_programs")
    admin(url, var_dir, "load_demo")
    return url, var_dir


@pytest.fixture
def new_postgres_database() -> Iterator[str]:
    if not _postgres_answers():
        pytest.skip("no PostgreSQL at 127.0.0.1:5432: the move to PostgreSQL is tested where one answers")
    import psycopg

    name = f"jx_move_{uuid.uuid4().hex[:10]}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file() and "healthz" not in p.parts)


def test_backup_restores_into_a_fresh_database_with_rows_files_and_audit_chain(
        demo_site: tuple[str, Path], tmp_path: Path) -> None:
    url, var_dir = demo_site
    archive = tmp_path / "backup.tar.gz"
    assert "备份完成" in admin(url, var_dir, "backup", "--output", str(archive)).stdout
    restored_dir = tmp_path / "restored"
    restored_url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    out = admin(restored_url, restored_dir, "restore", str(archive)).stdout
    assert "行数一致，审计哈希链完整" in out
    assert _files(restored_dir / "media") == _files(var_dir / "media") != []
    assert "全部正常打开" in admin(restored_url, restored_dir, "check_pages", "--password", DEMO_PASSWORD).stdout
    # a second restore over the restored database is refused: restores go into empty databases only
    again = admin(restored_url, tmp_path / "other", "restore", str(archive), ok=False)
    assert again.returncode != 0 and "不是空的" in again.stderr


def test_move_to_postgresql_copies_everything_and_every_demo_login_works_there(
        demo_site: tuple[str, Path], new_postgres_database: str, tmp_path: Path) -> None:
    url, var_dir = demo_site
    out = admin(url, var_dir, "move_database", "--to", new_postgres_database,
                "--media-to", str(tmp_path / "media")).stdout
    assert "行数一致，审计哈希链完整" in out
    assert _files(tmp_path / "media") == _files(var_dir / "media")
    again = admin(url, var_dir, "move_database", "--to", new_postgres_database, ok=False)
    assert again.returncode != 0 and "不是空的" in again.stderr
    moved = admin(new_postgres_database, tmp_path, "check_pages", "--password", DEMO_PASSWORD).stdout
    assert "全部正常打开" in moved
