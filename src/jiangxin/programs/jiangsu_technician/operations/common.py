"""What the cohort rules share: the citations, strict input models, period ends and shares."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from pydantic import ConfigDict

from jiangxin.policy.deadlines import add_months, window
from jiangxin.policy.errors import FactsError
from jiangxin.policy.outcome import Status, Trace, cite
from jiangxin.policy.parameters import Duration, DurationUnit

DOC = "jiangsu_technician"
ART_2_FUNDING = cite(DOC, "第二条", "（补助标准与跟踪年限）")
ART_9 = cite(DOC, "第九条")
ART_10 = cite(DOC, "第十条")
ART_10_MEALS = cite(DOC, "第十条", "（用餐补贴）")
ART_10_REMOTE = cite(DOC, "第十条", "（交通和住宿补贴）")
ART_16 = cite(DOC, "第十六条")
ART_17 = cite(DOC, "第十七条")
ART_20 = cite(DOC, "第二十条")
ART_21_COMPLETION = cite(DOC, "第二十一条", "（学分学时不足）")
ART_21_TRAINEE = cite(DOC, "第二十一条", "（违反培训纪律）")
ART_21_EMPLOYER = cite(DOC, "第二十一条", "（用人单位不支持参训）")
ART_22 = cite(DOC, "第二十二条")
ART_24 = cite(DOC, "第二十四条")

_STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
_ZERO = Decimal(0)
_CENT = Decimal("0.01")


def _unique(keys: Iterable[str], field: str) -> None:
    dupes = sorted(k for k, n in Counter(keys).items() if n > 1)
    if dupes:
        raise FactsError([(field, f"each key once (repeated: {', '.join(dupes)})")])


def _status(trace: Trace, ok: Status = Status.PASSED, bad: Status = Status.FAILED) -> Status:
    return bad if any(s.passed is False for s in trace.steps) else ok


def last_day_of_period(start: dt.date, duration: Duration) -> dt.date:
    """Last day included in a period of months/years whose first day is ``start`` (I-JS-07, I-JS-09).

    The period ends the day before the anniversary (1 March + 5 months → 31 July); when the anniversary
    day does not exist in the final month (29 February + 3 years, 31 January + 5 months) the period ends on
    that month's last day, as the Civil Code counts periods (民法典第二百零二条).
    """
    if duration.unit not in (DurationUnit.MONTHS, DurationUnit.YEARS):
        return window(start, duration, first_day_counts=True).end
    months = duration.amount * (12 if duration.unit is DurationUnit.YEARS else 1)
    anniversary = add_months(start, months)
    return anniversary if anniversary.day != start.day else anniversary - dt.timedelta(days=1)


def _share(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole).quantize(Decimal("0.0001")) if whole else _ZERO
