"""Bulk writes for services that change many rows at once (the yearly run).

Django's ``bulk_update`` builds one ``CASE WHEN id = … THEN …`` per field and row, which grows with the square of
the batch on SQLite. The rows a bulk service changes mostly end up with the same few values, so
``update_changed`` groups them by the values that actually changed and writes one plain ``UPDATE … WHERE id IN``
per group.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, cast

import orjson
from django.db import connections, models, router
from django.utils import timezone

_MISSING = object()
CHUNK = 900  # below SQLite's host-parameter limit with room for the SET values


@contextlib.contextmanager
def without_cycle_collector() -> Iterator[None]:
    """Run a bulk write with Python's cyclic garbage collector paused (reference counting still frees what the
    block drops). A yearly run holds hundreds of thousands of row dicts at once; every few hundred allocations
    the collector would walk all of them again, which cost seconds. Nothing a bulk write builds needs the
    collector; it runs again, once, when the block ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@models.Field.register_lookup
class AnyOf(models.lookups.In):
    """``field__any_of=values``: ``IN (…)`` elsewhere, one array parameter on PostgreSQL (``= ANY(%s)``), where
    the driver would otherwise splice thousands of placeholders into the statement text one by one."""

    lookup_name = "any_of"

    def get_prep_lookup(self) -> Any:
        if self._integer_ids():  # ``int(v)`` for each of 100,000 ids gives them back unchanged
            return list(self.rhs)
        return super().get_prep_lookup()

    def _integer_ids(self) -> bool:
        """Whether the values are plain ints for an integer column (or a foreign key to one)."""
        if not isinstance(self.rhs, list | tuple) or not hasattr(self.lhs, "output_field"):
            return False
        field = self.lhs.output_field
        if isinstance(field, models.ForeignKey):
            field = field.target_field
        return isinstance(field, models.IntegerField) and all(type(v) is int for v in self.rhs)

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        if self.rhs_is_direct_value():
            lhs, lhs_params = self.process_lhs(compiler, connection)
            if isinstance(self.rhs, list) and all(type(v) is int for v in self.rhs):
                # the array as its text, joined in C: psycopg adapts a list of ints one element at a time
                return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, "{" + ",".join(map(str, self.rhs)) + "}"]
            return f"{lhs} = ANY(%s)", [*lhs_params, [v for v in self.rhs if v is not None]]
        return self.as_sql(compiler, connection)  # type: ignore[return-value]  # In.as_sql returns the params as a tuple or a list


models.ForeignObject.register_lookup(AnyOf)  # foreign keys by id too (``designation_id__any_of``)


_ATTNAMES: dict[tuple[type, tuple[str, ...]], tuple[tuple[str, str], ...]] = {}


def values(obj: models.Model, fields: Sequence[str]) -> dict[str, Any]:
    """The stored value of each field (foreign keys by id)."""
    key = (type(obj), tuple(fields))
    pairs = _ATTNAMES.get(key)
    if pairs is None:
        pairs = _ATTNAMES[key] = tuple((name, cast("models.Field[Any, Any]", obj._meta.get_field(name)).attname)
                                       for name in fields)
    return {name: getattr(obj, attname) for name, attname in pairs}


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
    chunk = CHUNK if connections[router.db_for_write(model)].vendor != "postgresql" else 100_000
    for changed, pks in groups.items():
        update = {cast("models.Field[Any, Any]", model._meta.get_field(name)).attname: value for name, value in changed}
        for i in range(0, len(pks), chunk):
            model._default_manager.filter(pk__any_of=pks[i:i + chunk]).update(**update)
            statements += 1
    return statements


