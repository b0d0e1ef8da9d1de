"""What the park's actions and selectors share (镇江技能大师产业创新园意见): who may act and which
residencies an office sees, running a ``zhenjiang_park`` computation, months and money, whom to notify, the facts of
a rectification and the article of an exit ground.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.orgs.scope import scope
from jiangxin.platform.park.errors import ParkError
from jiangxin.platform.park.models import Rectification, Residency
from jiangxin.policy.errors import CalendarYearUnknownError, FactsError, PolicyError
from jiangxin.policy.registry import get_computation

PROGRAM = "zhenjiang_park"


ZERO = Decimal("0.00")


EXIT_GROUND_LABELS = {
    "studio_deregistered": "工作室被注销或撤销（五（四）1）",
    "leader_left_without_successor": "领衔大师调离且无符合要求的接替人员（五（四）2）",
    "serious_loss": "违法违纪或重大过失造成重大损失（五（四）3）",
    "evaluation_failed_or_fraud": "考核不合格经整改仍不达标或弄虚作假（五（四）4）",
}


def is_office(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "role", "") == Role.PARK_OFFICE


def visible_residencies(user: Any) -> QuerySet[Residency]:
    """Park office: every residency under its node; a studio (unit account): its own; others: none."""
    role = getattr(user, "role", "")
    if role not in (Role.PARK_OFFICE, Role.UNIT):
        return Residency.objects.none()
    return scope(Residency.objects.all(), user, org_field="studio_org")


def _require_office(user: Any, residency: Residency | None = None) -> None:
    if not is_office(user):
        raise PermissionDenied("只有园区管理办公室可以办理此事项。")
    if residency is not None and not visible_residencies(user).filter(pk=residency.pk).exists():
        raise PermissionDenied("该工作室不在您的管理范围内。")


def who_office(user: Any, *args: Any, **_kwargs: Any) -> None:
    """The office's own check, answered before the registry's role check (a 403 for anyone else)."""
    residency = next((a for a in args[:1] if isinstance(a, Residency)), None)
    rect = next((a for a in args[:1] if isinstance(a, Rectification)), None)
    _require_office(user, residency or (rect.residency if rect is not None else None))


def _require_studio_or_office(user: Any, residency: Residency) -> None:
    if not visible_residencies(user).filter(pk=residency.pk).exists():
        raise PermissionDenied("无权办理该工作室的事项。")


def _run(name: str, facts: Mapping[str, Any], overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    try:
        return get_computation(PROGRAM, name).run(dict(facts), overrides, reference="园区管理办公室").to_dict()
    except FactsError as exc:
        field, expected = exc.problems[0] if exc.problems else ("", str(exc))
        raise ParkError(f"数据不符合要求：{field} — {expected}", field or None) from exc
    except CalendarYearUnknownError:
        raise  # the page says plainly which calendar year is missing (workcalendar middleware)
    except PolicyError as exc:
        raise ParkError(f"无法计算：{exc}") from exc


def month_key(text: str) -> str:
    """Normalise and check a YYYY-MM month key (Chinese message otherwise)."""
    text = (text or "").strip()
    try:
        year, month = (int(p) for p in text.split("-"))
        if not 1 <= month <= 12 or not 2015 <= year <= 2100:
            raise ValueError
    except ValueError:
        raise ParkError(f"月份“{text}”格式不对，应为 YYYY-MM，如 2025-02。", "month") from None
    return f"{year:04d}-{month:02d}"


def _studio_users(residency: Residency) -> QuerySet[Any]:
    return get_user_model().objects.filter(role=Role.UNIT, organisation=residency.studio_org, is_active=True)


def _office_users(residency: Residency | None = None) -> QuerySet[Any]:
    users = get_user_model().objects.filter(role=Role.PARK_OFFICE, is_active=True)
    if residency is not None:
        ancestors = [int(p) for p in (residency.studio_org.path or "").strip("/").split("/") if p]
        users = users.filter(organisation_id__in=ancestors)
    return users


def _notify(users: Iterable[Any], title: str, body: str = "", url: str = "") -> None:
    from jiangxin.platform.notifications.services import notify

    notify(list(users), title=title, body=body, url=url)


def _designation(residency: Residency) -> Any | None:
    if residency.designation_id is None or not apps.is_installed("jiangxin.platform.designations"):
        return None
    model = apps.get_model("designations", "Designation")
    return model.objects.filter(pk=residency.designation_id).first()


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ParkError("金额格式不对，请填写数字（元，最多两位小数）。", field) from None
    if amount < 0:
        raise ParkError("金额不能为负数。", field)
    return amount


def _rect_facts(rect: Rectification, as_of: dt.date) -> dict[str, Any]:
    facts: dict[str, Any] = {"as_of": as_of.isoformat(), "evaluation_total": str(rect.evaluation_total),
                             "fraud_found": rect.fraud_found, "notice_date": rect.notice_date.isoformat()}
    if rect.recheck_date is not None:
        facts["recheck_date"] = rect.recheck_date.isoformat()
        facts["recheck_total"] = str(rect.recheck_total)
        if rect.fraud_found:
            facts["recheck_fraud_corrected"] = rect.recheck_total is not None and rect.recheck_total >= rect.pass_mark
    return facts


def _rect_overrides(rect: Rectification) -> dict[str, Any]:
    mark: Any = int(rect.pass_mark) if rect.pass_mark == int(rect.pass_mark) else str(rect.pass_mark)
    return {"evaluation_pass_mark": mark, "rectification_period": {"amount": rect.period_months, "unit": "months"}}


def _exit_citation(ground: str) -> str:
    number = list(EXIT_GROUND_LABELS).index(ground) + 1 if ground in EXIT_GROUND_LABELS else None
    label = get_computation(PROGRAM, "exit_grounds").citation.label
    return f"{label}{number}" if number else label
