"""Results of a cultivation year (江苏卓越技师办法 第十条, 第二十条 至 第二十四条, 附件2/3/4).

Grading, sanctions, deferral, provincial acceptance with per-head funding and certificates, unit expenses
and the two questionnaires. Every decision comes from a ``jiangsu_technician`` computation and its Outcome
JSON is stored with the record it decided. One function per state change, each atomic and audited.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from pydantic import ValidationError

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.cultivation import guards, surveys
from jiangxin.platform.cultivation.access import (
    CultivationError,
    city_of,
    is_city_lead,
    is_province_office,
    lead_bureaus,
    training_unit_of,
)
from jiangxin.platform.cultivation.models import (
    Attendance,
    CultivationYear,
    Enrolment,
    EnrolmentStatus,
    Expense,
    ExpenseCategory,
    Incident,
    IncidentKind,
    PlanStatus,
    SurveyKind,
    SurveyResponse,
    TrainingPlan,
    UnitAcceptance,
    UnitGrading,
    YearStatus,
)
from jiangxin.platform.cultivation.transitions import action
from jiangxin.platform.notifications.services import notify, notify_roles
from jiangxin.platform.orgs.models import Jurisdiction, Organisation
from jiangxin.policy.errors import CalendarYearUnknownError, FactsError, PolicyError
from jiangxin.policy.registry import get_computation

PROGRAM = "jiangsu_technician"
ZERO = Decimal("0")
#: 第二十条 names five grades but no score lines; the platform's default bands (I-JS-R1), passed to the
#: core as the office-set ``grade_bands`` parameter
DEFAULT_GRADE_BANDS: dict[str, Any] = {"below": "不合格", "bands": [
    {"min": 60, "label": "基本合格"}, {"min": 70, "label": "合格"}, {"min": 80, "label": "良好"},
    {"min": 90, "label": "优秀"}]}
GRADE_BANDS_REFERENCE = "平台默认分档（I-JS-R1）"
#: enrolments a unit grades: in training or already graded (deferred, withdrawn and undecided ones are not)
GRADABLE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.GRADED)
#: phases in which trainees answer the 附件2 questionnaire and employers 附件3 (I-JS-R5)
SURVEY_PHASES = (YearStatus.TRAINING, YearStatus.GRADING, YearStatus.ACCEPTANCE)
#: which ban program each measure of discipline_sanctions is recorded under (I-JS-07, I-JS-R2)
BAN_PROGRAMS = {"provincial_award_ban": "jiangsu_awards", "recommendation_ban": PROGRAM,
                "talent_carrier_ban": "jiangsu_carriers"}
BAN_REASONS = {"provincial_award_ban": "培育期间违反培训纪律，限期内不参评省级技能人才评选表彰",
               "recommendation_ban": "无正当理由不支持职工参训，限期内不得推荐职工参加培育计划",
               "talent_carrier_ban": "无正当理由不支持职工参训，限期内不参评省级人才载体建设项目"}


def _run(name: str, facts: Mapping[str, Any], overrides: Mapping[str, Any] | None = None,
         reference: str = "") -> dict[str, Any]:
    try:
        outcome = get_computation(PROGRAM, name).run(dict(facts), overrides=overrides, reference=reference)
    except CalendarYearUnknownError:
        raise  # the page says plainly which calendar year is missing (workcalendar middleware)
    except (FactsError, ValidationError, PolicyError) as exc:
        raise CultivationError(f"数据不完整或不合规，无法计算：{_chinese(exc)}") from exc
    data = outcome.to_dict()
    data["computation"] = f"{PROGRAM}/{name}"
    return data


def _chinese(exc: Exception) -> str:
    text = str(exc)
    for line in text.splitlines():
        if any("\u4e00" <= ch <= "\u9fff" for ch in line):
            return line.strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


def _citation(outcome: Mapping[str, Any], rule: str | None = None) -> str:
    for step in outcome.get("trace", []):
        if rule is None or step.get("rule") == rule:
            return str(step.get("citation", {}).get("label", ""))
    return ""


def _province_office_users() -> QuerySet[User]:
    return User.objects.filter(role=Role.OFFICE, is_active=True, organisation__jurisdiction=Jurisdiction.JIANGSU,
                               organisation__parent__isnull=True)


def _unit_users(unit: Organisation) -> QuerySet[User]:
    return User.objects.filter(role=Role.TRAINING_UNIT, organisation=unit, is_active=True)


def _person_users(person: Any) -> QuerySet[User]:
    return User.objects.filter(person=person, is_active=True)


def _lead_users(year: CultivationYear, bureau: Organisation | None) -> QuerySet[User]:
    return User.objects.filter(cultivation_leads__year=year, cultivation_leads__city_bureau=bureau)


# ------------------------------------------------------------------------------------------------ scope


def units_of_year(year: CultivationYear) -> QuerySet[Organisation]:
    """Training units with a published major in the year."""
    return Organisation.objects.filter(cultivation_majors__year=year,
                                       cultivation_majors__published=True).distinct().order_by("name")


def visible_units(user: Any, year: CultivationYear) -> QuerySet[Organisation]:
    units = units_of_year(year)
    if is_province_office(user):
        return units
    own = training_unit_of(user)
    if own is not None:
        return units.filter(pk=own.pk)
    led = list(lead_bureaus(user, year))
    if led:
        return units.filter(pk__in=[u.pk for u in units if city_of(u) in led])
    return units.none()


def can_see_unit(user: Any, year: CultivationYear, unit: Organisation) -> bool:
    return visible_units(user, year).filter(pk=unit.pk).exists()


def _require_unit_or_office(actor: Any, unit: Organisation) -> None:
    if is_province_office(actor):
        return
    own = training_unit_of(actor)
    if own is None or own.pk != unit.pk:
        raise CultivationError(gettext("只有该承训单位或省级主管部门可以办理。"))


def _require_office(actor: Any) -> None:
    if not is_province_office(actor):
        raise CultivationError(gettext("只有省级主管部门可以办理。"))


def is_locked(year: CultivationYear, unit: Organisation) -> bool:
    """After the provincial acceptance the unit's grades are final."""
    return UnitAcceptance.objects.filter(year=year, training_unit=unit, assessed_at__isnull=False).exists()


