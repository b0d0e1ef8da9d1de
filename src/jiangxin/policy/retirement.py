"""Statutory retirement age under the NPCSC decision of 2024 on gradually raising it (in force 2025-01-01).

The rule as stated by the decision and the comparison tables annexed to it:

* men (original age 60): from births in January 1965, one month of delay for every four months of birth,
  up to 63 years (附件1);
* women whose original age is 55: the same pace from births in January 1970, up to 58 (附件2);
* women whose original age is 50: one month for every two months of birth from January 1975, up to 55
  (附件3);
* people born before the first month of their table keep the original age.

With ``k`` = months between the table's first birth month and the birth month (0 for the first month),
the delay is ``min(k // step + 1, cap)`` months. The retirement date is the birth date plus the total
age, clamped to the month end (born 31 August + 60y1m → 30 September).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from functools import lru_cache

from jiangxin.policy.deadlines import add_months
from jiangxin.policy.outcome import Citation, cite

__all__ = ["DECISION_CITATION", "OriginalAge", "Retirement", "statutory_retirement"]

DECISION_CITATION: Citation = cite("npcsc_retirement_2024", "决定")


class OriginalAge(enum.IntEnum):
    """Original statutory retirement age by sex and post."""

    MALE_60 = 60
    FEMALE_55 = 55
    FEMALE_50 = 50


@dataclasses.dataclass(frozen=True, slots=True)
class _Table:
    first_year: int   # first birth month of the table (January of this year)
    step: int         # months of birth per month of delay
    cap: int          # maximum delay in months
    citation: Citation


_TABLES: dict[OriginalAge, _Table] = {
    OriginalAge.MALE_60: _Table(1965, 4, 36, cite("npcsc_retirement_2024", "附件1")),
    OriginalAge.FEMALE_55: _Table(1970, 4, 36, cite("npcsc_retirement_2024", "附件2")),
    OriginalAge.FEMALE_50: _Table(1975, 2, 60, cite("npcsc_retirement_2024", "附件3")),
}


@dataclasses.dataclass(frozen=True, slots=True)
class Retirement:
    """A person's statutory retirement: original age, delay, resulting age and date, and the table cited."""

    original_age: int
    delay_months: int
    age_years: int
    age_months: int
    retirement_date: dt.date
    citation: Citation

    @property
    def total_months(self) -> int:
        return self.age_years * 12 + self.age_months


def delay_months(birth_year: int, birth_month: int, original: OriginalAge) -> int:
    """Months of delay for a birth month under the table of ``original`` (0 before the table starts)."""
    table = _TABLES[original]
    k = (birth_year - table.first_year) * 12 + (birth_month - 1)
    if k < 0:
        return 0
    return min(k // table.step + 1, table.cap)


@lru_cache(maxsize=65536)
def statutory_retirement(birth: dt.date, original: OriginalAge) -> Retirement:
    """The statutory retirement age and date of a person born on ``birth`` with ``original`` age."""
    original = OriginalAge(original)
    table = _TABLES[original]
    delay = delay_months(birth.year, birth.month, original)
    total = int(original) * 12 + delay
    years, months = divmod(total, 12)
    return Retirement(int(original), delay, years, months, add_months(birth, total), table.citation)
