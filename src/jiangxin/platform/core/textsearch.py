"""Name and code search that an index can answer on either database (issue 14).

On PostgreSQL a search finds the text anywhere in the column: ``icontains`` compiles to
``UPPER(col::text) LIKE UPPER('%…%')``, which the pg_trgm GIN indexes of ``orgs`` migration 0003 answer.
SQLite, the embedded default, has no such index: there a search finds the values that *start with* the text,
as a range on the column's ordinary B-tree index (``col >= 'text' AND col < 'text\\U0010ffff'``), tried as
typed and in upper case (codes such as 期次编号 are stored in capitals). ``finds_anywhere`` tells a page which
of the two it is, so the search box can say so.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import Q

#: the highest code point: every string starting with the text sorts below text + this
_AFTER = "\U0010ffff"


def finds_anywhere(using: str = "default") -> bool:
    """Whether a search on this database finds the text anywhere in a value (else: at its start)."""
    return connections[using].vendor == "postgresql"


def matching(field: str, text: str, *, using: str = "default") -> Q:
    """The rows whose ``field`` holds ``text`` (anywhere on PostgreSQL, at the start elsewhere), index-backed."""
    if finds_anywhere(using):
        return Q(**{f"{field}__icontains": text})
    found = Q()
    for variant in dict.fromkeys((text, text.upper())):
        found |= Q(**{f"{field}__gte": variant, f"{field}__lt": variant + _AFTER})
    return found