# ------------------------------------------------------------------------------------------------ grading


def approved_plan(year: CultivationYear, unit: Organisation) -> TrainingPlan | None:
    return TrainingPlan.objects.filter(year=year, training_unit=unit, status=PlanStatus.APPROVED).first()


def gradable_enrolments(year: CultivationYear, unit: Organisation) -> QuerySet[Enrolment]:
    """The unit's trainees to grade; once the acceptance locked the grading (第二十二条), exactly those the locked
    grading holds — nobody joins a locked list afterwards."""
    qs = (Enrolment.objects.filter(year=year, major__training_unit=unit, status__in=GRADABLE)
          .select_related("person", "major", "employer", "designation").order_by("track", "person__name", "pk"))
    if is_locked(year, unit):
        grading = UnitGrading.objects.filter(year=year, training_unit=unit).first()
        keys = ((grading.outcome or {}).get("value") or {}).get("trainees") or {} if grading else {}
        qs = qs.filter(pk__in=[int(k[1:]) for k in keys if str(k).startswith("E") and str(k)[1:].isdigit()])
    return qs


def grading_rows(year: CultivationYear, unit: Organisation) -> list[dict[str, Any]]:
    """Per trainee: hours and credits earned (from Attendance) against the approved plan, report score."""
    plan = approved_plan(year, unit)
    enrolments = list(gradable_enrolments(year, unit).select_related("report"))
    totals = {r["enrolment"]: r for r in Attendance.objects.filter(enrolment__in=enrolments)
              .values("enrolment").annotate(hours=Sum("hours"), credits=Sum("credits"))}
    rows = []
    for e in enrolments:
        t = totals.get(e.pk, {})
        report = getattr(e, "report", None)
        rows.append({"enrolment": e, "hours": t.get("hours") or ZERO, "credits": t.get("credits") or ZERO,
                     "hours_required": plan.hours_required if plan else None,
                     "credits_required": plan.credits_required if plan else None,
                     "report_score": report.score if report is not None else None})
    return rows


def _trainee_slice(outcome: Mapping[str, Any], key: str) -> dict[str, Any]:
    def mine(step: Mapping[str, Any]) -> bool:
        inputs, result = step.get("inputs") or {}, step.get("result")
        if isinstance(result, Mapping) and "key" in result:
            return result["key"] == key
        return inputs.get("trainee", key) == key

    return {"computation": outcome["computation"], "status": outcome["status"],
            "value": outcome["value"]["trainees"][key], "trace": [s for s in outcome["trace"] if mine(s)]}


@action("cultivation.grade_unit")
def grade_unit(actor: Any, year: CultivationYear, unit: Organisation,
               scores: Mapping[int, Decimal | str | None]) -> UnitGrading:
    """Run ``trainee_grading`` over all the unit's trainees of the year (第二十条, 第二十一条) and store grades.
    Grading again before the acceptance replaces the earlier result."""
    _require_unit_or_office(actor, unit)
    if is_locked(year, unit):
        raise CultivationError(gettext("省级考核验收已完成，评定结果不能再修改。"), citations=[guards.cite("第二十二条")])
    guards.grading_allowed(year)
    plan = approved_plan(year, unit)
    if plan is None:
        raise CultivationError(gettext("该承训单位的培训计划尚未审核通过，无法评定。"), citations=[guards.cite("第十二条")])
    rows = grading_rows(year, unit)
    if not rows:
        raise CultivationError(gettext("该承训单位本学年没有需要评定的培育对象。"))
    missing = [r["enrolment"].person.name for r in rows if scores.get(r["enrolment"].pk) in (None, "")]
    if missing:
        raise CultivationError(f"请为每名培育对象填写量化得分（未填：{'、'.join(missing)}）。")
    trainees = []
    for r in rows:
        e = r["enrolment"]
        try:
            score = Decimal(str(scores[e.pk]))
        except InvalidOperation as exc:
            raise CultivationError(f"{e.person.name}的量化得分不是有效数字。") from exc
        if score < 0 or score > 100:
            raise CultivationError(f"{e.person.name}的量化得分应在0至100之间。")
        trainees.append({"key": f"E{e.pk}", "track": e.track, "score": str(score),
                         "credits_earned": str(r["credits"]), "credits_required": str(plan.credits_required),
                         "hours_attended": str(r["hours"]), "hours_required": str(plan.hours_required)})
    facts = {"as_of": timezone.localdate().isoformat(), "plan_year": year.year, "training_unit": unit.name,
             "trainees": trainees}
    outcome = _run("trainee_grading", facts, overrides={"grade_bands": DEFAULT_GRADE_BANDS},
                   reference=GRADE_BANDS_REFERENCE)
    with transaction.atomic():
        grading = UnitGrading.objects.select_for_update(of=("self",)).filter(year=year, training_unit=unit).first()
        before = snapshot(grading) if grading else None
        if grading is None:
            grading = UnitGrading(year=year, training_unit=unit)
        grading.outcome, grading.graded_by = outcome, actor
        grading.save()
        for r in rows:
            e = r["enrolment"]
            part = _trainee_slice(outcome, f"E{e.pk}")
            e.score = Decimal(part["value"]["score"])
            e.grade = part["value"]["grade"]
            e.grade_outcome = part
            e.status = EnrolmentStatus.GRADED
            e.save(update_fields=["score", "grade", "grade_outcome", "status"])
        counts = outcome["value"]["counts"]
        record("cultivation.grading", grading, actor=actor,
               summary=f"{unit.name} {year.year}学年评定：" + "，".join(f"{k}{v}人" for k, v in counts.items()),
               before=before, after=snapshot(grading))
        url = reverse("cultivation:results_grading", args=[unit.pk])
        notify(_province_office_users(), title=f"{unit.name}已完成{year.year}学年培育对象评定",
               body="可安排省级考核验收。", url=url)
        for r in rows:
            e = r["enrolment"]
            notify(_person_users(e.person), title=f"{year.year}学年评定结果：{e.grade}",
                   body=f"{unit.name}；依据 江苏卓越技师办法 第二十条、第二十一条", url=reverse("cultivation:results_mine"))
    return grading


