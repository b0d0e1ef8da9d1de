"""What the training actions and selectors share (江苏卓越技师办法 第十二条 … 第二十一条): the part's constants,
whom to notify, number parsing and the open-year check.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.cultivation.access import CultivationError
from jiangxin.platform.cultivation.models import CityLead, CultivationYear, Enrolment, YearStatus

PROGRAM = "jiangsu_technician"


ZERO = Decimal("0")


ONE_DECIMAL = Decimal("0.1")


CENT = Decimal("0.01")


REPORT_TYPES = frozenset({"pdf", "docx"})


REPORT_MAX_BYTES = 20 * 1024 * 1024


SCORE_MAX = Decimal("100")


TRUE_WORDS = frozenset({"是", "y", "yes", "true", "1", "线上", "√"})


FALSE_WORDS = frozenset({"", "否", "n", "no", "false", "0", "现场"})


def _users(**filters: Any) -> QuerySet[Any]:
    return get_user_model().objects.filter(is_active=True, **filters)


def _notify(users: Iterable[Any], title: str, body: str = "", url: str = "") -> None:
    from jiangxin.platform.notifications.services import notify

    users = list(users)
    if users:
        notify(users, title=title, body=body, url=url)


def trainee_users(enrolment: Enrolment) -> QuerySet[Any]:
    return _users(role=Role.TRAINEE, person=enrolment.person)


def unit_users(unit: Any) -> QuerySet[Any]:
    return _users(role=Role.TRAINING_UNIT, organisation=unit)


def unit_experts(unit: Any) -> QuerySet[Any]:
    """The unit's experts: EXPERT users whose organisation is the training unit."""
    return _users(role=Role.EXPERT, organisation=unit)


def city_leads(enrolment: Enrolment) -> QuerySet[Any]:
    ids = CityLead.objects.filter(year=enrolment.year, city_bureau=enrolment.home_city).values("user")
    return _users(pk__in=ids)


def _decimal(value: Any, label: str) -> Decimal:
    if isinstance(value, Decimal):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CultivationError(f"{label}“{text}”不是数字。") from None
    if not number.is_finite():
        raise CultivationError(f"{label}不是有效数字。")
    return number


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CultivationError(f"线上一栏只能填“是”或“否”，不能是“{value}”。")


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(ONE_DECIMAL, ROUND_HALF_UP) if whole else ZERO


def _require_open(year: CultivationYear) -> None:
    if year.status == YearStatus.CLOSED:
        raise CultivationError(gettext("该学年已结束，不能再登记。"))


IMPORT_COLUMNS = ("课程编号", "培育对象编号", "姓名", "专业", "学时", "学分", "线上（是/否）")


class ImportFailure(CultivationError):
    """The import was refused; ``rows`` lists (row number, message) for the error report."""

    def __init__(self, message: str, rows: list[tuple[int, str]]) -> None:
        super().__init__(message)
        self.rows = rows


def _own_enrolment(actor: Any, enrolment: Enrolment) -> None:
    person = getattr(actor, "person", None)
    if getattr(actor, "role", "") != Role.TRAINEE or person is None or enrolment.person_id != person.pk:
        raise CultivationError(gettext("只能为本人办理。"))
