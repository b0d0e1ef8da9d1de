"""The tracking period (跟踪培养期) that follows selection: the term a 江苏 cohort designation runs for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from jiangxin.policy.deadlines import add_years
from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Outcome, Status, Trace, cite
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.registry import computation
from jiangxin.programs.jiangsu_technician import PROGRAM

ART_2_TRACKING = cite("jiangsu_technician", "第二条", "（跟踪年限）")


class TrackingFacts(Facts):
    selected_on: dt.date = Field(description="入选培育对象之日")


@computation(PROGRAM, "tracking_period", "入选后的跟踪培养期", ART_2_TRACKING, TrackingFacts)
def tracking_period(facts: TrackingFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """From the day of selection to the day before the anniversary ``tracking_years`` later (I-DESIG-01)."""
    t = Trace()
    years = params.get("tracking_years", facts.selected_on)
    end = add_years(facts.selected_on, int(years.value)) - dt.timedelta(days=1)
    t.add("tracking_period", years.citation, end, inputs={"start": facts.selected_on},
          parameters={"tracking_years": int(years.value)}, note="自入选之日起算，至周年前一日止（I-DESIG-01）")
    return Outcome({"start": facts.selected_on, "end": end}, Status.OK, t.steps)
