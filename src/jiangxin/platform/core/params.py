"""Integer query parameters of pages (入侵防范 / 输入校验): a value out of range never reaches a date or a query."""

from __future__ import annotations

from typing import Any

#: the largest id on every supported database (32-bit keys)
MAX_ID = 2_147_483_647
#: the years the platform deals with (documents from 2000 on; plans never beyond 2100)
YEARS = (2000, 2100)


def int_param(raw: Any, default: int, *, lo: int, hi: int) -> int:
    """``raw`` as an int within [lo, hi], else ``default`` (missing, not a number, out of range)."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return default
    return value if lo <= value <= hi else default


def year_param(raw: Any, default: int) -> int:
    return int_param(raw, default, lo=YEARS[0], hi=YEARS[1])


def id_param(raw: Any) -> int | None:
    """A primary key from a query parameter, or None when it is not one (never an overflow in the query)."""
    text = str(raw or "")
    if not text.isdecimal() or len(text) > 10:
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None
