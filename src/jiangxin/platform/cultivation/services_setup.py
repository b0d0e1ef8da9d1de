"""Setting up a cultivation year (江苏卓越技师办法 第七条, 第九条, 第十二条, 第十六条, 第十七条, 第二十三条).

One function per state change. Each checks who acts, runs in ``transaction.atomic()``, writes the audit log,
notifies whoever must act next and raises :class:`~.access.CultivationError` (Chinese message) on bad input.
Decisions come from the ``jiangsu_technician`` computations (``eligibility``, ``mentor_check``,
``training_plan_check``); the Outcome JSON is stored on the row it decided.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.core.spreadsheet import workbook_bytes
from jiangxin.platform.cultivation import guards
from jiangxin.platform.cultivation.access import (
    CultivationError,
    city_of,
    is_city_lead,
    is_province_office,
    lead_bureaus,
    training_unit_of,
)
from jiangxin.platform.cultivation.models import (
    CityLead,
    CultivationYear,
    Enrolment,
    EnrolmentStatus,
    Major,
    Mentor,
    PlanSession,
    PlanStatus,
    SessionKind,
    TrainingPlan,
    UnitAcceptance,
    UnitGrading,
    YearStatus,
)
from jiangxin.platform.cultivation.transitions import action
from jiangxin.platform.orgs.models import Category, Jurisdiction, Organisation

PROGRAM = "jiangsu_technician"
#: the order of a year's phases
PHASES: tuple[str, ...] = (YearStatus.CHOOSING, YearStatus.TRAINING, YearStatus.GRADING, YearStatus.ACCEPTANCE,
                           YearStatus.CLOSED)
#: the skill levels a mentor may hold, named as the policy core names them (第十六条)
MENTOR_SKILL_LEVELS: tuple[str, ...] = ("首席技师", "特级技师", "高级技师", "技师", "高级工", "中级工", "初级工")
#: the 第二十三条 steps of ``eligibility`` that decide an enrolment (the rest was decided at selection)
ENTRY_RULES = frozenset({"participation_gap", "b_no_former_chief_subsidy", "employer_not_banned_from_recommending",
                         "external_entry_ban"})


# ------------------------------------------------------------------------------------------------ helpers


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


def city_bureaus() -> QuerySet[Organisation]:
    """The 设区市 HR bureaus of Jiangsu: HR bureaus directly under the provincial department."""
    return Organisation.objects.filter(jurisdiction=Jurisdiction.JIANGSU, category=Category.HR_BUREAU,
                                       parent__isnull=False, parent__parent__isnull=True).order_by("path")


def training_units() -> QuerySet[Organisation]:
    return Organisation.objects.filter(jurisdiction=Jurisdiction.JIANGSU, category=Category.TRAINING_UNIT)


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


# ------------------------------------------------------------------------------------------------ the year


@action("cultivation.open_year")
def open_year(actor: Any, *, year: int, choice_closes_on: dt.date | None = None,
              report_due_on: dt.date | None = None) -> CultivationYear:
    """The province office opens a 学年: training units may then publish majors and trainees choose."""
    _require_office(actor)
    if CultivationYear.objects.filter(year=year).exists():
        raise CultivationError(f"{year}学年已开设。")
    if choice_closes_on and report_due_on and report_due_on < choice_closes_on:
        raise CultivationError(gettext("研修报告截止日期不能早于选专业截止日期。"))
    with transaction.atomic():
        cy = CultivationYear.objects.create(year=year, choice_closes_on=choice_closes_on, report_due_on=report_due_on,
                                            opened_by=actor)
        record("cultivation.year_open", cy, actor=actor, summary=f"开设{cy}", after=snapshot(cy))
        from jiangxin.platform.cultivation.services_results import returning_from_deferral

        returning_from_deferral(cy)  # 第二十四条: those deferred from the year before take part in this one
    _notify((u for u in _all_unit_users()), f"{year}学年卓越技师培育已开设",
            "请发布本单位本学年的承训专业。", reverse("cultivation:majors"))
    return cy


def _all_unit_users() -> list[Any]:
    from jiangxin.platform.accounts.models import User

    return list(User.objects.filter(role=Role.TRAINING_UNIT, is_active=True,
                                    organisation__jurisdiction=Jurisdiction.JIANGSU))


@action("cultivation.set_year_dates")
def set_year_dates(actor: Any, year: CultivationYear, *, choice_closes_on: dt.date | None,
                   report_due_on: dt.date | None) -> CultivationYear:
    _require_office(actor)
    _open(year)
    if choice_closes_on and report_due_on and report_due_on < choice_closes_on:
        raise CultivationError(gettext("研修报告截止日期不能早于选专业截止日期。"))
    guards.year_dates_allowed(year, choice_closes_on, report_due_on)
    with transaction.atomic():
        before = snapshot(year)
        year.choice_closes_on = choice_closes_on
        year.report_due_on = report_due_on
        year.save(update_fields=["choice_closes_on", "report_due_on"])
        record("cultivation.year_dates", year, actor=actor, summary=f"调整{year}时间安排", before=before,
               after=snapshot(year))
    return year


def _units_with_trainees(year: CultivationYear) -> QuerySet[Organisation]:
    ids = (Enrolment.objects.filter(year=year, major__isnull=False)
           .exclude(status__in=[EnrolmentStatus.DEFERRED, EnrolmentStatus.WITHDRAWN])
           .values("major__training_unit"))
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def phase_blockers(year: CultivationYear) -> list[str]:
    """Why the year cannot move on to its next phase (empty = it can)."""
    problems: list[str] = []
    units = list(_units_with_trainees(year))
    if year.status == YearStatus.CHOOSING:
        if not year.choice_closes_on:
            problems.append("尚未设定选专业截止日期。")
        if not units:
            problems.append("尚无培育对象选定承训单位和专业。")
        approved = set(TrainingPlan.objects.filter(year=year, status=PlanStatus.APPROVED)
                       .values_list("training_unit", flat=True))
        problems += [f"{u.name} 的培训计划尚未经市级负责人审核通过。" for u in units if u.pk not in approved]
    elif year.status == YearStatus.TRAINING:
        if not year.report_due_on:
            problems.append("尚未设定研修报告提交截止日期。")
    elif year.status == YearStatus.GRADING:
        graded = set(UnitGrading.objects.filter(year=year).values_list("training_unit", flat=True))
        problems += [f"{u.name} 尚未完成培育对象评定。" for u in units if u.pk not in graded]
    elif year.status == YearStatus.ACCEPTANCE:
        accepted = set(UnitAcceptance.objects.filter(year=year, outcome__isnull=False)
                       .values_list("training_unit", flat=True))
        problems += [f"{u.name} 尚未完成考核验收评分。" for u in units if u.pk not in accepted]
    else:
        problems.append("本学年已结束。")
    return problems


def next_phase(year: CultivationYear) -> str | None:
    i = PHASES.index(year.status)
    return PHASES[i + 1] if i + 1 < len(PHASES) else None


@action("cultivation.advance_phase")
def advance_phase(actor: Any, year: CultivationYear) -> CultivationYear:
    """Move the year to its next phase (choosing → training → grading → acceptance → closed) when ready."""
    _require_office(actor)
    target = next_phase(year)
    problems = phase_blockers(year)
    if target is None or problems:
        raise CultivationError(gettext("暂不能进入下一阶段：") + "；".join(problems))
    with transaction.atomic():
        before = snapshot(year)
        year.status = target
        year.save(update_fields=["status"])
        record("cultivation.year_phase", year, actor=actor,
               summary=f"{year}进入“{YearStatus(target).label}”阶段", before=before, after=snapshot(year))
    users = [*_all_unit_users(), *(c.user for c in year.city_leads.select_related("user"))]
    _notify(users, f"{year}进入“{YearStatus(target).label}”阶段", url=reverse("cultivation:home"))
    return year


def assign_city_lead(actor: Any, year: CultivationYear, *, city_bureau: Organisation, user: Any) -> CityLead:
    """One 市级负责人 per 设区市 HR bureau (第十二条); replacing the lead is allowed and audited."""
    _require_office(actor)
    _open(year)
    if not city_bureaus().filter(pk=city_bureau.pk).exists():
        raise CultivationError(gettext("市级负责人只能为设区市人社局指定。"))
    if getattr(user, "organisation_id", None) != city_bureau.pk or user.role not in (Role.OFFICE, Role.DISTRICT):
        raise CultivationError(gettext("市级负责人须为该设区市人社局的工作人员账号。"))
    if not user.is_active:
        raise CultivationError(gettext("该账号已停用。"))
    with transaction.atomic():
        lead = CityLead.objects.select_for_update(of=("self",)).filter(year=year, city_bureau=city_bureau).first()
        before = {"user": lead.user.username} if lead else None
        if lead is None:
            lead = CityLead.objects.create(year=year, city_bureau=city_bureau, user=user)
        elif lead.user_id == user.pk:
            return lead
        else:
            lead.user = user
            lead.save(update_fields=["user"])
        record("cultivation.city_lead", lead, actor=actor,
               summary=f"{year} {city_bureau.name} 市级负责人：{user.get_full_name() or user.username}",
               before=before, after={"city_bureau": city_bureau.name, "user": user.username})
    _notify([user], f"您已被指定为{year}{city_bureau.name}卓越技师培育市级负责人",
            "负责审核本市承训单位的培训计划和培育对象请假，组织满意度调查。", reverse("cultivation:home"))
    return lead


# ------------------------------------------------------------------------------------------------ enrolments


def _tracking_end(designation: Any) -> dt.date | None:
    return designation.ends_on if designation is not None else None


def previous_participations(person: Any, year: CultivationYear, designation: Any = None) -> list[dict[str, Any]]:
    """Earlier cohorts of ``person`` known to the platform (other designations of the plan), for 第二十三条."""
    from jiangxin.platform.designations.models import Designation

    rows: dict[int, dict[str, Any]] = {}
    qs = Designation.objects.filter(program=PROGRAM, holder_person=person, year__lt=year.year)
    if designation is not None:
        qs = qs.exclude(pk=designation.pk)
    for d in qs:
        ended = d.ends_on or dt.date(d.year + 1, 12, 31)
        if d.status_changed_on and d.status not in ("active", "yellow_card"):
            ended = min(ended, d.status_changed_on)
        rows[d.year] = {"plan_year": d.year, "ended_on": ended.isoformat()}
    own = designation.year if designation is not None else None
    for e in Enrolment.objects.filter(person=person, year__year__lt=year.year).select_related("year", "designation"):
        start = e.designation.year if e.designation_id else e.year.year
        if start == own or start in rows:
            continue
        rows[start] = {"plan_year": start, "ended_on": dt.date(start + 1, 12, 31).isoformat()}
    return sorted(rows.values(), key=lambda r: r["plan_year"])


def _application_facts(designation: Any) -> dict[str, Any]:
    case = getattr(designation, "case", None) if designation is not None else None
    app = getattr(case, "application", None) if case is not None else None
    facts = dict(getattr(app, "facts", None) or {})
    return facts if "birth_date" in facts and "skill_level" in facts else {}


def entry_facts(year: CultivationYear, person: Any, track: str, *, designation: Any = None,
                employer: Organisation | None = None, received_former_chief_subsidy: bool | None = None,
                former_subsidy_exception: str = "") -> dict[str, Any]:
    """``eligibility`` facts for enrolling ``person`` in ``year``: the application's facts when the selection
    came through review, else the person record with the selection itself as the confirmed finding
    (see docs/parts/interpretations-JS.md I-JS-S1); earlier participations and employer bans from the
    platform's own records."""
    from jiangxin.platform.people.levels import POLICY_NAME
    from jiangxin.platform.people.services import active_bans

    facts = _application_facts(designation)
    confirmed = (f"入选记录 {designation.certificate_no}" if designation is not None
                 else "省级主管部门确认的培育对象名单")
    if not facts:
        if not person.skill_level:
            raise CultivationError(f"{person.name} 的人员信息缺少职业技能等级，请先在人员库补全。")
        facts = {"birth_date": person.birth_date.isoformat(), "sex": person.sex,
                 "original_retirement_age": int(person.original_retirement_age or (60 if person.sex == "male" else 55)),
                 "skill_level": POLICY_NAME.get(person.skill_level, person.skill_level)}
        if facts["skill_level"] == "技师":
            facts["outstanding"] = {"reason": "经遴选确定为培育对象", "confirmed_by": confirmed}
        if track == "A":
            facts["leading_talent"] = {"criterion": "经遴选确定为A类培育对象", "confirmed_by": confirmed}
        else:
            facts["chief_technician"] = {"met": True, "confirmed_by": confirmed}
        facts["received_former_chief_subsidy"] = False
    facts = {k: v for k, v in facts.items() if k not in ("as_of", "plan_year", "track")}
    if track == "A":
        facts.pop("chief_technician", None)
        facts.pop("former_subsidy_exception", None)
    else:
        facts.pop("leading_talent", None)
    if received_former_chief_subsidy is not None:
        facts["received_former_chief_subsidy"] = bool(received_former_chief_subsidy)
    facts.pop("former_subsidy_exception", None)
    if former_subsidy_exception and track == "B" and facts.get("received_former_chief_subsidy"):
        facts["former_subsidy_exception"] = former_subsidy_exception
    known = {(p["plan_year"], str(p["ended_on"])) for p in facts.get("previous_participations", [])}
    extra = [p for p in previous_participations(person, year, designation) if (p["plan_year"], p["ended_on"]) not in known]
    facts["previous_participations"] = [*facts.get("previous_participations", []), *extra]
    recommended = designation.designated_on if designation is not None else _today()
    facts.setdefault("recommended_on", recommended.isoformat())
    if employer is not None and "employer_recommendation_ban" not in facts:
        bans = active_bans(program=PROGRAM, on=dt.date.fromisoformat(str(facts["recommended_on"])),
                           organisation=employer)
        if bans:
            ban = bans[0]
            facts["employer_recommendation_ban"] = {"start": ban.start.isoformat(),
                                                    "end": (ban.end or dt.date(2100, 12, 31)).isoformat()}
    facts.update({"as_of": _today().isoformat(), "plan_year": year.year, "track": track})
    return facts


