"""The official PRC working-day calendar (法定节假日 and 调休 make-up workdays).

Sources, merged once per process into per-year sets:

* the ``chinesecalendar`` package (import name ``chinese_calendar``), which transcribes the State
  Council's yearly 部分节假日安排 notices for the years it covers (2004–2026 in version 1.11);
* ``data/calendar-extra.yaml``, where an office adds a year the package does not cover yet (or corrects
  one), listing its holidays and make-up workdays explicitly with the notice reference. A year in the
  file replaces the package's data for that year.

* years the office enters in the platform (工作日日历维护), handed in as data through
  :func:`register_year_provider`: the platform registers a provider at start-up; the calendar asks it
  only for a year that neither source above covers, on every lookup of such a year, so every process
  sees an entered or corrected year at once. An entered year therefore never overrides a package year.

A day is a working day when it is a make-up workday (调休上班), or a Monday–Friday that is not a
holiday.
A year present in neither source raises :class:`CalendarYearUnknownError` naming the year: dates are
never guessed from weekdays alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from jiangxin.policy.errors import CalendarYearUnknownError, ParameterError
from jiangxin.policy.outcome import Citation, cite

__all__ = [
    "ENTERED_SOURCE",
    "EXTRA_CALENDAR_FILE",
    "HOLIDAY_CITATION",
    "EnteredYear",
    "WorkdayCalendar",
    "YearCalendar",
    "YearProvider",
    "add_working_days",
    "calendar_citation",
    "default_calendar",
    "is_workday",
    "known_years",
    "next_workday",
    "register_year_provider",
    "working_days_between",
]

EXTRA_CALENDAR_FILE = Path(__file__).parent / "data" / "calendar-extra.yaml"

#: Generic citation of the yearly State Council holiday notices; prefer :func:`calendar_citation`.
HOLIDAY_CITATION: Citation = cite("holiday_notice", "历年部分节假日安排")

PACKAGE_SOURCE = "chinesecalendar"
EXTRA_SOURCE = "calendar-extra.yaml"
ENTERED_SOURCE = "platform"


@dataclasses.dataclass(frozen=True, slots=True)
class YearCalendar:
    """One year of the official calendar, precomputed for fast lookups."""

    year: int
    holidays: frozenset[dt.date]          # days off by the notice (may include weekend days)
    makeup_workdays: frozenset[dt.date]   # weekend days worked by the notice (调休上班)
    workdays: frozenset[dt.date]          # every working day of the year
    workday_ordinals: tuple[int, ...]     # the same, as sorted ordinals (for bisect)
    citation: Citation
    source: str

    @classmethod
    def build(cls, year: int, holidays: Iterable[dt.date], makeup: Iterable[dt.date], citation: Citation,
              source: str) -> YearCalendar:
        hol = frozenset(holidays)
        mk = frozenset(makeup)
        first = dt.date(year, 1, 1).toordinal()
        last = dt.date(year, 12, 31).toordinal()
        ordinals: list[int] = []
        for o in range(first, last + 1):
            day = dt.date.fromordinal(o)
            if day in mk or (day.weekday() < 5 and day not in hol):
                ordinals.append(o)
        return cls(year, hol, mk, frozenset(dt.date.fromordinal(o) for o in ordinals), tuple(ordinals),
                   citation, source)


@dataclasses.dataclass(frozen=True, slots=True)
class EnteredYear:
    """A year entered by the office (not in the package): its notice's holidays and make-up workdays."""

    year: int
    holidays: frozenset[dt.date]
    makeup_workdays: frozenset[dt.date]
    notice: str

    def problems(self) -> list[str]:
        """What makes this entry unusable (empty when it is sound); each names the offending date."""
        out: list[str] = []
        if not self.notice.strip():
            out.append("the reference of the holiday notice is required")
        if not self.holidays:
            out.append("at least one holiday is required")
        for day in sorted(self.holidays | self.makeup_workdays):
            if day.year != self.year:
                out.append(f"{day.isoformat()} is not in {self.year}")
        for day in sorted(self.holidays & self.makeup_workdays):
            out.append(f"{day.isoformat()} is listed both as holiday and as workday")
        for day in sorted(self.makeup_workdays):
            if day.weekday() < 5:
                out.append(f"{day.isoformat()} is a weekday; a make-up workday is a weekend day")
        return out


