"""Name search without a sequential scan on PostgreSQL: pg_trgm GIN indexes on ``UPPER(column::text)``, the
expression Django's ``icontains`` compares (``UPPER("col"::text) LIKE UPPER('%…%')``), so the planner uses them.

Runs only on PostgreSQL (a no-op elsewhere). ``CREATE EXTENSION pg_trgm`` needs a privileged role: when the
extension is missing and cannot be created, the migration leaves the indexes out (and says so) instead of
failing; a database administrator can run ``CREATE EXTENSION pg_trgm`` and migrate this step again
(``migrate orgs 0002`` then ``migrate``). The B-tree indexes of the list filters are in each app's own migration.
"""

from __future__ import annotations

import sys
from typing import Any

from django.db import migrations

#: (index name, table, column)
INDEXES = (
    ("person_name_trgm", "people_person", "name"),
    ("org_name_trgm", "orgs_organisation", "name"),
    ("trainee_name_trgm", "academy_trainee", "name"),
    ("trainee_session_trgm", "academy_trainee", "session_code"),
    ("trainee_major_trgm", "academy_trainee", "major"),
    ("listing_name_trgm", "portal_publiclisting", "name"),
)


def _has_trgm(cursor: Any) -> bool:
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    return cursor.fetchone() is not None


def create(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if not _has_trgm(cursor):
            cursor.execute("SAVEPOINT jx_trgm")
            try:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except Exception as exc:  # no privilege to create extensions: leave the search indexes out
                cursor.execute("ROLLBACK TO SAVEPOINT jx_trgm")
                print(f"\n  pg_trgm not available ({type(exc).__name__}); name search indexes not created",
                      file=sys.stderr)
                return
            cursor.execute("RELEASE SAVEPOINT jx_trgm")
        for name, table, column in INDEXES:
            cursor.execute(f'CREATE INDEX IF NOT EXISTS {name} ON "{table}" '
                           f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)')


def drop(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name, _table, _column in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = (
        ("orgs", "0002_list_indexes"),
        ("people", "0004_list_indexes"),
        ("academy", "0005_list_indexes"),
        ("portal", "0001_initial"),
    )

    operations = (migrations.RunPython(create, drop),)