# ------------------------------------------------------------------------------------------------ sanctions


@action("cultivation.record_incident")
def record_incident(actor: Any, year: CultivationYear, *, kind: str, description: str, decided_on: dt.date,
                    enrolment: Enrolment | None = None, employer: Organisation | None = None,
                    notify_employer: bool | None = None, without_good_reason: bool | None = None,
                    award_ban_exception: str = "") -> Incident:
    """A 第二十一条 finding; ``discipline_sanctions`` decides the measures, which the platform then applies:
    the employer's users are notified and the bans are put on the register."""
    if kind not in IncidentKind.values:
        raise CultivationError(gettext("请选择事件类别。"))
    if not description.strip():
        raise CultivationError(gettext("请写明事实经过。"))
    guards.finding_date_allowed(year, decided_on, timezone.localdate())
    if enrolment is not None and enrolment.year_id != year.pk:
        raise CultivationError(gettext("该培育对象不属于本学年。"))
    if kind == IncidentKind.TRAINEE_DISCIPLINE:
        if enrolment is None:
            raise CultivationError(gettext("违反培训纪律须指明培育对象。"))
        employer = enrolment.employer
        if employer is None:
            raise CultivationError(gettext("该培育对象未登记工作单位，无法通报。"))
        if notify_employer is None:
            raise CultivationError(gettext("请决定是否通报至工作单位。"))
        without_good_reason = None
    else:
        if employer is None:
            employer = enrolment.employer if enrolment is not None else None
        if employer is None:
            raise CultivationError(gettext("请选择用人单位。"))
        if without_good_reason is None:
            raise CultivationError(gettext("请认定用人单位是否无正当理由。"))
        notify_employer, award_ban_exception = None, ""
    unit = enrolment.training_unit if enrolment is not None else None
    allowed = is_province_office(actor) or (
        unit is not None and (own := training_unit_of(actor)) is not None and own.pk == unit.pk) or (
        city_of(unit or employer) is not None and is_city_lead(actor, year, city_of(unit or employer)))
    if not allowed:
        raise CultivationError(gettext("只有承训单位（本单位培育对象）、市级负责人或省级主管部门可以登记。"))
    subject = enrolment.person.name if kind == IncidentKind.TRAINEE_DISCIPLINE and enrolment else employer.name
    inc: dict[str, Any] = {"key": "I1", "kind": kind, "subject": subject, "decided_on": decided_on.isoformat()}
    if kind == IncidentKind.TRAINEE_DISCIPLINE:
        inc.update(employer=employer.name, notify_employer=bool(notify_employer))
        if award_ban_exception.strip():
            inc["award_ban_exception"] = award_ban_exception.strip()
    else:
        inc["without_good_reason"] = bool(without_good_reason)
    outcome = _run("discipline_sanctions", {"as_of": timezone.localdate().isoformat(), "incidents": [inc]})
    from jiangxin.platform.people.services import impose_ban

    with transaction.atomic():
        incident = Incident.objects.create(
            year=year, kind=kind, enrolment=enrolment, employer=employer, description=description.strip(),
            decided_on=decided_on, notify_employer=notify_employer, without_good_reason=without_good_reason,
            outcome=outcome, recorded_by=actor)
        url = reverse("cultivation:results_incident", args=[incident.pk])
        ban_ids: list[int] = []
        for measure in outcome["value"]:
            name = measure["measure"]
            citation = _citation(outcome, name)
            if name == "notify_employer":
                notify_roles(employer, [Role.UNIT], title=f"培育对象{subject}违反培训纪律的通报",
                             body=f"{description.strip()}（{citation}）", url=url, kind="warning")
            elif name in BAN_PROGRAMS:
                ban = impose_ban(
                    program=BAN_PROGRAMS[name], reason=BAN_REASONS[name], citation_label=citation,
                    start=dt.date.fromisoformat(measure["start"]), end=dt.date.fromisoformat(measure["end"]),
                    person=enrolment.person if name == "provincial_award_ban" and enrolment else None,
                    organisation=None if name == "provincial_award_ban" else employer,
                    decision_reference=f"培育计划事件{incident.pk}", actor=actor)
                ban_ids.append(ban.pk)
        incident.ban_ids = ban_ids
        incident.save(update_fields=["ban_ids"])
        record("cultivation.incident", incident, actor=actor,
               summary=f"{incident.get_kind_display()}：{subject}，禁止记录{len(ban_ids)}条", after=snapshot(incident))
        if kind == IncidentKind.EMPLOYER_NO_SUPPORT and without_good_reason:
            notify_roles(employer, [Role.UNIT], title="不支持职工参训的处理决定",
                         body=f"{year.year}学年：{citation or '江苏卓越技师办法 第二十一条'}", url=url, kind="warning")
    return incident


