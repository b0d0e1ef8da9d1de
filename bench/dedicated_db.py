"""The benchmarks' dedicated PostgreSQL database: refuse the shared ones, create it when this machine lacks it."""

from __future__ import annotations

import sys
from urllib.parse import urlparse, urlunparse

SHARED = ("", "postgres", "template0", "template1")


def ensure(url: str) -> None:
    """Exit on a non-PostgreSQL or shared database URL; otherwise create the database if it does not exist.

    A new machine has only its standard databases, so the benchmarks create theirs (they empty it themselves).
    """
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if not url.startswith("postgres") or name in SHARED:
        sys.exit(f"refusing {url!r}: a dedicated PostgreSQL database is required (not 'postgres'): it is emptied first")
    import psycopg
    from psycopg import sql

    maintenance = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}", flush=True)
