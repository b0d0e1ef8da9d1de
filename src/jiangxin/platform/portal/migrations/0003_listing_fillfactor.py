"""Room on each page of the public directory for its rows' new versions (PostgreSQL ``fillfactor`` 85).

A status change rewrites a directory entry's status, end date and time stamp: none of them indexed, so
PostgreSQL can write the new version beside the old one on the same page (a heap-only update) and leave the
table's eight indexes alone, when the page has room. The yearly run of 2026 on the province data set updates
about 35,000 entries: 0.78 s with full pages, 0.33 s with this room (decision 0030).

PostgreSQL only (a no-op elsewhere). It applies to pages written from now on; an operator can rewrite an
existing table once with ``VACUUM FULL portal_publiclisting`` in a maintenance window.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FILLFACTOR = 85


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