def visible_incidents(user: Any, year: CultivationYear) -> QuerySet[Incident]:
    qs = Incident.objects.filter(year=year).select_related("enrolment__person", "employer").order_by("-decided_on")
    if is_province_office(user):
        return qs
    own = training_unit_of(user)
    if own is not None:
        return qs.filter(enrolment__major__training_unit=own)
    led = list(lead_bureaus(user, year))
    if led:
        ids = [i.pk for i in qs if city_of(i.enrolment.training_unit if i.enrolment else i.employer) in led
               or (i.enrolment is not None and i.enrolment.home_city in led)]
        return qs.filter(pk__in=ids)
    if getattr(user, "role", "") == Role.UNIT and getattr(user, "organisation", None) is not None:
        return qs.filter(employer=user.organisation)
    return qs.none()


def incident_bans(incident: Incident) -> list[Any]:
    from jiangxin.platform.people.models import Ban

    return list(Ban.objects.filter(pk__in=incident.ban_ids or []).select_related("person", "organisation"))


# ------------------------------------------------------------------------------------------------ deferral


def _attended(enrolment: Enrolment) -> tuple[Decimal, Decimal]:
    agg = enrolment.attendance.aggregate(h=Sum("hours"), c=Sum("credits"))
    return agg["h"] or ZERO, agg["c"] or ZERO


@action("cultivation.request_deferral")
def request_deferral(actor: Any, enrolment: Enrolment, *, reason: str, detail: str) -> Enrolment:
    """The trainee asks to defer to the next year (第二十四条)."""
    person = getattr(actor, "person", None)
    if getattr(actor, "role", "") != Role.TRAINEE or person is None or person.pk != enrolment.person_id:
        raise CultivationError(gettext("只能为本人申请延期。"))
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise CultivationError(gettext("只有在训的培育对象可以申请延期。"))
    if (enrolment.deferral_outcome or {}).get("state") == "pending":
        raise CultivationError(gettext("已有待审批的延期申请。"))
    if reason not in ("work", "family", "health", "other"):
        raise CultivationError(gettext("请选择延期原因。"))
    if not detail.strip():
        raise CultivationError(gettext("请说明原因。"))
    with transaction.atomic():
        before = snapshot(enrolment)
        enrolment.deferral_outcome = {"state": "pending", "request": {
            "reason": reason, "detail": detail.strip(), "requested_on": timezone.localdate().isoformat()}}
        enrolment.save(update_fields=["deferral_outcome"])
        record("cultivation.deferral.request", enrolment, actor=actor, summary=f"{enrolment}申请延期",
               before=before, after=snapshot(enrolment))
        url = reverse("cultivation:results_deferrals")
        notify([*_lead_users(enrolment.year, enrolment.home_city), *_province_office_users()],
               title=f"{enrolment.person.name}申请延期培育", body="请审批（江苏卓越技师办法 第二十四条）", url=url)
    return enrolment


def _previous_deferral_years(enrolment: Enrolment) -> list[int]:
    others = Enrolment.objects.filter(person=enrolment.person).exclude(pk=enrolment.pk).select_related("year")
    return sorted(e.year.year for e in others if (e.deferral_outcome or {}).get("state") == "granted"
                  and e.year.year <= enrolment.year.year)


def can_decide_deferral(actor: Any, enrolment: Enrolment) -> bool:
    return is_province_office(actor) or is_city_lead(actor, enrolment.year, enrolment.home_city)


@action("cultivation.decide_deferral")
def decide_deferral(actor: Any, enrolment: Enrolment, *, approve: bool, note: str = "") -> Enrolment:
    """The province office or the trainee's city lead decides; ``deferral`` (once per person, nothing carried
    over) makes the decision when the request is approved."""
    if not can_decide_deferral(actor, enrolment):
        raise CultivationError(gettext("只有省级主管部门或该市市级负责人可以审批延期。"))
    state = enrolment.deferral_outcome or {}
    if state.get("state") != "pending":
        raise CultivationError(gettext("没有待审批的延期申请。"))
    request = state["request"]
    outcome = None
    if approve:
        hours, credits = _attended(enrolment)
        outcome = _run("deferral", {
            "as_of": timezone.localdate().isoformat(), "trainee": f"E{enrolment.pk}",
            "plan_year": enrolment.year.year, "reason": request["reason"], "reason_detail": request["detail"],
            "requested_on": request["requested_on"], "previous_deferral_years": _previous_deferral_years(enrolment),
            "hours_attended": str(hours), "credits_earned": str(credits)})
        granted = bool(outcome["value"]["granted"])
    else:
        if not note.strip():
            raise CultivationError(gettext("不同意延期须写明理由。"))
        granted = False
    with transaction.atomic():
        before = snapshot(enrolment)
        enrolment.deferral_outcome = {
            "state": "granted" if granted else ("refused" if approve else "rejected"), "request": request,
            "outcome": outcome, "note": note.strip(), "decided_on": timezone.localdate().isoformat(),
            "decided_by": getattr(actor, "pk", None)}
        if granted:
            enrolment.status = EnrolmentStatus.DEFERRED
        enrolment.save(update_fields=["deferral_outcome", "status"])
        record("cultivation.deferral.decide", enrolment, actor=actor,
               summary=f"{enrolment}延期申请：{'准予' if granted else '不予'}延期", before=before,
               after=snapshot(enrolment))
        if granted:
            following = CultivationYear.objects.filter(year=enrolment.year.year + 1).first()
            if following is not None:
                returning_from_deferral(following)
        notify(_person_users(enrolment.person),
               title=f"延期申请{'已准予，顺延至' + str(enrolment.year.year + 1) + '学年' if granted else '未获准许'}",
               body=_citation(outcome or {}) or "江苏卓越技师办法 第二十四条", url=reverse("cultivation:results_mine"))
    return enrolment