#: Answers the entered year asked for, or ``None`` when the office has not entered it.
YearProvider = Callable[[int], EnteredYear | None]
_PROVIDER: list[YearProvider | None] = [None]


def register_year_provider(provider: YearProvider | None) -> None:
    """Install (or, with ``None``, remove) the source of office-entered years."""
    _PROVIDER[0] = provider


@lru_cache(maxsize=64)
def _entered_calendar(entry: EnteredYear) -> YearCalendar:
    problems = entry.problems()
    if problems:
        raise ParameterError(f"entered calendar of {entry.year}: " + "; ".join(problems))
    return YearCalendar.build(entry.year, entry.holidays, entry.makeup_workdays,
                              calendar_citation(entry.year, entry.notice), ENTERED_SOURCE)


def _entered_year(year: int) -> YearCalendar | None:
    provider = _PROVIDER[0]
    entry = provider(year) if provider is not None else None
    return _entered_calendar(entry) if entry is not None else None


def calendar_citation(year: int, notice: str = "") -> Citation:
    """Citation of the State Council notice that sets ``year``'s holidays (clause: its reference, if known)."""
    return cite("holiday_notice", f"{year}年部分节假日安排", f"（{notice}）" if notice else "")


def _date(raw: Any, where: str) -> dt.date:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise ParameterError(f"{where}: expected a date in the form YYYY-MM-DD, got {raw!r}")


def _dates(raw: Any, year: int, where: str) -> list[dt.date]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ParameterError(f"{where}: expected a list of dates (YYYY-MM-DD)")
    out = []
    for i, item in enumerate(raw):
        day = _date(item, f"{where}[{i}]")
        if day.year != year:
            raise ParameterError(f"{where}[{i}]: {day.isoformat()} is not in {year}")
        out.append(day)
    return out


def load_extra_years(path: Path) -> dict[int, YearCalendar]:
    """Parse an office calendar file; every error names the entry and the expected form.

    Layout::

        years:
          2027:
            notice: 国办发明电〔2026〕N号   # the notice's reference (required)
            holidays: [2027-01-01, ...]     # every day off of each holiday period
            workdays: [2027-02-06, ...]     # make-up workdays (weekend days worked); may be empty
    """
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, Mapping):
        raise ParameterError(f"{path}: expected a mapping with 'years'")
    years = data.get("years") or {}
    if not isinstance(years, Mapping):
        raise ParameterError(f"{path}: 'years' must map a year to its holidays and workdays")
    out: dict[int, YearCalendar] = {}
    for raw_year, entry in years.items():
        where = f"{path.name}: years.{raw_year}"
        try:
            year = int(raw_year)
        except (TypeError, ValueError):
            raise ParameterError(f"{where}: the key must be a year such as 2027") from None
        if not isinstance(entry, Mapping):
            raise ParameterError(f"{where}: expected {{notice: ..., holidays: [...], workdays: [...]}}")
        notice = str(entry.get("notice") or "").strip()
        if not notice:
            raise ParameterError(f"{where}.notice: the reference of the holiday notice is required")
        holidays = _dates(entry.get("holidays"), year, f"{where}.holidays")
        if not holidays:
            raise ParameterError(f"{where}.holidays: list the year's holidays (at least one date)")
        makeup = _dates(entry.get("workdays"), year, f"{where}.workdays")
        both = sorted(set(holidays) & set(makeup))
        if both:
            raise ParameterError(f"{where}: {both[0].isoformat()} is listed both as holiday and as workday")
        weekday_makeup = [d for d in makeup if d.weekday() < 5]
        if weekday_makeup:
            raise ParameterError(f"{where}.workdays: {weekday_makeup[0].isoformat()} is a weekday; list only "
                                 f"weekend days that are worked")
        out[year] = YearCalendar.build(year, holidays, makeup, calendar_citation(year, notice), EXTRA_SOURCE)
    return out


