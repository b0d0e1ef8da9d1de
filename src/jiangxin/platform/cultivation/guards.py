"""Guards of the cultivation year's transitions (江苏卓越技师办法): what a late or out-of-order step runs into.

Each guard raises :class:`~.access.CultivationError` with the Chinese reason and the article it rests on; the
registry (``cultivation/transitions.py``) then writes nothing. They close the side doors the page flow alone does
not: a choice made (or entered on paper) after the unit was graded or accepted, dates moved once their phase is
over, attendance or report scores changed under a finished grading, funding above the passing count.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.models import (
    CultivationYear,
    Enrolment,
    UnitAcceptance,
    UnitGrading,
    YearStatus,
)

DOCUMENT = "江苏卓越技师办法"
#: phases in which trainees choose a unit and major (第七条: at the start of each year; the platform lets the
#: choice run into the training phase until the office's deadline)
CHOICE_PHASES = (YearStatus.CHOOSING, YearStatus.TRAINING)


def cite(article: str) -> str:
    return f"{DOCUMENT} {article}"


def _acceptance_done(year: CultivationYear, unit: Any) -> bool:
    return UnitAcceptance.objects.filter(year=year, training_unit=unit, assessed_at__isnull=False).exists()


def _graded(year: CultivationYear, unit: Any) -> bool:
    return UnitGrading.objects.filter(year=year, training_unit=unit).exists()


def unit_closed(year: CultivationYear, unit: Any, doing: str) -> None:
    """Refuse ``doing`` once the unit's trainees were graded (第二十条) or the unit accepted (第二十二条)."""
    if unit is None:
        return
    if _acceptance_done(year, unit):
        raise CultivationError(f"{unit.name}{year.year}学年的省级考核验收已完成，评定结果已锁定，不能再{doing}。",
                               citations=[cite("第二十二条")])
    if _graded(year, unit):
        raise CultivationError(f"{unit.name}{year.year}学年的培育对象评定已完成，不能再{doing}。",
                               citations=[cite("第二十条")])


def choice_allowed(enrolment: Enrolment, major: Any, today: dt.date) -> None:
    """第七条/第八条: a unit and major are chosen at the start of the year, until the office's deadline, and never
    into (or out of) a unit whose trainees were already graded or accepted (第二十条, 第二十二条)."""
    year = enrolment.year
    if year.status not in CHOICE_PHASES or year.choice_closes_on is None or today > year.choice_closes_on:
        raise CultivationError(f"{year}选专业已截止（截止日期 {year.choice_closes_on or '未设定'}）。",
                               citations=[cite("第七条")])
    unit_closed(year, major.training_unit, "选择该单位的专业")
    current = enrolment.training_unit
    if current is not None and current.pk != major.training_unit_id:
        unit_closed(year, current, "变更承训单位")


def enrolment_open(year: CultivationYear, today: dt.date) -> None:
    """New trainees join the year's list while it is still being trained (第七条, 第八条); once the grading has
    begun (第二十条) the year's cohort is fixed and a newcomer joins the next year."""
    if year.status in CHOICE_PHASES:
        return
    raise CultivationError(f"{year}已进入“{YearStatus(year.status).label}”阶段，不能再纳入培育名单，请纳入下一学年。",
                           citations=[cite("第七条"), cite("第二十条")])


def year_dates_allowed(year: CultivationYear, choice_closes_on: dt.date | None,
                       report_due_on: dt.date | None) -> None:
    """A deadline is moved only while its phase runs: the choice deadline in the choosing phase (第七条), the
    report deadline before the grading (第十九条, 第二十条)."""
    if choice_closes_on != year.choice_closes_on and year.status != YearStatus.CHOOSING:
        raise CultivationError("选专业阶段已结束，不能再调整选专业截止日期。", citations=[cite("第七条")])
    if report_due_on != year.report_due_on and year.status not in CHOICE_PHASES:
        raise CultivationError("培育对象评定已开始，不能再调整研修报告提交截止日期。",
                               citations=[cite("第十九条"), cite("第二十条")])


def finding_date_allowed(year: CultivationYear, decided_on: dt.date, today: dt.date) -> None:
    """第二十一条: the three-year measures run from the finding; its date is neither in the future nor before the
    year it belongs to (a back-dated finding would shorten the ban)."""
    if decided_on > today:
        raise CultivationError("认定日期不能晚于今天。", citations=[cite("第二十一条")])
    if decided_on < dt.date(year.year, 1, 1):
        raise CultivationError(f"认定日期不能早于{year.year}学年开始（{year.year}-01-01）。",
                               citations=[cite("第二十一条")])


def grading_allowed(year: CultivationYear) -> None:
    """Grading comes after the year's training (第二十条), never in the choosing phase."""
    if year.status in (YearStatus.CHOOSING, YearStatus.CLOSED):
        raise CultivationError(f"{year}当前处于“{YearStatus(year.status).label}”阶段，不能评定培育对象。",
                               citations=[cite("第二十条")])


def funding_within_entitlement(acceptance: UnitAcceptance, already: Decimal, adding: Decimal,
                               passing: dict[str, int]) -> None:
    """第二十二条: the funds follow the accepted passing count; nothing above the acceptance's funding total."""
    if passing.get("A", 0) != acceptance.passing_a or passing.get("B", 0) != acceptance.passing_b:
        raise CultivationError(
            f"验收合格人数与验收结果不一致（验收：A类{acceptance.passing_a}人、B类{acceptance.passing_b}人；"
            f"现有合格：A类{passing.get('A', 0)}人、B类{passing.get('B', 0)}人），不能核拨经费。",
            citations=[cite("第二十二条")])
    entitled = Decimal(str(((acceptance.funding_outcome or {}).get("value") or {}).get("total") or "0"))
    if already + adding > entitled:
        raise CultivationError(f"核拨金额 {already + adding} 元超过按验收合格人数核定的 {entitled} 元，不能核拨。",
                               citations=[cite("第二十二条")])


def today() -> dt.date:
    return timezone.localdate()
