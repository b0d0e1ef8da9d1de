"""Putting trainees on a year's list (江苏卓越技师办法 第七条, 第二十一条, 第二十三条): one enrolment checked by
``eligibility``, or the whole cohort at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext

from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.cultivation import guards
from jiangxin.platform.cultivation.access import CultivationError, city_of
from jiangxin.platform.cultivation.common_setup import PROGRAM, _open, _require_office, _today
from jiangxin.platform.cultivation.models import CultivationYear, Enrolment, EnrolmentStatus
from jiangxin.platform.cultivation.selectors.setup import (
    _application_facts,
    check_entry,
    entry_refusals,
    refusal_message,
)
from jiangxin.platform.cultivation.transitions import action
from jiangxin.platform.orgs.models import Organisation


def _home_city(person: Any, designation: Any, employer: Organisation | None) -> Organisation | None:
    for org in (employer, getattr(designation, "scope_org", None), getattr(person, "employer", None)):
        city = city_of(org)
        if city is not None:
            return city
    return None


def enrol(actor: Any, year: CultivationYear, **kwargs: Any) -> Enrolment:
    """Enrol ``kwargs["person"]`` in ``year`` (see :func:`_enrol`); a refusal by ``eligibility`` is kept in the
    audit log although the enrolment itself rolls back."""
    try:
        return _enrol(actor, year, **kwargs)
    except CultivationError as exc:
        audit = getattr(exc, "refusal_audit", None)
        if audit:
            record("cultivation.enrol_refused", audit.pop("person"), actor=actor, **audit)
        raise


@action("cultivation.enrol")
def _enrol(actor: Any, year: CultivationYear, *, person: Any, track: str, designation: Any = None,
           employer: Organisation | None = None, home_city: Organisation | None = None,
           received_former_chief_subsidy: bool | None = None, former_subsidy_exception: str = "",
           check: bool = True, status: str = EnrolmentStatus.CHOOSING) -> Enrolment:
    """Enrol ``person`` in ``year``. A new entrant is checked with ``eligibility`` first (第二十三条: the gap
    since an earlier participation, B closed to recipients of the former subsidy; 第二十一条: employer bans);
    a refusal names the article. ``check=False`` for continuing trainees (second tracking year, deferral).
    New entrants join only while the year's trainees still choose (第七条)."""
    _require_office(actor)
    _open(year)
    if track not in ("A", "B"):
        raise CultivationError(gettext("培育类别须为A类或B类。"))
    employer = employer or getattr(person, "employer", None)
    home_city = home_city or _home_city(person, designation, employer)
    if home_city is None:
        raise CultivationError(f"无法确定 {person.name} 所在的设区市，请先在人员库补全工作单位。")
    if Enrolment.objects.filter(year=year, person=person).exists():
        raise CultivationError(f"{person.name} 已在{year}名单中。")
    outcome = None
    if check:
        outcome = check_entry(year, person, track, designation=designation, employer=employer,
                              received_former_chief_subsidy=received_former_chief_subsidy,
                              former_subsidy_exception=former_subsidy_exception)
        refused = entry_refusals(outcome)
        if refused:
            error = CultivationError(refusal_message(person, refused), citations=[
                str((s.get("citation") or {}).get("label") or "") for s in refused])
            error.refusal_audit = {  # type: ignore[attr-defined]
                "person": person, "summary": refusal_message(person, refused),
                "after": {"year": year.year, "track": track, "outcome_status": outcome["status"],
                          "refused": [s["rule"] for s in refused]}}
            raise error
    guards.enrolment_open(year, _today())
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(year=year, designation=designation, person=person, track=track,
                                                 employer=employer, home_city=home_city, entry_outcome=outcome,
                                                 status=status)
            record("cultivation.enrol", enrolment, actor=actor, summary=f"纳入{year}培育名单：{enrolment}",
                   after=snapshot(enrolment, exclude=("entry_outcome",)))
    except IntegrityError:
        raise CultivationError(f"{person.name} 已在{year}名单中。") from None
    return enrolment


def _track_of(designation: Any) -> str | None:
    case = getattr(designation, "case", None)
    for value in (getattr(case, "track", ""), (_application_facts(designation) or {}).get("track", "")):
        if str(value).upper() in ("A", "B"):
            return str(value).upper()
    for track in ("A", "B"):
        if f"{track}类" in designation.name:
            return track
    return None


@dataclass
class CohortResult:
    created: list[Enrolment] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@action("cultivation.enrol_cohort")
def enrol_cohort(actor: Any, year: CultivationYear, *, default_track: str | None = None) -> CohortResult:
    """Create the year's enrolments: the year's new cohort (live ``jiangsu_technician`` designations of the
    year, checked), last year's cohort still in its tracking period, and those returning from a deferral."""
    from jiangxin.platform.designations.models import LIVE, Designation

    _require_office(actor)
    _open(year)
    result = CohortResult()
    present = set(Enrolment.objects.filter(year=year).values_list("person_id", flat=True))
    first_day = dt.date(year.year, 1, 1)
    designations = (Designation.objects.filter(program=PROGRAM, status__in=LIVE, holder_person__isnull=False,
                                               year__in=[year.year, year.year - 1])
                    .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first_day))
                    .select_related("holder_person", "holder_person__employer", "scope_org")
                    .order_by("year", "certificate_no"))
    previous: dict[int, Enrolment] = {e.person_id: e for e in Enrolment.objects.filter(year__year=year.year - 1)}
    for d in designations:
        person = d.holder_person
        if person.pk in present:
            continue
        before = previous.get(person.pk)
        track = (before.track if before else None) or _track_of(d) or default_track
        if track is None:
            result.skipped.append(f"{person.name}：无法确定培育类别（A/B），请逐个纳入。")
            continue
        if d.year < year.year and before is not None and before.status in (EnrolmentStatus.WITHDRAWN,):
            result.skipped.append(f"{person.name}：上一学年已退出。")
            continue
        new_entrant = d.year == year.year
        try:
            result.created.append(enrol(actor, year, person=person, track=track, designation=d,
                                        employer=before.employer if before else None, check=new_entrant))
        except CultivationError as exc:
            result.refused.append(str(exc))
        present.add(person.pk)
    for e in Enrolment.objects.filter(year__year=year.year - 1, status=EnrolmentStatus.DEFERRED).select_related(
            "person", "employer", "home_city", "designation"):
        if e.person_id in present:
            continue
        try:
            result.created.append(enrol(actor, year, person=e.person, track=e.track, designation=e.designation,
                                        employer=e.employer, home_city=e.home_city, check=False))
        except CultivationError as exc:
            result.refused.append(str(exc))
        present.add(e.person_id)
    return result
