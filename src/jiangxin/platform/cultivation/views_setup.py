"""Views of the cultivation year's setup part: the year home page and the helpers the setup pages share.
The other setup pages are in ``views_setup_year`` (opening and running the year, province office),
``views_setup_majors`` (majors, the trainees' choice, trainee lists and the 附件1 export) and ``views_setup_plans``
(mentors and training plans).

Views are thin: role check, form, a call to an action in :mod:`.actions`, a message, a redirect."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.cultivation.access import (
    city_of,
    current_year,
    is_province_office,
    lead_bureaus,
    training_unit_of,
    visible_enrolments,
)
from jiangxin.platform.cultivation.models import (
    CityLead,
    CultivationYear,
    Enrolment,
    EnrolmentStatus,
    Major,
    Mentor,
    TrainingPlan,
    YearStatus,
)
from jiangxin.platform.cultivation.selectors.setup import (
    choice_open,
    next_phase,
    phase_blockers,
    plans_awaiting,
    training_units,
    visible_plans,
)
from jiangxin.platform.orgs.models import Jurisdiction

CULTIVATION_ROLES = (Role.OFFICE, Role.DISTRICT, Role.TRAINING_UNIT, Role.TRAINEE, Role.UNIT, Role.FINANCE)
STAFF = (Role.OFFICE, Role.DISTRICT)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: HttpRequest, required: bool = True) -> CultivationYear | None:
    raw = request.GET.get("year") or request.POST.get("year_filter")
    year = None
    if raw and str(raw).isdecimal():
        year = CultivationYear.objects.filter(year=int(raw)).first()
    year = year or current_year()
    if year is None and required:
        raise Http404(_("尚未开设培育学年。"))
    return year


def _expect(request: HttpRequest) -> str | None:
    """The state the posted form was rendered in (its hidden ``expect`` field): a record that moved on since is
    refused by the registry as a stale form instead of being changed twice."""
    return request.POST.get("expect") or None


def _data(request: HttpRequest) -> Any:
    """The POST data of a POST (even an empty one), else None: the form stays unbound on GET."""
    return request.POST if request.method == "POST" else None


def _jiangsu_staff(user: Any) -> bool:
    org = getattr(user, "organisation", None)
    return getattr(user, "role", "") in STAFF and org is not None and org.jurisdiction == Jurisdiction.JIANGSU


def _may_see_lists(user: Any) -> bool:
    return is_province_office(user) or _jiangsu_staff(user)


# ------------------------------------------------------------------------------------------------ home


@role_required(*CULTIVATION_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    year = _year(request, required=False)
    ctx: dict[str, Any] = {"year": year, "years": CultivationYear.objects.all(), "office": is_province_office(user)}
    if year is None:
        if not ctx["office"]:
            return render(request, "cultivation/setup/home.html", ctx)
        return render(request, "cultivation/setup/home.html", {**ctx, "can_open": True})
    enrolments = visible_enrolments(user, year)
    if ctx["office"]:
        ctx["blockers"] = phase_blockers(year)
        ctx["next_phase"] = next_phase(year)
        ctx["next_label"] = YearStatus(ctx["next_phase"]).label if ctx["next_phase"] else ""
        ctx["by_city"] = (enrolments.values("home_city__name").annotate(
            total=Count("id"), a=Count("id", filter=Q(track="A")), b=Count("id", filter=Q(track="B")),
            chosen=Count("id", filter=Q(major__isnull=False))).order_by("home_city__name"))
        ctx["units"] = _unit_rows(year)
        ctx["leads"] = CityLead.objects.filter(year=year).select_related("city_bureau", "user")
    elif _jiangsu_staff(user):
        ctx["lead_cities"] = list(lead_bureaus(user, year))
        ctx["awaiting"] = plans_awaiting(user, year)
        ctx["plans"] = visible_plans(user, year)
        ctx["trainees"] = enrolments
        ctx["unchosen"] = enrolments.filter(major__isnull=True).count()
    elif training_unit_of(user) is not None:
        unit = training_unit_of(user)
        ctx["unit"] = unit
        ctx["majors"] = Major.objects.filter(year=year, training_unit=unit).annotate(taken=Count("enrolments"))
        ctx["trainees"] = enrolments
        ctx["mentors"] = Mentor.objects.filter(training_unit=unit, active=True)
        ctx["plan"] = TrainingPlan.objects.filter(year=year, training_unit=unit).first()
        ctx["no_mentor"] = enrolments.filter(mentor__isnull=True).count()
    elif user.role == Role.TRAINEE:  # type: ignore[union-attr]
        enrolment = enrolments.first()
        ctx["enrolment"] = enrolment
        ctx["choice_open"] = choice_open(year)
        if enrolment is not None and enrolment.major is not None:
            plan = TrainingPlan.objects.filter(year=year, training_unit=enrolment.major.training_unit).first()
            ctx["plan"] = plan
            if plan is not None:
                ctx["sessions"] = plan.sessions.filter(Q(major__isnull=True) | Q(major=enrolment.major))
    else:
        ctx["trainees"] = enrolments
    return render(request, "cultivation/setup/home.html", ctx)


def _unit_rows(year: CultivationYear) -> list[dict[str, Any]]:
    plans = {p.training_unit_id: p for p in TrainingPlan.objects.filter(year=year)}
    counts = Counter(Enrolment.objects.filter(year=year, major__isnull=False)
                     .exclude(status__in=[EnrolmentStatus.DEFERRED, EnrolmentStatus.WITHDRAWN])
                     .values_list("major__training_unit", flat=True))
    majors = Counter(Major.objects.filter(year=year, published=True).values_list("training_unit", flat=True))
    rows = []
    for unit in training_units().filter(Q(pk__in=list(counts)) | Q(pk__in=list(majors)) | Q(pk__in=list(plans))):
        rows.append({"unit": unit, "city": city_of(unit), "majors": majors.get(unit.pk, 0),
                     "trainees": counts.get(unit.pk, 0), "plan": plans.get(unit.pk)})
    return rows
