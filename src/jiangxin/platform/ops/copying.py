"""Copying every row of the platform from one database connection to another, as the database stores it.

Used by ``move_database`` (SQLite → PostgreSQL) and ``restore``: rows are read through each field's converters
(so money comes back as ``Decimal``, times as aware datetimes, JSON as objects) and written with the target's own
``get_db_prep_save``, in batches of plain ``INSERT``s without model instances, ``save()`` or signals; primary keys
are kept, so foreign keys, the audit chain and the ciphertext of ID numbers arrive unchanged. Everything happens
in one transaction on the target: PostgreSQL checks the (deferred) foreign keys at commit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connections, models, transaction

BATCH = 2000


def copied_models() -> list[type[models.Model]]:
    """Every concrete, managed model with a table (through tables of many-to-many fields included)."""
    return [m for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy and not m._meta.swapped]


def _rows(model: type[models.Model], source: str, fields: list[models.Field[Any, Any]]) -> Iterator[tuple[Any, ...]]:
    qs = model._base_manager.using(source).order_by("pk").values_list(*[f.attname for f in fields])
    yield from qs.iterator(chunk_size=BATCH)


def copy_model(model: type[models.Model], source: str, target: str) -> int:
    fields = list(model._meta.concrete_fields)
    connection = connections[target]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    count = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in _rows(model, source, fields):
            batch.append(tuple(f.get_db_prep_save(v, connection=connection) for f, v in zip(fields, row, strict=True)))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def copy_all(source: str, target: str, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Copy every model's rows from ``source`` into the migrated ``target``; returns rows per model.

    The rows that ``migrate`` itself wrote on the target (content types, permissions) are removed first: the
    source's rows, with their own ids, take their place."""
    counts: dict[str, int] = {}
    with transaction.atomic(using=target):
        connection = connections[target]
        # only the tables migrate filled: the audit table may refuse TRUNCATE (its trigger)
        tables = [m._meta.db_table for m in copied_models() if m._base_manager.using(target).exists()]
        with connection.cursor() as cursor:
            for statement in connection.ops.sql_flush(no_style(), tables, reset_sequences=False,
                                                      allow_cascade=True):
                cursor.execute(statement)
        with connection.constraint_checks_disabled():
            for model in copied_models():
                counts[model._meta.label] = copy_model(model, source, target)
                if progress:
                    progress(model._meta.label, counts[model._meta.label])
        statements = connection.ops.sequence_reset_sql(no_style(), copied_models())
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    return counts


def row_counts(alias: str) -> dict[str, int]:
    return {m._meta.label: m._base_manager.using(alias).count() for m in copied_models()}


def is_empty(alias: str) -> bool:
    """True when the database holds no table at all (a new database)."""
    with connections[alias].cursor() as cursor:
        return not connections[alias].introspection.table_names(cursor)


def add_connection(alias: str, url: str) -> None:
    """Register ``url`` as the connection ``alias`` next to the configured ones."""
    import dj_database_url

    databases = connections.settings
    databases[alias] = dj_database_url.parse(url)
    connections.configure_settings(databases)
