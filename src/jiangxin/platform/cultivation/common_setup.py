"""What the set-up actions and selectors share (江苏卓越技师办法 第七条 … 第二十三条): running a
``jiangsu_technician`` computation, reading its failed steps, who may act, whom to notify.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.cultivation.access import CultivationError, is_province_office, training_unit_of
from jiangxin.platform.cultivation.models import CityLead, CultivationYear, YearStatus
from jiangxin.platform.orgs.models import Jurisdiction, Organisation

PROGRAM = "jiangsu_technician"


#: the order of a year's phases
PHASES: tuple[str, ...] = (YearStatus.CHOOSING, YearStatus.TRAINING, YearStatus.GRADING, YearStatus.ACCEPTANCE,
                           YearStatus.CLOSED)


#: the skill levels a mentor may hold, named as the policy core names them (第十六条)
MENTOR_SKILL_LEVELS: tuple[str, ...] = ("首席技师", "特级技师", "高级技师", "技师", "高级工", "中级工", "初级工")


def _run(name: str, facts: Mapping[str, Any]) -> dict[str, Any]:
    """Run ``jiangsu_technician/<name>``; facts errors become a CultivationError with the Chinese part."""
    from pydantic import ValidationError

    from jiangxin.policy.errors import CalendarYearUnknownError, PolicyError
    from jiangxin.policy.registry import get_computation

    comp = get_computation(PROGRAM, name)
    try:
        outcome = comp.run(dict(facts)).to_dict()
    except CalendarYearUnknownError:
        raise  # the page says plainly which calendar year is missing (workcalendar middleware)
    except (PolicyError, ValidationError, ValueError) as exc:
        raise CultivationError(f"无法完成核查：{str(exc).split(' / ')[0]}") from None
    outcome["computation"] = f"{PROGRAM}/{name}"
    outcome["citation"] = comp.citation.to_dict()
    return outcome


def failed_steps(outcome: Mapping[str, Any] | None, rules: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The trace steps of ``outcome`` that did not pass (optionally only those of ``rules``)."""
    wanted = set(rules) if rules is not None else None
    return [s for s in (outcome or {}).get("trace", [])
            if s.get("passed") is False and (wanted is None or s.get("rule") in wanted)]


def citations(steps: Iterable[Mapping[str, Any]]) -> str:
    labels: list[str] = []
    for s in steps:
        label = str((s.get("citation") or {}).get("label") or "")
        if label and label not in labels:
            labels.append(label)
    return "、".join(labels)


def _today() -> dt.date:
    return timezone.localdate()


def _open(year: CultivationYear) -> None:
    if year.status == YearStatus.CLOSED:
        raise CultivationError(f"{year.year}学年已结束，不能再办理。")


def _require_office(actor: Any) -> None:
    if not is_province_office(actor):
        raise CultivationError(gettext("只有省级主管部门工作人员可以办理。"))


def _require_unit(actor: Any, unit: Organisation | None = None) -> Organisation:
    org = training_unit_of(actor)
    if org is None or (unit is not None and org.pk != unit.pk):
        raise CultivationError(gettext("只有本承训单位的账号可以办理。"))
    return org


def _notify(users: Iterable[Any], title: str, body: str = "", url: str = "") -> None:
    from jiangxin.platform.notifications.services import notify

    notify([u for u in users if u is not None], title=title, body=body, url=url)


def _unit_users(unit: Organisation) -> list[Any]:
    from jiangxin.platform.notifications.services import role_holders

    return list(role_holders(unit, [Role.TRAINING_UNIT]))


def _leads_of(year: CultivationYear, city: Organisation | None) -> list[Any]:
    if city is None:
        return []
    return [c.user for c in CityLead.objects.filter(year=year, city_bureau=city).select_related("user")]


def _office_users() -> list[Any]:
    from jiangxin.platform.accounts.models import User

    return list(User.objects.filter(role=Role.OFFICE, is_active=True, organisation__jurisdiction=Jurisdiction.JIANGSU,
                                    organisation__parent__isnull=True))


def _all_unit_users() -> list[Any]:
    from jiangxin.platform.accounts.models import User

    return list(User.objects.filter(role=Role.TRAINING_UNIT, is_active=True,
                                    organisation__jurisdiction=Jurisdiction.JIANGSU))