def _package_years() -> dict[int, YearCalendar]:
    import chinese_calendar  # type: ignore[import-untyped]

    holidays: dict[int, list[dt.date]] = {}
    for day in chinese_calendar.holidays:
        holidays.setdefault(day.year, []).append(day)
    makeup: dict[int, list[dt.date]] = {}
    for day in chinese_calendar.workdays:
        makeup.setdefault(day.year, []).append(day)
    first, last = min(holidays), max(holidays)
    return {year: YearCalendar.build(year, holidays.get(year, []), makeup.get(year, []),
                                     calendar_citation(year), PACKAGE_SOURCE)
            for year in range(first, last + 1)}


class WorkdayCalendar:
    """Working-day arithmetic over the loaded years; any unloaded year raises CalendarYearUnknownError."""

    __slots__ = ("entered", "years")

    def __init__(self, years: Mapping[int, YearCalendar], *, entered: bool = False):
        self.years = dict(years)
        self.entered = entered  # whether to ask the registered provider for years not in ``years``

    @classmethod
    def from_sources(cls, extra: Path | None = EXTRA_CALENDAR_FILE, *, package: bool = True,
                     entered: bool = False) -> WorkdayCalendar:
        years: dict[int, YearCalendar] = _package_years() if package else {}
        if extra is not None:
            years.update(load_extra_years(extra))
        return cls(years, entered=entered)

    def year(self, year: int) -> YearCalendar:
        found = self.years.get(year)
        if found is None and self.entered:
            found = _entered_year(year)
        if found is None:
            raise CalendarYearUnknownError(year)
        return found

    def is_workday(self, day: dt.date) -> bool:
        return day in self.year(day.year).workdays

    def is_holiday(self, day: dt.date) -> bool:
        """A day off set by the notice (not an ordinary weekend)."""
        return day in self.year(day.year).holidays

    def is_makeup_workday(self, day: dt.date) -> bool:
        return day in self.year(day.year).makeup_workdays

    def citation(self, year: int) -> Citation:
        return self.year(year).citation

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The date ``n`` working days after ``start`` (start excluded); negative ``n`` counts backwards.

        ``n == 0`` returns ``start`` itself.
        """
        if n == 0:
            return start
        year = start.year
        ords = self.year(year).workday_ordinals
        if n > 0:
            i = bisect_right(ords, start.toordinal())
            remaining = n
            while i + remaining > len(ords):
                remaining -= len(ords) - i
                year += 1
                ords = self.year(year).workday_ordinals
                i = 0
            return dt.date.fromordinal(ords[i + remaining - 1])
        i = bisect_left(ords, start.toordinal())  # workdays strictly before start: ords[:i]
        remaining = -n
        while remaining > i:
            remaining -= i
            year -= 1
            ords = self.year(year).workday_ordinals
            i = len(ords)
        return dt.date.fromordinal(ords[i - remaining])

    def next_workday(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, otherwise the next working day."""
        return day if self.is_workday(day) else self.add_working_days(day, 1)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in [start, end], both included (0 when ``end`` is before ``start``)."""
        if end < start:
            self.year(start.year)
            self.year(end.year)
            return 0
        total = 0
        for year in range(start.year, end.year + 1):
            ords = self.year(year).workday_ordinals
            lo = bisect_left(ords, start.toordinal()) if year == start.year else 0
            hi = bisect_right(ords, end.toordinal()) if year == end.year else len(ords)
            total += hi - lo
        return total


@cache
def default_calendar() -> WorkdayCalendar:
    """The package plus the shipped ``calendar-extra.yaml`` (built once per process), then entered years."""
    return WorkdayCalendar.from_sources(entered=True)


def known_years() -> list[int]:
    """The years the package and the shipped file cover (entered years come on top of these)."""
    return sorted(default_calendar().years)


def is_workday(day: dt.date) -> bool:
    """Whether ``day`` is a working day under the official calendar (make-up workdays included)."""
    return default_calendar().is_workday(day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date ``n`` working days after ``start`` (start excluded)."""
    return default_calendar().add_working_days(start, n)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in [start, end], both included."""
    return default_calendar().working_days_between(start, end)


def next_workday(day: dt.date) -> dt.date:
    return default_calendar().next_workday(day)
