"""Room on each page of the public directory for its rows' new versions (PostgreSQL ``fillfactor`` 70).

A status change rewrites a directory entry's status, end date and time stamp: none of them indexed, so
PostgreSQL can write the new version beside the old one on the same page (a heap-only update) and leave the
table's eight indexes alone, when the page has room. A yearly run can change a third of the entries at once
(the 2026 run of the benchmark: about 35,000 of 100,000). Measured on that table, updating a third of the rows
took 0.67 s with full pages, 0.39 s with 15 % free (fillfactor 85: room for only half of them) and 0.07 s with
30 % free.

PostgreSQL only (a no-op elsewhere). It applies to pages written from now on; an operator can rewrite an
existing table once with ``VACUUM FULL portal_publiclisting`` in a maintenance window.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FILLFACTOR = 70


def _set(fillfactor: int | None) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        if fillfactor is None:
            schema_editor.execute("ALTER TABLE portal_publiclisting RESET (fillfactor)")
        else:
            schema_editor.execute(f"ALTER TABLE portal_publiclisting SET (fillfactor = {int(fillfactor)})")
    return run


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_list_order_indexes")]

    operations = [migrations.RunPython(_set(FILLFACTOR), _set(None), elidable=False)]
