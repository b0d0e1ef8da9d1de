"""Publicity windows (公示期) and year-end naming deadlines, shared by the programs.

What differs between documents is data: the parameter names (and so the YAML entries that carry the
duration, whether the posting day counts, the deadline's month and day) and the citation each step
carries. What is the same is here, once:

* :func:`parameter_window` — a window whose length and first-day rule are dated parameters;
* :func:`publicity` — the naming publicity window (start, end, the first day naming may follow), with
  the official calendar cited when the window counts working days;
* :func:`deadline_outcome` — the deadline in the round's year and, when a naming date is planned,
  whether it meets the deadline and follows the publicity.

The program modules keep their own computations (names, titles, citations) and only pass these in.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from pydantic import Field

from jiangxin.policy.deadlines import Window, window
from jiangxin.policy.errors import ParameterError
from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Citation, Outcome, Status, Trace
from jiangxin.policy.parameters import DurationUnit, ParameterSet, ParamValue
from jiangxin.policy.workdays import calendar_citation

__all__ = ["DeadlineFacts", "ParameterWindow", "PublicityFacts", "deadline_outcome", "parameter_window",
           "publicity", "year_deadline"]

_ONE_DAY = dt.timedelta(days=1)


@dataclasses.dataclass(frozen=True, slots=True)
class ParameterWindow:
    """A window computed from parameters, with the two parameter values it was computed from."""

    window: Window
    duration: ParamValue
    first_day_counts: ParamValue


def parameter_window(start: dt.date, on: dt.date, params: ParameterSet, *, duration: str,
                     first_day_counts: str) -> ParameterWindow:
    """The window from ``start`` whose length is parameter ``duration`` and whose first-day rule is the
    true/false parameter ``first_day_counts`` (both read on ``on``)."""
    length = params.get(duration, on)
    first = params.get(first_day_counts, on)
    if not isinstance(first.value, bool):
        raise ParameterError(f"{first.name}: expected true or false, got {first.value!r}")
    return ParameterWindow(window(start, length.value, first_day_counts=first.value), length, first)


# --- naming publicity ---------------------------------------------------------------------------------

class PublicityFacts(Facts):
    publicity_start: dt.date = Field(description="公示发布日 the day the publicity notice is published")


def publicity(start: dt.date, on: dt.date, params: ParameterSet, citation: Citation, trace: Trace, *,
              duration: str = "naming_publicity_duration",
              first_day_counts: str = "naming_publicity_first_day_counts") -> dict[str, Any]:
    """The publicity window of a naming round; naming may follow from the day after it closes.

    Records one step under ``citation`` and, for a window of working days, the official calendar of
    each year it touches."""
    pw = parameter_window(start, on, params, duration=duration, first_day_counts=first_day_counts)
    w, length, first = pw.window, pw.duration, pw.first_day_counts
    value = {"published": start, "start": w.start, "end": w.end, "naming_from": w.end + _ONE_DAY}
    trace.add("publicity_window", citation, {"start": w.start, "end": w.end},
              inputs={"published": start},
              parameters={length.name: length.value, first.name: first.value},
              note=f"first day counts: {first.value} ({first.interpretation or 'policy'})")
    if length.value.unit is DurationUnit.WORKING_DAYS:
        for year in sorted({w.start.year, w.end.year}):
            trace.add("official_calendar", calendar_citation(year), year)
    return value


# --- year-end naming deadline -------------------------------------------------------------------------

class DeadlineFacts(Facts):
    round_year: int = Field(ge=2023, le=2200, description="当年 the year of the naming round")
    planned_naming_date: dt.date | None = Field(None, description="计划命名挂牌日期 planned naming date; null if none")
    publicity_end: dt.date | None = Field(
        None, description="公示期最后一日 last day of the publicity window; null if not yet published")


def year_deadline(year: int, on: dt.date, params: ParameterSet,
                  name: str = "naming_deadline_month_day") -> tuple[dt.date, ParamValue]:
    """The deadline in ``year`` from parameter ``name`` (``MM-DD``, the day itself included)."""
    p = params.get(name, on)
    try:
        month, day = (int(x) for x in str(p.value).split("-"))
        return dt.date(year, month, day), p
    except ValueError as exc:
        raise ParameterError(f"{p.name}: expected MM-DD such as 12-31, got {p.value!r}") from exc


def deadline_outcome(facts: DeadlineFacts, params: ParameterSet, citation: Citation, *,
                     month_day: str = "naming_deadline_month_day") -> Outcome[dict[str, Any]]:
    """The naming deadline of the round's year and, when a date is planned, whether it meets the
    deadline (a miss is reported with the days late) and comes after the publicity."""
    t = Trace()
    deadline, p = year_deadline(facts.round_year, facts.as_of, params, month_day)
    t.add("naming_deadline", citation, deadline, inputs={"round_year": facts.round_year},
          parameters={p.name: p.value})
    planned = facts.planned_naming_date
    value: dict[str, Any] = {"deadline": deadline, "planned": planned, "meets_deadline": None}
    if planned is None:
        return Outcome(value, Status.OK, t.steps)
    meets = t.check("naming_by_year_end", citation, planned <= deadline,
                    inputs={"planned": planned, "deadline": deadline},
                    note="" if planned <= deadline else
                    f"warning: planned naming misses the deadline by {(planned - deadline).days} day(s)")
    ok = meets
    if facts.publicity_end is not None:
        ok &= t.check("after_publicity", citation, planned > facts.publicity_end,
                      inputs={"planned": planned, "publicity_end": facts.publicity_end},
                      note="naming follows a publicity without objection")
    value["meets_deadline"] = meets
    return Outcome(value, Status.PASSED if ok else Status.FAILED, t.steps)