def returning_from_deferral(year: CultivationYear) -> list[Enrolment]:
    """Enrolments in ``year`` for everyone granted a deferral from the year before (第二十四条): they start
    again with nothing carried over and choose unit and major anew. Idempotent."""
    created = []
    deferred = Enrolment.objects.filter(year__year=year.year - 1, status=EnrolmentStatus.DEFERRED)
    for e in deferred.select_related("person"):
        if (e.deferral_outcome or {}).get("state") != "granted":
            continue
        if Enrolment.objects.filter(year=year, person=e.person).exists():
            continue
        with transaction.atomic():
            new = Enrolment.objects.create(year=year, designation=e.designation, person=e.person, track=e.track,
                                           employer=e.employer, home_city=e.home_city, remote=e.remote,
                                           status=EnrolmentStatus.CHOOSING)
            record("cultivation.deferral.return", new, actor=None,
                   summary=f"{e.person.name}延期后参加{year.year}学年", after=snapshot(new))
        created.append(new)
    return created


def pending_deferrals(user: Any, year: CultivationYear | None = None) -> list[Enrolment]:
    """Requests the user may decide: in ``year``, or in every year not yet closed."""
    qs = Enrolment.objects.exclude(year__status=YearStatus.CLOSED).select_related(
        "person", "home_city", "major__training_unit", "year")
    if year is not None:
        qs = qs.filter(year=year)
    return [e for e in qs if (e.deferral_outcome or {}).get("state") == "pending" and can_decide_deferral(user, e)]


def decided_deferrals(user: Any, year: CultivationYear) -> list[Enrolment]:
    qs = Enrolment.objects.filter(year=year).select_related("person", "home_city", "major__training_unit")
    return [e for e in qs if (e.deferral_outcome or {}).get("state") in ("granted", "refused", "rejected")
            and can_decide_deferral(user, e)]


# ------------------------------------------------------------------------------------------------ acceptance

RUBRIC_ITEMS: list[dict[str, Any]] = []


def rubric_items() -> list[dict[str, Any]]:
    """The 20 rows of 附件4 (key, section, title, points), read from the policy core's rubric."""
    if not RUBRIC_ITEMS:
        from jiangxin.programs.jiangsu_technician.scoring import UNIT_ACCEPTANCE_RUBRIC as rubric

        sections = {s.key: s.title for s in rubric.sections}
        RUBRIC_ITEMS.extend({"key": i.key, "section": sections.get(i.section, i.section), "title": i.title,
                             "points": i.points} for i in rubric.items)
    return RUBRIC_ITEMS


def _funding_facts(unit: Organisation, finance_bureau: str, plan_year: int,
                   results: Iterable[tuple[int, str, int]]) -> dict[str, Any]:
    return {"as_of": timezone.localdate().isoformat(), "plan_year": plan_year, "training_unit": unit.name,
            "finance_bureau": finance_bureau,
            "results": [{"year": y, "track": t, "passing": n} for y, t, n in results]}


def certificate_number(enrolment: Enrolment) -> str:
    return f"JSZYJS-{enrolment.year.year}-{enrolment.pk:06d}"


@action("cultivation.assess_unit")
def assess_unit(actor: Any, year: CultivationYear, unit: Organisation, *, item_scores: Mapping[str, Any],
                finance_bureau: str, provincial_assessor: str = "", city_assessor: str = "") -> UnitAcceptance:
    """省级考核验收 (第二十二条, 附件4): score the 20 items, take the passing counts from the unit's grading,
    work out the funding and number the certificates of those who pass. Re-assessing is possible until the
    funding is posted."""
    _require_office(actor)
    grading = UnitGrading.objects.filter(year=year, training_unit=unit).first()
    if grading is None:
        raise CultivationError(gettext("该承训单位尚未完成培育对象评定，不能验收。"), citations=[guards.cite("第二十条"),
                                                                                    guards.cite("第二十二条")])
    if not finance_bureau.strip():
        raise CultivationError(gettext("请填写承训单位所在地财政部门。"))
    acceptance = UnitAcceptance.objects.filter(year=year, training_unit=unit).first()
    if acceptance is not None and posted_entries(year, unit).exists():
        raise CultivationError(gettext("经费已核拨，验收结果不能再修改。"), citations=[guards.cite("第二十二条")])
    keys = [i["key"] for i in rubric_items()]
    missing = [i["title"] for i in rubric_items() if item_scores.get(i["key"]) in (None, "")]
    if missing:
        raise CultivationError(f"请逐项评分（未评：{'、'.join(missing)}）。")
    scores = {k: str(item_scores[k]) for k in keys}
    outcome = _run("unit_acceptance_score", {"as_of": timezone.localdate().isoformat(), **scores})
    passing_ids = {int(k[1:]) for k, row in grading.outcome["value"]["trainees"].items() if row["passing"]}
    graded = list(Enrolment.objects.filter(year=year, major__training_unit=unit, status=EnrolmentStatus.GRADED))
    passing = [e for e in graded if e.pk in passing_ids]
    by_track = {"A": sum(1 for e in passing if e.track == "A"), "B": sum(1 for e in passing if e.track == "B")}
    funding = _run("funding", _funding_facts(unit, finance_bureau.strip(), year.year,
                                             [(year.year, t, n) for t, n in by_track.items()]))
    with transaction.atomic():
        before = snapshot(acceptance) if acceptance else None
        if acceptance is None:
            acceptance = UnitAcceptance(year=year, training_unit=unit)
        acceptance.item_scores = scores
        acceptance.outcome = outcome
        acceptance.total = Decimal(str(outcome["value"]["total"]))
        acceptance.passing_a, acceptance.passing_b = by_track["A"], by_track["B"]
        acceptance.finance_bureau = finance_bureau.strip()
        acceptance.funding_outcome = funding
        acceptance.provincial_assessor, acceptance.city_assessor = provincial_assessor, city_assessor
        acceptance.assessed_by, acceptance.assessed_at = actor, timezone.now()
        acceptance.save()
        for e in graded:
            e.passed = e.pk in passing_ids
            e.certificate_no = certificate_number(e) if e.passed else ""
            e.save(update_fields=["passed", "certificate_no"])
        record("cultivation.acceptance", acceptance, actor=actor,
               summary=f"{unit.name} {year.year}学年验收：{acceptance.total}分，合格A类{by_track['A']}人、"
                       f"B类{by_track['B']}人", before=before, after=snapshot(acceptance))
        url = reverse("cultivation:results_acceptance", args=[unit.pk])
        notify(_unit_users(unit), title=f"{year.year}学年省级考核验收结果：{acceptance.total}分",
               body=_citation(outcome), url=url)
        for e in passing:
            notify(_person_users(e.person), title=f"{year.year}学年验收合格，可下载合格证书",
                   body=_citation(outcome), url=reverse("cultivation:results_mine"))
    return acceptance


