"""Proactive screening (筛查): a program's eligibility over a whole population at once, column by column.

A program declares a :class:`Screener` for one of its computations: the columns it reads (each a NumPy array, one
row per person), a function deciding every condition for every row at once, and ``to_facts`` turning one row back
into the computation's facts, so any row can be opened to its full per-person trace and a property test can check
that the column-wise rule agrees with the per-person computation on every row.

The result names, for each row, whether it qualifies and which conditions fail (each with its article); a row that
fails exactly one condition "nearly qualifies" (差一项). No Django, no I/O."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from jiangxin.policy.errors import PolicyError
from jiangxin.policy.outcome import Citation
from jiangxin.policy.parameters import ParameterSet

__all__ = ["SCREENERS", "Column", "Condition", "ScreenResult", "Screener", "add_months", "get_screener", "screener"]

BoolArray = npt.NDArray[np.bool_]
Columns = Mapping[str, npt.NDArray[Any]]


@dataclasses.dataclass(frozen=True, slots=True)
class Column:
    """One input column: name, kind (``date``, ``int``, ``bool``, ``str``), Chinese label, whether it may be blank."""

    name: str
    kind: str
    label: str
    optional: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class Condition:
    """One admission condition the screen decides for every row."""

    key: str
    title: str
    citation: Citation


@dataclasses.dataclass(frozen=True)
class ScreenResult:
    conditions: tuple[Condition, ...]
    passed: dict[str, BoolArray]  # condition key → row passes
    eligible: BoolArray

    @property
    def size(self) -> int:
        return int(self.eligible.shape[0])

    @property
    def failed_count(self) -> npt.NDArray[np.int64]:
        return sum((~self.passed[c.key]).astype(np.int64) for c in self.conditions)  # type: ignore[return-value]

    @property
    def near(self) -> BoolArray:
        """Rows failing exactly one condition (差一项)."""
        return np.asarray(self.failed_count == 1)

    def failures(self, row: int) -> list[Condition]:
        return [c for c in self.conditions if not bool(self.passed[c.key][row])]

    def near_by_condition(self) -> dict[str, int]:
        """How many rows fail only this condition, per condition."""
        near = self.near
        return {c.key: int(np.count_nonzero(near & ~self.passed[c.key])) for c in self.conditions}


ScreenFunc = Callable[[Columns, ParameterSet, dt.date, int], ScreenResult]


@dataclasses.dataclass(frozen=True)
class Screener:
    program: str
    computation: str
    title: str
    columns: tuple[Column, ...]
    conditions: tuple[Condition, ...]
    func: ScreenFunc
    to_facts: Callable[[Columns, int, dt.date, int], dict[str, Any]]

    def run(self, columns: Columns, params: ParameterSet, as_of: dt.date, plan_year: int) -> ScreenResult:
        missing = [c.name for c in self.columns if not c.optional and c.name not in columns]
        if missing:
            raise PolicyError(f"screening {self.program}/{self.computation}: missing columns {missing}")
        sizes = {len(columns[c.name]) for c in self.columns if c.name in columns}
        if len(sizes) > 1:
            raise PolicyError("screening: every column must have one value per row")
        return self.func(columns, params, as_of, plan_year)


SCREENERS: dict[tuple[str, str], Screener] = {}


def screener(program: str, computation: str, title: str, columns: tuple[Column, ...],
             conditions: tuple[Condition, ...],
             to_facts: Callable[[Columns, int, dt.date, int], dict[str, Any]]) -> Callable[[ScreenFunc], ScreenFunc]:
    def register(func: ScreenFunc) -> ScreenFunc:
        SCREENERS[(program, computation)] = Screener(program, computation, title, columns, conditions, func,
                                                     to_facts)
        return func

    return register


def get_screener(program: str, computation: str) -> Screener:
    from jiangxin.policy.registry import load_programs

    load_programs()
    try:
        return SCREENERS[(program, computation)]
    except KeyError:
        raise PolicyError(f"no screening declared for {program}/{computation}") from None


#: civil dates of every day from 1900-01-01 to 2199-12-31, looked up instead of computed (one gather per column)
_TABLE_START = -25567  # 1900-01-01 in days since 1970-01-01
_TABLE_DAYS = 109572  # to 2199-12-31


@functools.cache
def _civil_table() -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    return _civil_arithmetic(np.arange(_TABLE_START, _TABLE_START + _TABLE_DAYS, dtype=np.int64))


def civil_from_days(days: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64],
                                                            npt.NDArray[np.int64]]:
    """Year, month, day of days since 1970-01-01 (proleptic Gregorian)."""
    offset = days - _TABLE_START
    if offset.size and offset.min() >= 0 and offset.max() < _TABLE_DAYS:
        years, months, days_of_month = _civil_table()
        return years[offset], months[offset], days_of_month[offset]
    return _civil_arithmetic(days)


def _civil_arithmetic(days: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64],
                                                             npt.NDArray[np.int64]]:
    """H. Hinnant's integer algorithm, for any day."""
    z = days + 719468
    era = np.floor_divide(z, 146097)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


def days_from_civil(year: npt.NDArray[np.int64], month: npt.NDArray[np.int64],
                    day: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Days since 1970-01-01 of a civil date (the inverse of :func:`civil_from_days`)."""
    y = year - (month <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    mp = np.where(month > 2, month - 3, month + 9)
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    serial: npt.NDArray[np.int64] = era * 146097 + doe - 719468
    return serial


_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def add_months(days: npt.NDArray[np.datetime64], months: npt.NDArray[np.int64] | int) -> npt.NDArray[np.datetime64]:
    """Column-wise ``deadlines.add_months``: each date moved by months, clamped to the month end; NaT stays NaT."""
    missing = np.isnat(days)
    serial = np.where(missing, 0, days.astype("datetime64[D]").astype(np.int64))
    year, month, day = civil_from_days(serial)
    index = year * 12 + (month - 1) + np.asarray(months, dtype=np.int64)
    new_year, new_month0 = np.divmod(index, 12)
    leap = ((new_year % 4 == 0) & (new_year % 100 != 0)) | (new_year % 400 == 0)
    last = _MONTH_DAYS[new_month0] + ((new_month0 == 1) & leap)
    moved = days_from_civil(new_year, new_month0 + 1, np.minimum(day, last)).astype("datetime64[D]")
    return np.where(missing, np.datetime64("NaT", "D"), moved)
