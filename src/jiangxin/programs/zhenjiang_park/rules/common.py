"""What the park's rules share: the document's citations, its issue date and monthly day logs."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, field_validator

from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import cite

ISSUED = dt.date(2015, 10, 8)

LEADER = cite("zhenjiang_park", "三", "（一）1")
SUPPORT = cite("zhenjiang_park", "三", "（一）2")
PLAN = cite("zhenjiang_park", "三", "（一）3")
ENTRY = cite("zhenjiang_park", "三", "（一）")
REVIEW = cite("zhenjiang_park", "三", "（二）2")
CONFIRM = cite("zhenjiang_park", "三", "（二）3")
RENT_FREE = cite("zhenjiang_park", "四", "（一）")
SUBSIDY = cite("zhenjiang_park", "四", "（二）")
REWARD = cite("zhenjiang_park", "四", "（三）")
PRIORITY_HIRE = cite("zhenjiang_park", "四", "（四）")
PRIORITY_AWARD = cite("zhenjiang_park", "四", "（五）")
FEES = cite("zhenjiang_park", "五", "（三）")
EXIT = cite("zhenjiang_park", "五", "（四）")
EXIT_1 = cite("zhenjiang_park", "五", "（四）1")
EXIT_2 = cite("zhenjiang_park", "五", "（四）2")
EXIT_3 = cite("zhenjiang_park", "五", "（四）3")
EXIT_4 = cite("zhenjiang_park", "五", "（四）4")
PRESENCE = cite("zhenjiang_park", "附件2", "基础分第2项")

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_CENT = Decimal("0.01")
_ONE_DAY = dt.timedelta(days=1)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ParkFacts(Facts):
    """Facts of the park: the document is in force from its issue date."""

    @field_validator("as_of")
    @classmethod
    def _in_force(cls, value: dt.date) -> dt.date:
        if value < ISSUED:
            raise ValueError(f"a date on or after {ISSUED.isoformat()} (镇人社发〔2015〕104号 issued then)")
        return value


def month_bounds(key: str) -> tuple[dt.date, dt.date]:
    """First and last day of a ``YYYY-MM`` month key; ValueError naming the expected form otherwise."""
    match = _MONTH.match(key)
    if match is None:
        raise ValueError(f"month key {key!r}: expected YYYY-MM (e.g. 2024-02)")
    year, month = int(match.group(1)), int(match.group(2))
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def validate_month_days(value: Mapping[str, int]) -> dict[str, int]:
    """Check a monthly log {YYYY-MM: days}: 0..31 and no more than the days of that month; sorted by month."""
    problems: list[str] = []
    for key, days in value.items():
        try:
            _, last = month_bounds(key)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if days < 0 or days > last.day:
            problems.append(f"{key}: days on site must be 0–{last.day} (days in {key}), got {days}")
    if problems:
        raise ValueError("; ".join(problems))
    return dict(sorted(value.items()))
