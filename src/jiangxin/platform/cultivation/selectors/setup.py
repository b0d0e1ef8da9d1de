"""Reading the set-up of a cultivation year (江苏卓越技师办法 第七条, 第九条, 第十二条, 第十六条, 第二十三条):
the year's phase and what blocks the next one, entry checks, published majors, mentor checks, plans, and the
附件1 choices table. Nothing here changes a record (the plan and mentor checks only run computations).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.spreadsheet import workbook_bytes
from jiangxin.platform.cultivation.access import (
    CultivationError,
    city_of,
    is_province_office,
    lead_bureaus,
    training_unit_of,
)
from jiangxin.platform.cultivation.common_setup import (
    MENTOR_SKILL_LEVELS,
    PHASES,
    PROGRAM,
    _run,
    _today,
    failed_steps,
)
from jiangxin.platform.cultivation.models import (
    CultivationYear,
    Enrolment,
    EnrolmentStatus,
    Major,
    Mentor,
    PlanStatus,
    SessionKind,
    TrainingPlan,
    UnitAcceptance,
    UnitGrading,
    YearStatus,
)
from jiangxin.platform.orgs.models import Category, Jurisdiction, Organisation

#: the 第二十三条 steps of ``eligibility`` that decide an enrolment (the rest was decided at selection)
ENTRY_RULES = frozenset({"participation_gap", "b_no_former_chief_subsidy", "employer_not_banned_from_recommending",
                         "external_entry_ban"})


def city_bureaus() -> QuerySet[Organisation]:
    """The 设区市 HR bureaus of Jiangsu: HR bureaus directly under the provincial department."""
    return Organisation.objects.filter(jurisdiction=Jurisdiction.JIANGSU, category=Category.HR_BUREAU,
                                       parent__isnull=False, parent__parent__isnull=True).order_by("path")


def training_units() -> QuerySet[Organisation]:
    return Organisation.objects.filter(jurisdiction=Jurisdiction.JIANGSU, category=Category.TRAINING_UNIT)


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


def plan_warnings(plan: TrainingPlan) -> list[str]:
    return list(((plan.check_outcome or {}).get("value") or {}).get("warnings") or [])


def plan_totals(plan: TrainingPlan) -> dict[str, Decimal]:
    sessions = list(plan.sessions.all())
    theory = sum((s.hours for s in sessions if s.kind == SessionKind.THEORY), Decimal(0))
    practice = sum((s.hours for s in sessions if s.kind == SessionKind.PRACTICE), Decimal(0))
    return {"theory": theory, "practice": practice, "hours": theory + practice,
            "credits": sum((s.credits for s in sessions), Decimal(0))}


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