def posted_entries(year: CultivationYear, unit: Organisation) -> QuerySet[Any]:
    from jiangxin.platform.ledger.models import EntryKind, LedgerEntry

    designations = Enrolment.objects.filter(year=year, major__training_unit=unit,
                                            designation__isnull=False).values("designation")
    return LedgerEntry.objects.filter(designation__in=designations, kind=EntryKind.PER_HEAD, year=year.year)


@action("cultivation.post_funding")
def post_funding(actor: Any, acceptance: UnitAcceptance) -> dict[str, Any]:
    """One PER_HEAD ledger entry per passing trainee on their Jiangsu designation, paid to the training unit
    through its local finance bureau (第二十二条). Posting twice adds nothing."""
    from jiangxin.platform.ledger.services import LedgerError, grant_per_head

    _require_office(actor)
    if acceptance.assessed_at is None:
        raise CultivationError(gettext("尚未完成省级考核验收。"), citations=[guards.cite("第二十二条")])
    year, unit = acceptance.year, acceptance.training_unit
    passing = list(gradable_enrolments(year, unit).filter(passed=True).select_related("designation", "person"))
    posted, skipped, existing = [], [], 0
    already = sum((x.amount for x in posted_entries(year, unit)), ZERO)
    with transaction.atomic():
        for e in passing:
            if e.designation is None:
                skipped.append(e.person.name)
                continue
            if posted_entries(year, unit).filter(designation=e.designation).exists():
                existing += 1
                continue
            facts = _funding_facts(unit, acceptance.finance_bureau, min(e.designation.year, year.year),
                                   [(year.year, e.track, 1)])
            try:
                posted.append(grant_per_head(e.designation, facts, actor=actor, year=year.year))
            except (LedgerError, FactsError, ValidationError) as exc:
                raise CultivationError(f"{e.person.name}：{_chinese(exc)}") from exc
            except Exception as exc:  # PermissionDenied from the ledger's scope check
                if exc.__class__.__name__ == "PermissionDenied":
                    raise CultivationError(f"{e.person.name}的入选记录不在您的管辖范围内。") from exc
                raise
        total = sum((x.amount for x in posted), ZERO)
        guards.funding_within_entitlement(acceptance, already, total,
                                          {t: sum(1 for e in passing if e.track == t) for t in ("A", "B")})
        record("cultivation.funding", acceptance, actor=actor,
               summary=f"{unit.name} {year.year}学年核拨培育经费 {total} 元（{len(posted)}笔）",
               after={"entries": [x.pk for x in posted], "skipped": skipped})
        if posted:
            notify(_unit_users(unit), title=f"{year.year}学年培育经费已核拨 {total} 元",
                   body=f"经{acceptance.finance_bureau}拨付（江苏卓越技师办法 第二十二条）",
                   url=reverse("cultivation:results_acceptance", args=[unit.pk]))
    return {"posted": posted, "skipped": skipped, "existing": existing,
            "total": sum((x.amount for x in posted), ZERO)}


def certificate_docx(enrolment: Enrolment) -> bytes:
    """合格证书 (第四条) for a trainee who passed the year's acceptance."""
    from jiangxin.platform.core.formats import chinese_date
    from jiangxin.platform.documents.render import default_docx, render_docx

    if not enrolment.passed or not enrolment.certificate_no:
        raise CultivationError(gettext("只有验收合格的培育对象才有合格证书。"))
    unit = enrolment.training_unit
    values = {"title": "江苏省卓越技师培育计划合格证书", "name": enrolment.person.name,
              "unit": enrolment.employer.name if enrolment.employer else "",
              "body": (f"于{enrolment.year.year}学年在{unit.name if unit else ''}参加"
                       f"{enrolment.major.name if enrolment.major else ''}专业（{enrolment.track}类）培育，"
                       f"评定等次{enrolment.grade}，经省级考核验收合格。"),
              "honour": f"证书编号：{enrolment.certificate_no}", "issuer": "江苏省人力资源和社会保障厅",
              "date": chinese_date(timezone.localdate())}
    return render_docx(default_docx("certificate"), values)


