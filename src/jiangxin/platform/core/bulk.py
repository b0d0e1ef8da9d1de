"""Bulk writes for services that change many rows at once (the yearly run).

Django's ``bulk_update`` builds one ``CASE WHEN id = … THEN …`` per field and row, which grows with the square of
the batch on SQLite. The rows a bulk service changes mostly end up with the same few values, so
``update_changed`` groups them by the values that actually changed and writes one plain ``UPDATE … WHERE id IN``
per group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from django.db import connections, models, router
from django.utils import timezone

_MISSING = object()
CHUNK = 900  # below SQLite's host-parameter limit with room for the SET values


def values(obj: models.Model, fields: Sequence[str]) -> dict[str, Any]:
    """The stored value of each field (foreign keys by id)."""
    return {name: getattr(obj, cast("models.Field[Any, Any]", obj._meta.get_field(name)).attname)
            for name in fields}


def update_changed(model: type[models.Model], objs: Iterable[models.Model], fields: Sequence[str],
                   original: Mapping[Any, Mapping[str, Any]]) -> int:
    """Write each object's ``fields`` that differ from ``original[pk]`` (as returned by ``values``); objects
    without an original are written in full. Returns the number of UPDATE statements."""
    groups: dict[tuple[tuple[str, Any], ...], list[Any]] = defaultdict(list)
    for obj in objs:
        before = original.get(obj.pk, {})
        now = values(obj, fields)
        changed = tuple((name, now[name]) for name in fields if before.get(name, _MISSING) != now[name])
        if changed:
            groups[changed].append(obj.pk)
    statements = 0
    for changed, pks in groups.items():
        update = {cast("models.Field[Any, Any]", model._meta.get_field(name)).attname: value
                  for name, value in changed}
        for i in range(0, len(pks), CHUNK):
            model._default_manager.filter(pk__in=pks[i:i + CHUNK]).update(**update)
            statements += 1
    return statements


def insert(model: type[models.Model], objs: Sequence[models.Model | Mapping[str, Any]], *,
           batch_size: int = 5000) -> int:
    """Insert new rows with one prepared ``INSERT`` run through ``executemany``: the values Django's
    ``bulk_create`` would write (defaults, ``auto_now_add``, JSON encoding), without its per-value query
    compiling. A row is a model instance or a dict of field values by attname (foreign keys as ``…_id``;
    missing fields take their default, ``auto_now``/``auto_now_add`` fields the current time). Nothing comes
    back — use ``bulk_create`` where the ids are needed."""
    if not objs:
        return 0
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    now = timezone.now()
    stamped = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}

    def value(field: models.Field[Any, Any], row: Mapping[str, Any]) -> Any:
        if field.attname in row:
            return row[field.attname]
        if field.attname in stamped:
            return now if isinstance(field, models.DateTimeField) else timezone.localdate(now)
        return field.get_default()

    with connection.cursor() as cursor:
        for i in range(0, len(objs), batch_size):
            rows = [[f.get_db_prep_save(value(f, obj) if isinstance(obj, Mapping) else f.pre_save(obj, True),
                                        connection) for f in fields]
                    for obj in objs[i:i + batch_size]]
            cursor.executemany(sql, rows)
    return len(objs)