def check_entry(year: CultivationYear, person: Any, track: str, **kwargs: Any) -> dict[str, Any]:
    """The ``eligibility`` outcome for enrolling ``person``; ``entry_refusals`` tells which 第二十三条 /
    第二十一条 steps refuse it."""
    return _run("eligibility", entry_facts(year, person, track, **kwargs))


def entry_refusals(outcome: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    return failed_steps(outcome, ENTRY_RULES)


REFUSAL_TEXT = {
    "participation_gap": "距上次参加培育计划结束不满规定间隔",
    "b_no_former_chief_subsidy": "已享受原企业首席技师一次性补助，不能参加B类培育",
    "employer_not_banned_from_recommending": "用人单位处于限制推荐期内",
    "external_entry_ban": "处于参训禁入期内",
}


def refusal_message(person: Any, steps: list[dict[str, Any]]) -> str:
    reasons = "；".join(f"{REFUSAL_TEXT.get(s['rule'], s['rule'])}（{s['citation']['label']}）" for s in steps)
    return f"{person.name} 不能参加本学年培育：{reasons}。"


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


# ------------------------------------------------------------------------------------------------ majors


@action("cultivation.save_major")
def save_major(actor: Any, year: CultivationYear, *, major: Major | None = None, category: str, name: str,
               code: str = "", capacity: int | None = None, description: str = "") -> Major:
    """A training unit creates or edits one of its majors (第七条: by catalogue category)."""
    unit = _require_unit(actor, major.training_unit if major else None)
    _open(year)
    name = (name or "").strip()
    if not name:
        raise CultivationError(gettext("请填写专业名称。"))
    if major is not None and capacity is not None and capacity < major.enrolments.count():
        raise CultivationError(f"已有 {major.enrolments.count()} 人选择该专业，可承接人数不能少于此数。")
    if Major.objects.filter(year=year, training_unit=unit, name=name).exclude(pk=getattr(major, "pk", None)).exists():
        raise CultivationError(gettext("本单位本学年已有同名专业。"))
    with transaction.atomic():
        before = snapshot(major) if major else None
        if major is None:
            major = Major(year=year, training_unit=unit)
        major.category, major.name, major.code = category, name, code
        major.capacity, major.description = capacity, description
        major.save()
        record("cultivation.major_save", major, actor=actor, summary=f"承训专业：{major}", before=before,
               after=snapshot(major))
    return major


@action("cultivation.publish_major")
def publish_major(actor: Any, major: Major, *, published: bool = True) -> Major:
    _require_unit(actor, major.training_unit)
    _open(major.year)
    if not published and major.enrolments.exists():
        raise CultivationError(gettext("已有培育对象选择该专业，不能撤回发布。"))
    with transaction.atomic():
        major.published = published
        major.save(update_fields=["published"])
        record("cultivation.major_publish" if published else "cultivation.major_unpublish", major, actor=actor,
               summary=f"{'发布' if published else '撤回'}承训专业：{major}")
    return major


def published_majors(year: CultivationYear, home_city: Organisation | None = None) -> list[Major]:
    """Published majors of the year with their seats taken, the home city's units first."""
    majors = list(Major.objects.filter(year=year, published=True).select_related("training_unit")
                  .annotate(taken=Count("enrolments", filter=~Q(enrolments__status__in=[
                      EnrolmentStatus.DEFERRED, EnrolmentStatus.WITHDRAWN]))))
    for m in majors:
        m.city = city_of(m.training_unit)  # type: ignore[attr-defined]
        m.local = home_city is not None and m.city is not None and m.city.pk == home_city.pk  # type: ignore[attr-defined]
        m.full = m.capacity is not None and m.taken >= m.capacity  # type: ignore[attr-defined]
    majors.sort(key=lambda m: (not m.local, m.training_unit.name, m.category, m.name))  # type: ignore[attr-defined]
    return majors


def choice_open(year: CultivationYear, on: dt.date | None = None) -> bool:
    on = on or _today()
    return (year.status in (YearStatus.CHOOSING, YearStatus.TRAINING) and year.choice_closes_on is not None
            and on <= year.choice_closes_on)


@action("cultivation.choose_major")
def choose_major(actor: Any, enrolment: Enrolment, major: Major) -> Enrolment:
    """The trainee chooses a unit and major (第七条); another city's unit makes the trainee remote (theory then
    online, 第十七条). Allowed, and changeable, until the choice deadline; capacity is enforced."""
    if getattr(actor, "role", "") != Role.TRAINEE or getattr(actor, "person_id", None) != enrolment.person_id:
        raise CultivationError(gettext("只能由培育对象本人选择。"))
    return _set_choice(actor, enrolment, major, "cultivation.choose")


@action("cultivation.record_choice")
def record_choice(actor: Any, enrolment: Enrolment, major: Major) -> Enrolment:
    """Province office or staff of the trainee's city HR bureau enter a choice handed in on paper (same rules:
    deadline, capacity, published majors)."""
    org = getattr(actor, "organisation", None)
    if not (is_province_office(actor) or (getattr(actor, "role", "") in (Role.OFFICE, Role.DISTRICT)
                                          and org is not None and org.pk == enrolment.home_city_id)):
        raise CultivationError(gettext("只有省级主管部门或培育对象所在市人社局可以代为登记。"))
    return _set_choice(actor, enrolment, major, "cultivation.choose_on_behalf")


def _set_choice(actor: Any, enrolment: Enrolment, major: Major, action: str) -> Enrolment:
    year = enrolment.year
    if enrolment.status not in (EnrolmentStatus.CHOOSING, EnrolmentStatus.ENROLLED):
        raise CultivationError(gettext("当前状态不能选择专业。"))
    if major.year_id != year.pk or not major.published:
        raise CultivationError(gettext("请从本学年已发布的专业中选择。"), citations=[guards.cite("第七条")])
    guards.choice_allowed(enrolment, major, _today())
    with transaction.atomic():
        locked = Major.objects.select_for_update(of=("self",)).get(pk=major.pk)
        taken = locked.enrolments.exclude(pk=enrolment.pk).exclude(
            status__in=[EnrolmentStatus.DEFERRED, EnrolmentStatus.WITHDRAWN]).count()
        if locked.capacity is not None and taken >= locked.capacity:
            raise CultivationError(f"{major.name} 名额已满（{locked.capacity} 人），请选择其他专业。")
        before = {"major": str(enrolment.major) if enrolment.major_id else None, "remote": enrolment.remote}
        previous_unit = enrolment.training_unit
        unit_city = city_of(major.training_unit)
        enrolment.major = major
        enrolment.remote = unit_city is None or unit_city.pk != enrolment.home_city_id
        enrolment.chosen_at = timezone.now()
        enrolment.status = EnrolmentStatus.ENROLLED
        if previous_unit is not None and previous_unit.pk != major.training_unit_id:
            enrolment.mentor = None
        enrolment.save(update_fields=["major", "remote", "chosen_at", "status", "mentor"])
        record(action, enrolment, actor=actor,
               summary=f"{enrolment.person.name} 选择 {major}{'（异地）' if enrolment.remote else ''}",
               before=before, after={"major": str(major), "remote": enrolment.remote})
    _notify(_unit_users(major.training_unit), f"{enrolment.person.name} 选择了本单位的专业“{major.name}”",
            url=reverse("cultivation:unit_trainees"))
    return enrolment


# ------------------------------------------------------------------------------------------------ 附件1


CHOICE_HEADERS = ("序号", "姓名", "性别", "类别", "工作单位", "所在市", "承训单位", "专业类别", "专业", "本地/异地")


def choice_rows(enrolments: Iterable[Enrolment]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for i, e in enumerate(enrolments, start=1):
        major = e.major
        rows.append([i, e.person.name, e.person.get_sex_display(), f"{e.track}类", e.employer.name if e.employer else "",
                     e.home_city.region or e.home_city.name, major.training_unit.name if major else "",
                     major.get_category_display() if major else "", major.name if major else "",
                     ("异地" if e.remote else "本地") if major else "未选"])
    return rows


def choices_xlsx(year: CultivationYear, enrolments: Iterable[Enrolment]) -> bytes:
    """附件1: the summary table of the trainees' choices."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "附件1"
    ws.append([f"{year.year}年江苏省卓越技师培育计划培育对象选择承训单位及专业汇总表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(CHOICE_HEADERS))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(list(CHOICE_HEADERS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in choice_rows(enrolments):
        ws.append(row)
    for col, width in zip("ABCDEFGHIJ", (6, 10, 6, 6, 28, 10, 28, 12, 18, 10), strict=True):
        ws.column_dimensions[col].width = width
    return workbook_bytes(wb)


# ------------------------------------------------------------------------------------------------ mentors


def mentor_facts(mentor: Mentor) -> dict[str, Any]:
    facts: dict[str, Any] = {"name": mentor.name, "title": mentor.title}
    if mentor.skill_level in MENTOR_SKILL_LEVELS:
        facts["skill_level"] = mentor.skill_level
    return facts


def trainee_key(enrolment: Enrolment) -> str:
    return f"{enrolment.person.name}（{enrolment.track}类·{enrolment.pk}）"


def mentor_outcome(enrolments: Iterable[Enrolment], mentors: Mapping[int, Mentor | None] | None = None,
                   enterprise: Mapping[int, str] | None = None) -> dict[str, Any] | None:
    """``mentor_check`` over ``enrolments`` (optionally with proposed mentors): 第十六条."""
    trainees = []
    for e in enrolments:
        mentor = (mentors or {}).get(e.pk, e.mentor) if mentors is not None and e.pk in mentors else e.mentor
        co = (enterprise or {}).get(e.pk, e.enterprise_mentor) or None
        trainees.append({"trainee": trainee_key(e), "mentors": [mentor_facts(mentor)] if mentor else [],
                         **({"enterprise_mentor": co} if co else {})})
    if not trainees:
        return None
    return _run("mentor_check", {"as_of": _today().isoformat(), "trainees": trainees})


def mentor_qualification(mentor: Mentor) -> dict[str, Any]:
    """``mentor_check`` for one mentor on their own: is the title or skill level enough (第十六条)?"""
    return _run("mentor_check", {"as_of": _today().isoformat(),
                                 "trainees": [{"trainee": mentor.name, "mentors": [mentor_facts(mentor)]}]})


@action("cultivation.register_mentor")
def register_mentor(actor: Any, *, name: str, title: str, skill_level: str = "", specialty: str = "",
                    mentor: Mentor | None = None) -> Mentor:
    unit = _require_unit(actor, mentor.training_unit if mentor else None)
    name = (name or "").strip()
    if not name:
        raise CultivationError(gettext("请填写指导教师姓名。"))
    if skill_level and skill_level not in MENTOR_SKILL_LEVELS:
        raise CultivationError(gettext("职业技能等级不在可选范围内。"))
    with transaction.atomic():
        before = snapshot(mentor) if mentor else None
        mentor = mentor or Mentor(training_unit=unit)
        mentor.name, mentor.title, mentor.skill_level, mentor.specialty = name, title, skill_level, specialty
        mentor.save()
        record("cultivation.mentor_save", mentor, actor=actor, summary=f"指导教师：{mentor.name}", before=before,
               after=snapshot(mentor))
    return mentor


@action("cultivation.assign_mentor")
def assign_mentor(actor: Any, enrolment: Enrolment, mentor: Mentor, *, enterprise_mentor: str = "") -> Enrolment:
    """One qualified mentor per trainee (第十六条); an unqualified mentor is refused with the citation."""
    unit = _require_unit(actor, enrolment.training_unit)
    _open(enrolment.year)
    if mentor.training_unit_id != unit.pk or not mentor.active:
        raise CultivationError(gettext("请选择本单位在岗的指导教师。"))
    outcome = mentor_outcome([enrolment], {enrolment.pk: mentor}, {enrolment.pk: enterprise_mentor.strip()})
    bad = failed_steps(outcome)
    if bad:
        raise CultivationError(f"{mentor.name} 不符合指导教师条件（须副高级及以上职称或高级技师及以上职业技能等级，"
                               f"{citations(bad)}）。")
    with transaction.atomic():
        before = {"mentor": enrolment.mentor.name if enrolment.mentor else None,
                  "enterprise_mentor": enrolment.enterprise_mentor}
        enrolment.mentor = mentor
        enrolment.enterprise_mentor = enterprise_mentor.strip()
        enrolment.save(update_fields=["mentor", "enterprise_mentor"])
        record("cultivation.mentor_assign", enrolment, actor=actor,
               summary=f"{enrolment.person.name} 的指导教师：{mentor.name}", before=before,
               after={"mentor": mentor.name, "enterprise_mentor": enrolment.enterprise_mentor})
    return enrolment


# ------------------------------------------------------------------------------------------------ plans


def unit_enrolments(year: CultivationYear, unit: Organisation) -> QuerySet[Enrolment]:
    return (Enrolment.objects.filter(year=year, major__training_unit=unit)
            .exclude(status__in=[EnrolmentStatus.DEFERRED, EnrolmentStatus.WITHDRAWN])
            .select_related("person", "major", "mentor", "employer", "home_city"))


def plan_facts(plan: TrainingPlan) -> dict[str, Any] | None:
    """``training_plan_check`` facts. Before anyone has chosen the unit the plan is checked as for local
    trainees only (the stricter case for online theory; I-JS-S2)."""
    sessions = list(plan.sessions.all())
    if not sessions:
        return None
    trainees = unit_enrolments(plan.year, plan.training_unit)
    remote = trainees.filter(remote=True).count()
    local = trainees.filter(remote=False).count()
    if local + remote == 0:
        local = 1
    return {"as_of": _today().isoformat(), "plan_year": plan.year.year, "local_trainees": local,
            "remote_trainees": remote,
            "sessions": [{"key": s.key, "kind": s.kind, "start": s.start.isoformat(), "end": s.end.isoformat(),
                          "hours": str(s.hours), "delivery": s.delivery} for s in sessions]}


def recheck_plan(plan: TrainingPlan) -> TrainingPlan:
    facts = plan_facts(plan)
    plan.check_outcome = _run("training_plan_check", facts) if facts else None
    plan.save(update_fields=["check_outcome", "updated_at"])
    return plan


def plan_warnings(plan: TrainingPlan) -> list[str]:
    return list(((plan.check_outcome or {}).get("value") or {}).get("warnings") or [])


def plan_totals(plan: TrainingPlan) -> dict[str, Decimal]:
    sessions = list(plan.sessions.all())
    theory = sum((s.hours for s in sessions if s.kind == SessionKind.THEORY), Decimal(0))
    practice = sum((s.hours for s in sessions if s.kind == SessionKind.PRACTICE), Decimal(0))
    return {"theory": theory, "practice": practice, "hours": theory + practice,
            "credits": sum((s.credits for s in sessions), Decimal(0))}


def _editable(actor: Any, plan: TrainingPlan) -> None:
    _require_unit(actor, plan.training_unit)
    _open(plan.year)
    if plan.status == PlanStatus.APPROVED:
        raise CultivationError(gettext("培训计划已审核通过，已锁定，不能修改。"), citations=[guards.cite("第十二条")])
    if plan.status == PlanStatus.SUBMITTED:
        raise CultivationError(gettext("培训计划正在审核中，不能修改。"), citations=[guards.cite("第十二条")])


@action("cultivation.save_plan")
def save_plan(actor: Any, year: CultivationYear, *, hours_required: Decimal, credits_required: Decimal) -> TrainingPlan:
    """Create or update the unit's plan for the year (required hours and credits)."""
    unit = _require_unit(actor)
    _open(year)
    if hours_required <= 0 or credits_required <= 0:
        raise CultivationError(gettext("要求学时和学分须大于零。"))
    plan = TrainingPlan.objects.filter(year=year, training_unit=unit).first()
    if plan is not None:
        _editable(actor, plan)
    with transaction.atomic():
        before = snapshot(plan, exclude=("check_outcome",)) if plan else None
        if plan is None:
            plan = TrainingPlan(year=year, training_unit=unit)
        plan.hours_required, plan.credits_required = hours_required, credits_required
        plan.save()
        recheck_plan(plan)
        record("cultivation.plan_save", plan, actor=actor, summary=f"{unit.name} {year} 培训计划", before=before,
               after=snapshot(plan, exclude=("check_outcome",)))
    return plan


SESSION_FIELDS = ("key", "title", "kind", "role", "delivery", "start", "end", "hours", "credits", "major")


@action("cultivation.save_session")
def save_session(actor: Any, plan: TrainingPlan, values: Mapping[str, Any],
                 session: PlanSession | None = None) -> PlanSession:
    """Add or change a session; the plan check runs again."""
    _editable(actor, plan)
    if session is not None and session.plan_id != plan.pk:
        raise CultivationError(gettext("该课程不属于本计划。"))
    if values["end"] < values["start"]:
        raise CultivationError(gettext("结束日期不能早于开始日期。"))
    if values["hours"] <= 0:
        raise CultivationError(gettext("学时须大于零。"))
    major = values.get("major")
    if major is not None and major.training_unit_id != plan.training_unit_id:
        raise CultivationError(gettext("适用专业须为本单位的专业。"))
    if PlanSession.objects.filter(plan=plan, key=values["key"]).exclude(pk=getattr(session, "pk", None)).exists():  # type: ignore[misc]  # pk=None is valid: excludes nothing
        raise CultivationError(f"编号 {values['key']} 已被使用。")
    with transaction.atomic():
        before = snapshot(session) if session else None
        session = session or PlanSession(plan=plan)
        for name in SESSION_FIELDS:
            if name in values:
                setattr(session, name, values[name])
        session.save()
        if plan.status == PlanStatus.RETURNED:
            plan.status = PlanStatus.DRAFT
            plan.save(update_fields=["status"])
        recheck_plan(plan)
        record("cultivation.plan_session", session, actor=actor, summary=f"培训计划课程：{session}",
               before=before, after=snapshot(session))
    return session


@action("cultivation.delete_session")
def delete_session(actor: Any, session: PlanSession) -> None:
    plan = session.plan
    _editable(actor, plan)
    if session.attendance.exists():
        raise CultivationError(gettext("该课程已有考勤记录，不能删除。"))
    with transaction.atomic():
        before = snapshot(session)
        session.delete()
        recheck_plan(plan)
        record("cultivation.plan_session_delete", plan, actor=actor, summary=f"删除培训计划课程 {before.get('key')}",
               before=before)


@action("cultivation.submit_plan")
def submit_plan(actor: Any, plan: TrainingPlan) -> TrainingPlan:
    """The unit submits its plan to the city lead; a plan with hard violations (第九条, 第十七条) is refused."""
    _editable(actor, plan)
    recheck_plan(plan)
    if plan.check_outcome is None:
        raise CultivationError(gettext("培训计划尚无课程安排。"))
    bad = failed_steps(plan.check_outcome)
    if bad:
        raise CultivationError(f"培训计划不符合规定，不能提交（{citations(bad)}），请按提示修改。")
    city = city_of(plan.training_unit)
    leads = _leads_of(plan.year, city)
    if not leads:
        raise CultivationError(gettext("本市尚未指定市级负责人，请联系省级主管部门。"))
    with transaction.atomic():
        plan.status = PlanStatus.SUBMITTED
        plan.decision_note = ""
        plan.save(update_fields=["status", "decision_note", "updated_at"])
        record("cultivation.plan_submit", plan, actor=actor, summary=f"{plan.training_unit.name} 提交培训计划")
    _notify(leads, f"{plan.training_unit.name} 提交了{plan.year}培训计划，请审核",
            url=reverse("cultivation:plan", args=[plan.pk]))
    return plan


@action("cultivation.decide_plan")
def decide_plan(actor: Any, plan: TrainingPlan, *, approve: bool, note: str = "") -> TrainingPlan:
    """The city lead of the unit's city approves (the plan is then locked) or returns it with a note."""
    city = city_of(plan.training_unit)
    if city is None or not is_city_lead(actor, plan.year, city):
        raise CultivationError(gettext("只有承训单位所在市的市级负责人可以审核培训计划。"))
    _open(plan.year)
    if plan.status != PlanStatus.SUBMITTED:
        raise CultivationError(gettext("该培训计划不在待审核状态。"))
    note = (note or "").strip()
    if not approve and not note:
        raise CultivationError(gettext("退回修改时请填写审核意见。"))
    with transaction.atomic():
        plan.status = PlanStatus.APPROVED if approve else PlanStatus.RETURNED
        plan.decided_by, plan.decided_at, plan.decision_note = actor, timezone.now(), note
        plan.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
        record("cultivation.plan_approve" if approve else "cultivation.plan_return", plan, actor=actor,
               summary=f"{plan.training_unit.name} 培训计划{'审核通过' if approve else '退回修改'}",
               after={"note": note})
    _notify(_unit_users(plan.training_unit),
            f"{plan.year}培训计划{'已审核通过' if approve else '被退回修改'}", note,
            reverse("cultivation:plan", args=[plan.pk]))
    return plan


def plans_awaiting(user: Any, year: CultivationYear) -> QuerySet[TrainingPlan]:
    """Submitted plans of the units in the cities ``user`` leads."""
    cities = list(lead_bureaus(user, year))
    if not cities:
        return TrainingPlan.objects.none()
    return (TrainingPlan.objects.filter(year=year, status=PlanStatus.SUBMITTED,
                                        training_unit__parent__in=cities).select_related("training_unit"))


def visible_plans(user: Any, year: CultivationYear) -> QuerySet[TrainingPlan]:
    qs = TrainingPlan.objects.filter(year=year).select_related("training_unit", "decided_by")
    if is_province_office(user):
        return qs
    unit = training_unit_of(user)
    if unit is not None:
        return qs.filter(training_unit=unit)
    org = getattr(user, "organisation", None)
    if getattr(user, "role", "") in (Role.OFFICE, Role.DISTRICT) and org is not None:
        cities = [org.pk, *lead_bureaus(user, year).values_list("pk", flat=True)]
        return qs.filter(training_unit__parent__in=cities)
    return qs.none()
