"""Residency: the rent-free term (四（一）) and the fees that stay due (五（三）)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import Field, field_validator, model_validator

from jiangxin.policy.deadlines import window
from jiangxin.policy.outcome import Outcome, Status, Trace
from jiangxin.policy.parameters import Duration, ParameterSet
from jiangxin.policy.registry import computation
from jiangxin.programs.zhenjiang_park import PROGRAM
from jiangxin.programs.zhenjiang_park.rules.common import (
    _CENT,
    _ONE_DAY,
    FEES,
    ISSUED,
    RENT_FREE,
    ParkFacts,
    _Strict,
    month_bounds,
)

# ---------------------------------------------------------------------------------------------------------
# 3. 场地租金减免 四（一） and fees 五（三）


class RentFreeFacts(ParkFacts):
    admission_date: dt.date = Field(description="入驻日期 — the day the studio was admitted (moved in)")
    months: list[str] = Field(default_factory=list,
                              description="查询月份 — months (YYYY-MM) to report as rent-free or not")

    @field_validator("months")
    @classmethod
    def _months(cls, value: list[str]) -> list[str]:
        for key in value:
            month_bounds(key)
        return value

    @field_validator("admission_date")
    @classmethod
    def _admitted_in_force(cls, value: dt.date) -> dt.date:
        if value < ISSUED:
            raise ValueError(f"a date on or after {ISSUED.isoformat()} (the park opened under this document)")
        return value


@dataclasses.dataclass(frozen=True, slots=True)
class RentFreeTerm:
    first_day: dt.date
    last_day: dt.date


def rent_free_term_of(admission: dt.date, params: ParameterSet, trace: Trace) -> RentFreeTerm:
    """四（一）: the rent-free window: the admission day is day 1 (I-ZJ-03).

    Counted as a Civil Code period running from the eve of admission, so it ends on the day before the
    anniversary — and on 28 February when a 29 February admission has no anniversary day.
    """
    term = params.get("rent_free_term", admission)
    duration: Duration = term.value
    win = window(admission - _ONE_DAY, duration, first_day_counts=False)
    trace.add("rent_free_term", term.citation, {"first_day": win.start, "last_day": win.end},
              inputs={"admission_date": admission}, parameters={term.name: duration}, note=term.interpretation)
    return RentFreeTerm(win.start, win.end)


@computation(PROGRAM, "rent_free_term", "场地租金减免期限", RENT_FREE, RentFreeFacts)
def rent_free_term(facts: RentFreeFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """四（一）: 2 years rent-free from admission; fees (utilities, property) stay due (五（三）)."""
    trace = Trace()
    term = rent_free_term_of(facts.admission_date, params, trace)
    on_as_of = term.first_day <= facts.as_of <= term.last_day
    trace.add("rent_free_on_as_of", RENT_FREE, on_as_of, inputs={"as_of": facts.as_of})
    months: dict[str, Any] = {}
    for key in facts.months:
        first, last = month_bounds(key)
        start, end = max(first, term.first_day), min(last, term.last_day)
        free_days = (end - start).days + 1 if start <= end else 0
        months[key] = {"rent_free_days": free_days, "days_in_month": last.day,
                       "fully_rent_free": free_days == last.day}
    if months:
        trace.add("rent_free_months", RENT_FREE, months)
    trace.add("fees_due", FEES, True, note="水电、物业管理等费用不在减免之列，按时缴纳")
    return Outcome({"first_day": term.first_day, "last_rent_free_day": term.last_day,
                    "rent_free_on_as_of": on_as_of, "months": months, "fees_due": True},
                   Status.OK, trace.steps)


class MonthFees(_Strict):
    due: Decimal = Field(ge=0, decimal_places=2,
                         description="应缴费用 — utilities, property management and other fees due for the month "
                                     "(yuan)")
    paid: Decimal = Field(ge=0, decimal_places=2,
                          description="已缴费用 — payments allocated to this month (yuan)")

    @model_validator(mode="after")
    def _not_overpaid(self) -> MonthFees:
        if self.paid > self.due:
            raise ValueError(f"paid ({self.paid}) exceeds due ({self.due}): allocate each payment to the month "
                             f"it settles")
        return self


class FeeFacts(ParkFacts):
    months: dict[str, MonthFees] = Field(
        description="月度费用 — per month (YYYY-MM): fees due and paid; rent-free months still owe fees")

    @field_validator("months")
    @classmethod
    def _keys(cls, value: dict[str, MonthFees]) -> dict[str, MonthFees]:
        for key in value:
            month_bounds(key)
        return dict(sorted(value.items()))


@computation(PROGRAM, "fee_arrears", "水电物业费欠缴", FEES, FeeFacts)
def fee_arrears(facts: FeeFacts, params: ParameterSet) -> Outcome[dict[str, Any]]:
    """五（三）: fees are always due, rent-free or not; arrears = due − paid per month, and their total."""
    trace = Trace()
    per_month = {key: (fees.due - fees.paid).quantize(_CENT) for key, fees in facts.months.items()}
    total = sum(per_month.values(), Decimal("0.00"))
    trace.add("fee_arrears", FEES, {"per_month": per_month, "total": total},
              inputs={"months": {k: {"due": f.due, "paid": f.paid} for k, f in facts.months.items()}},
              note=f"免租不免费 ({RENT_FREE.label})")
    trace.check("fees_paid", FEES, total == 0)
    return Outcome({"per_month": per_month, "total": total,
                    "months_in_arrears": [k for k, v in per_month.items() if v > 0]},
                   Status.PASSED if total == 0 else Status.FAILED, trace.steps)
