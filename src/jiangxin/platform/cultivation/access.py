"""Who sees and does what in a cultivation year (江苏卓越技师办法 第五条, 第十二条, 第十三条).

- the province office (an OFFICE user under the Jiangsu jurisdiction) sees everything;
- a city lead (市级负责人, a CityLead row for the year) sees the trainees of their city and the training units
  located in it, and approves plans and leave there;
- other staff of a city HR bureau see their city's trainees (read only);
- a training unit sees the trainees who chose one of its majors;
- a trainee sees their own enrolments; an employer (UNIT) its own staff's.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Q, QuerySet, Value, When

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.cultivation.models import CityLead, CultivationYear, Enrolment, YearStatus
from jiangxin.platform.orgs.models import Jurisdiction, Organisation


class CultivationError(TransitionRefused, ValueError):
    """A cultivation-year action that cannot be taken; the message is Chinese and shown to the user (with the
    articles in ``citations`` when a rule of the document refused it). Raised inside a registered transition it
    rolls the whole change back."""


def current_year() -> CultivationYear | None:
    """The newest year that is not closed, else the newest year (looked up once while navigation and tasks are
    gathered)."""
    from jiangxin.platform.core.ui import memo

    return memo("cultivation.current_year", _current_year)


def _current_year() -> CultivationYear | None:
    closed_last = Case(When(status=YearStatus.CLOSED, then=Value(1)), default=Value(0))
    return CultivationYear.objects.order_by(closed_last, "-year").first()


def is_province_office(user: Any) -> bool:
    org = getattr(user, "organisation", None)
    return (getattr(user, "is_authenticated", False) and getattr(user, "role", "") == Role.OFFICE
            and org is not None and org.jurisdiction == Jurisdiction.JIANGSU)


def lead_bureaus(user: Any, year: CultivationYear) -> QuerySet[Organisation]:
    """The city HR bureaus ``user`` leads in ``year``."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    ids = CityLead.objects.filter(year=year, user=user).values("city_bureau")
    return Organisation.objects.filter(pk__in=ids)


def is_city_lead(user: Any, year: CultivationYear, bureau: Organisation | None = None) -> bool:
    qs = lead_bureaus(user, year)
    return qs.filter(pk=bureau.pk).exists() if bureau is not None else qs.exists()


def city_of(org: Organisation | None) -> Organisation | None:
    """The 设区市 HR bureau an organisation belongs to: the nearest ancestor (or itself) that is an HR bureau
    below the province."""
    node = org
    while node is not None:
        if node.category == "hr_bureau" and node.parent_id is not None:
            parent = node.parent
            if parent is not None and parent.parent_id is None:
                return node
        node = node.parent
    return None


def training_unit_of(user: Any) -> Organisation | None:
    if getattr(user, "role", "") == Role.TRAINING_UNIT:
        return getattr(user, "organisation", None)
    return None


def visible_enrolments(user: Any, year: CultivationYear | None = None) -> QuerySet[Enrolment]:
    qs = Enrolment.objects.select_related("person", "major", "major__training_unit", "employer", "home_city",
                                          "mentor", "year")
    if year is not None:
        qs = qs.filter(year=year)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    role = getattr(user, "role", "")
    org = getattr(user, "organisation", None)
    if is_province_office(user):
        return qs
    if role in (Role.OFFICE, Role.DISTRICT) and org is not None:
        led = CityLead.objects.filter(user=user).values("city_bureau")
        return qs.filter(Q(home_city=org) | Q(home_city__in=led) | Q(major__training_unit__parent__in=led))
    if role == Role.TRAINING_UNIT and org is not None:
        return qs.filter(major__training_unit=org)
    if role == Role.TRAINEE:
        person = getattr(user, "person", None)
        return qs.filter(person=person) if person is not None else qs.none()
    if role == Role.UNIT and org is not None:
        return qs.filter(employer=org)
    return qs.none()
