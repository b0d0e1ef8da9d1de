"""Name and code search that an index can answer on either database (issue 14).

* PostgreSQL, text of ``ANYWHERE_FROM`` characters or more: the text anywhere in the column. ``icontains``
  compiles to ``UPPER(col::text) LIKE UPPER('%…%')``, which the pg_trgm GIN indexes of ``orgs`` migration 0003
  answer. A trigram index cannot narrow a shorter text (one Chinese character such as a surname would read the
  whole table), so shorter text is searched as a prefix.
* Prefix search (SQLite always, PostgreSQL for short text): the values that *start with* the text, as typed and
  in capitals (codes such as 期次编号 are stored in capitals). On PostgreSQL ``startswith`` (``LIKE 'text%'``)
  is answered by a ``varchar_pattern_ops`` index; on SQLite a range on the column's B-tree index
  (``col >= 'text' AND col < 'text\\U0010ffff'``), which SQLite's LIKE cannot use.

``search_hint`` tells the reader next to the search box which of the two applies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connections
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise  # django-stubs' name of a lazy translated string

#: the shortest text searched anywhere in a value (PostgreSQL's trigram index needs three characters)
ANYWHERE_FROM = 3
#: the highest code point: every string starting with the text sorts below text + this
_AFTER = "\U0010ffff"


def _postgresql(using: str) -> bool:
    return connections[using].vendor == "postgresql"


def finds_anywhere(text: str, using: str = "default") -> bool:
    """Whether searching this text finds it anywhere in a value (else: at the value's start)."""
    return _postgresql(using) and len(text) >= ANYWHERE_FROM


def matching(field: str, text: str, *, using: str = "default") -> Q:
    """The rows whose ``field`` holds ``text`` (see the module's rules), each way answered by an index."""
    if finds_anywhere(text, using):
        return Q(**{f"{field}__icontains": text})
    found = Q()
    for variant in dict.fromkeys((text, text.upper())):
        if _postgresql(using):
            found |= Q(**{f"{field}__startswith": variant})
        else:
            found |= Q(**{f"{field}__gte": variant, f"{field}__lt": variant + _AFTER})
    return found


def search_hint(using: str = "default") -> _StrPromise:
    """How a search box on this database matches, for the reader."""
    if _postgresql(using):
        return _("三个字及以上按包含查找，更短时按开头查找")
    return _("按开头查找")