def _converter(field: models.Field[Any, Any], connection: Any, copy: bool) -> Callable[[Any], Any] | None:
    """How a Python value of ``field`` becomes the value sent to the database: ``None`` for the fields whose
    values go as they are (text, integers, booleans, foreign keys by id), one JSON encoding for JSON fields,
    Django's own preparation for the rest (dates, times, decimals)."""
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        if copy and encoder is None:
            def encode(value: Any) -> Any:
                if value is None:
                    return None
                try:
                    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
                except TypeError:
                    return json.dumps(value)
            return encode
        return lambda value: None if value is None else json.dumps(value, cls=encoder)
    if isinstance(field, models.CharField | models.TextField):
        return _keeping(str, lambda value: value if value is None or type(value) is str else str(value))
    if isinstance(field, models.IntegerField | models.BooleanField | models.ForeignKey) and not isinstance(
            field, models.DecimalField):
        if isinstance(field, models.ForeignKey) and not isinstance(field.target_field, models.AutoField
                                                                   | models.IntegerField):
            return lambda value: field.get_db_prep_save(value, connection)
        return None
    if isinstance(field, models.DecimalField):
        return _keeping(Decimal, lambda value: value if type(value) is Decimal else field.get_db_prep_save(value,
                                                                                                         connection))
    if copy and isinstance(field, models.DateField):  # dates and times go to psycopg as they are
        return None
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return lambda value: value.isoformat() if type(value) is dt.date else field.get_db_prep_save(value, connection)
    last: list[Any] = [_MISSING, None]  # the stamps of a batch are one value: prepared once

    def prepare(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, field.get_db_prep_save(value, connection)
        return last[1]
    return prepare


def _keeping(kind: type, convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Mark ``convert`` as giving back None and values of exactly ``kind`` unchanged: ``_RowMaker`` then checks
    the type inline and calls it only for the other values (most values are already of that type)."""
    convert.keeps = kind  # type: ignore[attr-defined]
    return convert


def insert(model: type[models.Model], objs: Sequence[models.Model | Mapping[str, Any]], *,
           batch_size: int = 5000) -> int:
    """Insert new rows without building a query per row: ``COPY … FROM STDIN`` on PostgreSQL, one prepared
    ``INSERT`` run through ``executemany`` elsewhere. The values are those Django's ``bulk_create`` would write
    (defaults, ``auto_now``/``auto_now_add``, JSON encoding — once per value), prepared with one converter per
    field chosen before the first row. A row is a model instance or a dict of field values by attname
    (foreign keys as ``…_id``; missing fields take their default, ``auto_now``/``auto_now_add`` fields the
    current time, also set on the instances). Nothing comes back — use ``bulk_create`` where the ids are
    needed."""
    if not objs:
        return 0
    connection = connections[router.db_for_write(model)]
    copy = connection.vendor == "postgresql"
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]
    quote = connection.ops.quote_name
    table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    now = timezone.now()
    stamps = {f.attname: now if isinstance(f, models.DateTimeField) else timezone.localdate(now)
              for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    files = [f for f in fields if isinstance(f, models.FileField)]
    plan = [(f.attname, _converter(f, connection, copy), f) for f in fields]
    row_of = _RowMaker(plan, stamps)

    def prepared(obj: models.Model | Mapping[str, Any]) -> list[Any]:
        if isinstance(obj, Mapping):
            return row_of.mapping(obj)
        for name, stamp in stamps.items():
            setattr(obj, name, stamp)
        for f in files:
            f.pre_save(obj, True)
        return row_of.instance(obj)

    with connection.cursor() as cursor:
        if copy:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as stream:
                for obj in objs:
                    stream.write_row(prepared(obj))
            return len(objs)
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        for i in range(0, len(objs), batch_size):
            cursor.executemany(sql, [prepared(obj) for obj in objs[i:i + batch_size]])
    return len(objs)


class _RowMaker:
    """A row's values ready for the database, by one generated function per set of keys (the rows of one
    call share their keys): no loop over the fields in Python per row. Missing fields take their default
    (converted once when it is a constant: no default, a plain value, ``dict`` or ``list``), the
    ``auto_now``/``auto_now_add`` fields the call's stamp."""

    def __init__(self, plan: list[tuple[str, Callable[[Any], Any] | None, models.Field[Any, Any]]],
                 stamps: Mapping[str, Any]) -> None:
        self.plan, self.stamps = plan, stamps
        self.by_keys: dict[Any, Callable[[Any], list[Any]]] = {}
        self.attrs: Callable[[Any], list[Any]] | None = None

    def mapping(self, obj: Mapping[str, Any]) -> list[Any]:
        keys = obj.keys()
        make = self.by_keys.get(frozenset(keys))
        if make is None:
            make = self.by_keys[frozenset(keys)] = self._compile(set(keys), "o[{!r}]")
        return make(obj)

    def instance(self, obj: models.Model) -> list[Any]:
        if self.attrs is None:
            self.attrs = self._compile(None, "o.{}")
        return self.attrs(obj)

    def _compile(self, present: set[str] | None, read: str) -> Callable[[Any], list[Any]]:
        """``lambda o: [value, …]`` for rows holding ``present`` (None: instances, every attribute read)."""
        env: dict[str, Any] = {}
        parts = []
        for i, (name, convert, field) in enumerate(self.plan):
            if present is not None and name not in present and (name in self.stamps or _constant_default(field)):
                value = self.stamps[name] if name in self.stamps else field.get_default()
                env[f"k{i}"] = value if convert is None else convert(value)
                parts.append(f"k{i}")
                continue
            if present is None or name in present:
                value = read.format(name)
            else:
                env[f"d{i}"] = field.get_default
                value = f"d{i}()"
            if convert is not None:
                env[f"c{i}"] = convert
                keeps = getattr(convert, "keeps", None)
                if keeps is not None:  # no call for the values that go as they are
                    env[f"t{i}"] = keeps
                    value = f"(x if (x := {value}) is None or type(x) is t{i} else c{i}(x))"
                else:
                    value = f"c{i}({value})"
            parts.append(value)
        return cast("Callable[[Any], list[Any]]", eval(f"lambda o: [{', '.join(parts)}]", env))  # the names are attnames


def _constant_default(field: models.Field[Any, Any]) -> bool:
    """Whether every call of ``field.get_default()`` gives the same value (converted once, then shared)."""
    if not field.has_default():
        return True
    return field.default in (dict, list) or not callable(field.default)