def overview(user: Any, year: CultivationYear) -> list[dict[str, Any]]:
    """Per visible unit: grading, acceptance total, passing counts, money posted, spending status."""
    rows = []
    for unit in visible_units(user, year):
        grading = UnitGrading.objects.filter(year=year, training_unit=unit).first()
        acceptance = UnitAcceptance.objects.filter(year=year, training_unit=unit).first()
        money = posted_entries(year, unit).aggregate(s=Sum("amount"))["s"] or ZERO
        graded = Enrolment.objects.filter(year=year, major__training_unit=unit, status=EnrolmentStatus.GRADED)
        rows.append({"unit": unit, "grading": grading, "graded": graded.count(), "acceptance": acceptance,
                     "money": money, "spending": spending_outcome(year, unit),
                     "due": acceptance.funding_outcome["value"]["total"] if acceptance and acceptance.funding_outcome
                     else None})
    return rows


# ------------------------------------------------------------------------------------------------ expenses

NEEDS_TRAINEE = (ExpenseCategory.TRANSPORT, ExpenseCategory.LODGING)


@action("cultivation.record_expense")
def record_expense(actor: Any, year: CultivationYear, unit: Organisation, *, category: str, amount: Decimal,
                   spent_on: dt.date, description: str, enrolment: Enrolment | None = None,
                   at_unit_canteen: bool | None = None, trainee_only: bool | None = None,
                   evidence: Any = None) -> Expense:
    """A line of the unit's subsidy ledger (第十条, 第十一条)."""
    own = training_unit_of(actor)
    if own is None or own.pk != unit.pk:
        raise CultivationError(gettext("只有承训单位可以登记本单位的经费支出。"))
    if category not in ExpenseCategory.values:
        raise CultivationError(gettext("请选择支出类别。"))
    if amount is None or amount <= 0:
        raise CultivationError(gettext("金额须大于0。"))
    if not description.strip():
        raise CultivationError(gettext("请填写摘要。"))
    if enrolment is not None and (enrolment.year_id != year.pk or enrolment.training_unit != unit):
        raise CultivationError(gettext("受益培育对象不是本单位本学年的培育对象。"))
    if category in NEEDS_TRAINEE and enrolment is None:
        raise CultivationError(gettext("交通、住宿补贴须指明受益培育对象。"))
    if category == ExpenseCategory.MEALS and (at_unit_canteen is None or trainee_only is None):
        raise CultivationError(gettext("用餐补贴须注明是否在本单位食堂、是否仅限培育对象本人。"))
    if category != ExpenseCategory.MEALS:
        at_unit_canteen = trainee_only = None
    with transaction.atomic():
        expense = Expense.objects.create(
            year=year, training_unit=unit, category=category, amount=amount, spent_on=spent_on,
            description=description.strip(), enrolment=enrolment, at_unit_canteen=at_unit_canteen,
            trainee_only=trainee_only, evidence=evidence or "", recorded_by=actor)
        record("cultivation.expense", expense, actor=actor,
               summary=f"{unit.name}支出 {expense.get_category_display()} {amount} 元", after=snapshot(expense))
    return expense


def spending_outcome(year: CultivationYear, unit: Organisation) -> dict[str, Any] | None:
    """``spending_split`` over the unit's lines of the year (None while there are none)."""
    lines = []
    for x in Expense.objects.filter(year=year, training_unit=unit).select_related("enrolment"):
        line: dict[str, Any] = {"key": f"L{x.pk}", "category": x.category, "amount": f"{x.amount:.2f}"}
        if x.enrolment_id:
            line["trainee"] = f"E{x.enrolment_id}"
        if x.category in NEEDS_TRAINEE:
            line["remote_trainee"] = bool(x.enrolment and x.enrolment.remote)
        if x.category == ExpenseCategory.MEALS:
            line.update(at_unit_canteen=bool(x.at_unit_canteen), trainee_only=bool(x.trainee_only))
        lines.append(line)
    if not lines:
        return None
    return _run("spending_split", {"as_of": timezone.localdate().isoformat(), "plan_year": year.year,
                                   "training_unit": unit.name, "lines": lines})


def expenses_xlsx(year: CultivationYear, units: Iterable[Organisation]) -> bytes:
    from jiangxin.platform.core.formats import chinese_date
    from jiangxin.platform.documents.render import Column, default_xlsx, render_xlsx

    columns = [Column("unit", "承训单位", 24), Column("spent_on", "支出日期", 12), Column("category", "支出类别", 14),
               Column("amount", "金额（元）", 12), Column("description", "摘要", 30),
               Column("trainee", "受益培育对象", 12), Column("remote", "异地参训", 8),
               Column("canteen", "本单位食堂", 8), Column("trainee_only", "仅限本人", 8),
               Column("flag", "审核提示", 30)]
    yes = {True: "是", False: "否", None: ""}
    rows = []
    for unit in units:
        outcome = spending_outcome(year, unit)
        flags: dict[str, list[str]] = defaultdict(list)
        for r in (outcome or {}).get("value", {}).get("rejected_lines", []):
            flags[r["key"]].append(r["reason"])
        for x in Expense.objects.filter(year=year, training_unit=unit).select_related("enrolment__person"):
            rows.append({"unit": unit.name, "spent_on": x.spent_on.isoformat(),
                         "category": x.get_category_display(), "amount": f"{x.amount:.2f}",
                         "description": x.description, "trainee": x.enrolment.person.name if x.enrolment else "",
                         "remote": yes[x.enrolment.remote] if x.enrolment else "",
                         "canteen": yes[x.at_unit_canteen], "trainee_only": yes[x.trainee_only],
                         "flag": "；".join(flags.get(f"L{x.pk}", []))})
    values = {"title": f"{year.year}学年培育补助经费支出明细台账", "issuer": "江苏省卓越技师培育计划",
              "date": chinese_date(timezone.localdate())}
    return render_xlsx(default_xlsx("list", columns), values, columns=columns, rows=rows)


# ------------------------------------------------------------------------------------------------ surveys


def survey_open(year: CultivationYear) -> bool:
    return year.status in SURVEY_PHASES


