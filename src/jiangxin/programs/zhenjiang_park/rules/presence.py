"""Monthly presence on site and its deduction (附件2 基础分第2项)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import Field, field_validator, model_validator

from jiangxin.policy.outcome import Outcome, Status, Trace
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.registry import computation
from jiangxin.programs.zhenjiang_park import PROGRAM
from jiangxin.programs.zhenjiang_park.rules.common import PRESENCE, ParkFacts, validate_month_days

# ---------------------------------------------------------------------------------------------------------
# 4. 每月到园时间 附件2 基础分第2项


class PresenceFacts(ParkFacts):
    days_on_site: dict[str, int] = Field(
        description="到园天数 — days on site per month, keyed YYYY-MM (0 to the days of that month)")

    @field_validator("days_on_site")
    @classmethod
    def _days(cls, value: dict[str, int]) -> dict[str, int]:
        return validate_month_days(value)

    @model_validator(mode="after")
    def _not_future(self) -> PresenceFacts:
        limit = f"{self.as_of.year:04d}-{self.as_of.month:02d}"
        future = [k for k in self.days_on_site if k > limit]
        if future:
            raise ValueError(f"days_on_site: months after as_of ({limit}) cannot be logged yet: {future}")
        return self


@dataclasses.dataclass(frozen=True, slots=True)
class Shortfall:
    """Missing days against the monthly minimum (附件2 基础分第2项)."""

    basis: str
    minimum: int
    per_month: dict[str, int]
    missing_days: int


def presence_shortfall(days_on_site: Mapping[str, int], params: ParameterSet, on: dt.date,
                       trace: Trace) -> Shortfall:
    """Total missing days: per month max(0, minimum − days) summed, or (yearly basis) minimum × months − total."""
    minimum_p = params.get("presence_min_days_per_month", on)
    basis_p = params.get("presence_shortfall_basis", on)
    minimum = int(minimum_p.value)
    per_month = {k: max(0, minimum - d) for k, d in days_on_site.items()}
    if basis_p.value == "per_month":
        missing = sum(per_month.values())
    elif basis_p.value == "yearly":
        missing = max(0, minimum * len(days_on_site) - sum(days_on_site.values()))
    else:
        raise ValueError(f"presence_shortfall_basis must be per_month or yearly, got {basis_p.value!r}")
    trace.add("presence_missing_days", PRESENCE, missing,
              inputs={"days_on_site": dict(days_on_site), "missing_per_month": per_month},
              parameters={minimum_p.name: minimum, basis_p.name: basis_p.value}, note=basis_p.interpretation)
    return Shortfall(str(basis_p.value), minimum, per_month, missing)


@computation(PROGRAM, "presence", "每月到园时间扣分", PRESENCE, PresenceFacts)
def presence(facts: PresenceFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """附件2 item 2: at least 10 days a month; 2 points off per missing day, never below 0 of the 20 points."""
    trace = Trace()
    shortfall = presence_shortfall(facts.days_on_site, params, facts.as_of, trace)
    per_day = params.get("presence_points_per_missing_day", facts.as_of)
    item = params.get("presence_item_points", facts.as_of)
    deduction = min(item.value, per_day.value * shortfall.missing_days)
    awarded = item.value - deduction
    trace.add("presence_points", PRESENCE, awarded, inputs={"missing_days": shortfall.missing_days},
              parameters={per_day.name: per_day.value, item.name: item.value},
              note=f"deduction {deduction}, floor 0")
    return Outcome({"missing_per_month": shortfall.per_month, "missing_days": shortfall.missing_days,
                    "deduction": deduction, "points": awarded, "max_points": item.value},
                   Status.OK, trace.steps)
