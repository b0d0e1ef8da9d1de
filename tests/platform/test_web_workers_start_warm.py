"""The production web server warms the application once in gunicorn's master, so every worker (also one that
replaces a recycled worker) serves its first page without importing, indexing and parsing first; the warm-up
compiles every project template, reads each language, and leaves no database connection to be inherited."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.template import engines

import jiangxin
from jiangxin.platform.ops import warmup

pytestmark = pytest.mark.django_db


def _project_templates() -> int:
    package = Path(jiangxin.__file__).resolve().parent
    return sum(1 for directory in engines["django"].template_dirs
               if Path(directory).resolve().is_relative_to(package)
               for path in Path(directory).rglob("*") if path.suffix in warmup.TEMPLATE_SUFFIXES)


def test_warm_compiles_every_project_template_and_reads_each_language() -> None:
    done = warmup.warm()
    assert done["broken_templates"] == []
    assert done["templates"] == _project_templates() > 100
    assert set(done["languages"]) == {"zh-hans", "en"}
    assert done["urls"] > 100 and done["hooks"] > 5 and done["programs"] >= 5


def test_warm_fills_the_cached_template_loader() -> None:
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    assert "people/_person_rows.html" not in loader.get_template_cache
    warmup.warm()
    assert "people/_person_rows.html" in loader.get_template_cache
    assert "base.html" in loader.get_template_cache


@pytest.mark.django_db(transaction=True)
def test_warm_leaves_no_database_connection_open() -> None:
    connection.ensure_connection()
    warmup.warm()
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("Django keeps an in-memory SQLite database open (closing it would drop it)")
    assert connection.connection is None


def test_warm_closes_connection_pools_so_workers_open_their_own(monkeypatch: Any) -> None:
    closed: list[str] = []

    class Pooled:
        def close_pool(self) -> None:
            closed.append("pool")

    from django.db import connections

    monkeypatch.setattr(connections, "all", lambda initialized_only=False: [Pooled()])
    monkeypatch.setattr(connections, "close_all", lambda: closed.append("connections"))
    warmup._close_connections()
    assert closed == ["connections", "pool"]


def test_gunicorn_preloads_and_warms_before_forking_workers(monkeypatch: Any) -> None:
    conf = importlib.import_module("jiangxin.platform.ops.gunicorn_conf")
    assert conf.preload_app is True
    called: list[str] = []

    class Log:
        def info(self, message: str, *args: Any) -> None:
            called.append(message % args)

    class Server:
        log = Log()

    monkeypatch.setattr(warmup, "warm", lambda: {"templates": 3, "urls": 2, "languages": ["zh-hans"], "ms": 1})
    conf.when_ready(Server())
    assert called == ["warm-up: 3 templates, 2 URL names, languages zh-hans in 1 ms"]