def _clean_answers(items: Iterable[surveys.Item], answers: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for item in items:
        value = answers.get(item.key)
        if item.kind == "rating":
            if value not in surveys.RATING_LABELS:
                raise CultivationError(f"请为“{item.label}”选择评价。")
            clean[item.key] = value
        elif item.kind == "count":
            try:
                number = int(value or 0)
            except (TypeError, ValueError) as exc:
                raise CultivationError(f"“{item.label}”须填写人数。") from exc
            if number < 0:
                raise CultivationError(f"“{item.label}”不能为负数。")
            clean[item.key] = number
        else:
            clean[item.key] = str(value or "").strip()[:2000]
    return clean


@action("cultivation.submit_satisfaction")
def submit_satisfaction(actor: Any, enrolment: Enrolment, answers: Mapping[str, Any]) -> SurveyResponse:
    """附件2: each trainee answers once a year."""
    person = getattr(actor, "person", None)
    if getattr(actor, "role", "") != Role.TRAINEE or person is None or person.pk != enrolment.person_id:
        raise CultivationError(gettext("只能填写本人的满意度问卷。"))
    if not survey_open(enrolment.year):
        raise CultivationError(gettext("满意度调查尚未开始或已结束。"))
    if enrolment.status not in GRADABLE or enrolment.major_id is None:
        raise CultivationError(gettext("只有本学年参训的培育对象可以填写。"))
    if SurveyResponse.objects.filter(year=enrolment.year, kind=SurveyKind.SATISFACTION,
                                     enrolment=enrolment).exists():
        raise CultivationError(gettext("您已填写过本学年的满意度问卷。"))
    clean = _clean_answers(surveys.SATISFACTION_ITEMS, answers)
    with transaction.atomic():
        response = SurveyResponse.objects.create(year=enrolment.year, kind=SurveyKind.SATISFACTION,
                                                 training_unit=enrolment.training_unit, enrolment=enrolment,
                                                 answers=clean, respondent=actor)
        record("cultivation.survey.satisfaction", response, actor=actor,
               summary=f"{enrolment.year.year}学年满意度问卷（{enrolment.training_unit}）")
    return response


def employer_years(actor: Any) -> QuerySet[CultivationYear]:
    org = getattr(actor, "organisation", None)
    if getattr(actor, "role", "") != Role.UNIT or org is None:
        return CultivationYear.objects.none()
    return CultivationYear.objects.filter(enrolments__employer=org).distinct()


@action("cultivation.submit_employer_survey")
def submit_employer_survey(actor: Any, year: CultivationYear, answers: Mapping[str, Any]) -> SurveyResponse:
    """附件3: each employer with staff in the plan answers once a year."""
    if not employer_years(actor).filter(pk=year.pk).exists():
        raise CultivationError(gettext("只有有职工参加本学年培育计划的用人单位可以填写。"))
    if not survey_open(year):
        raise CultivationError(gettext("用人单位调查尚未开始或已结束。"))
    employer = actor.organisation
    if SurveyResponse.objects.filter(year=year, kind=SurveyKind.EMPLOYER, employer=employer).exists():
        raise CultivationError(gettext("本单位已填写过本学年的调查问卷。"))
    clean = _clean_answers(surveys.EMPLOYER_ITEMS, answers)
    with transaction.atomic():
        response = SurveyResponse.objects.create(year=year, kind=SurveyKind.EMPLOYER, employer=employer,
                                                 answers=clean, respondent=actor)
        record("cultivation.survey.employer", response, actor=actor, summary=f"{year.year}学年用人单位调查（{employer}）")
    return response


def survey_summary(year: CultivationYear, unit: Organisation) -> dict[str, Any]:
    """Counts per answer for each 附件2 item, the share of 优秀+良好, suggestions (no names), and the 附件3
    answers of the employers whose staff trained at the unit."""
    answers = [r.answers for r in SurveyResponse.objects.filter(year=year, kind=SurveyKind.SATISFACTION,
                                                                training_unit=unit)]
    n = len(answers)
    items = []
    for item in surveys.RATING_ITEMS:
        counts = {key: sum(1 for a in answers if a.get(item.key) == key) for key, _label in surveys.RATINGS}
        satisfied = sum(v for k, v in counts.items() if k in surveys.SATISFIED)
        items.append({"item": item, "counts": [(surveys.RATING_LABELS[k], v) for k, v in counts.items()],
                      "satisfied_share": (Decimal(satisfied) / n * 100).quantize(Decimal("0.1")) if n else None})
    suggestions = [a["suggestions"] for a in answers if a.get("suggestions")]
    employers = Enrolment.objects.filter(year=year, major__training_unit=unit).values("employer")
    employer_answers = SurveyResponse.objects.filter(year=year, kind=SurveyKind.EMPLOYER,
                                                     employer__in=employers).select_related("employer")
    trainees = Enrolment.objects.filter(year=year, major__training_unit=unit, status__in=GRADABLE).count()
    return {"unit": unit, "count": n, "trainees": trainees, "items": items, "suggestions": suggestions,
            "employer_responses": list(employer_answers)}


def my_enrolments(user: Any) -> QuerySet[Enrolment]:
    person = getattr(user, "person", None)
    if getattr(user, "role", "") != Role.TRAINEE or person is None:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(person=person).select_related("year", "major__training_unit").order_by(
        "-year__year")


def answered_satisfaction(enrolment: Enrolment) -> bool:
    return SurveyResponse.objects.filter(kind=SurveyKind.SATISFACTION, enrolment=enrolment).exists()


def employer_answered(year: CultivationYear, employer: Organisation) -> bool:
    return SurveyResponse.objects.filter(year=year, kind=SurveyKind.EMPLOYER, employer=employer).exists()

