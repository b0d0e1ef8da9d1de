"""Reading the results part of a cultivation year (江苏卓越技师办法 第十条 … 第二十四条, 附件2 … 附件4): units
and trainees to grade, incidents and bans, deferrals, the acceptance rubric, posted funding, spending, surveys,
the overview, and the certificate and expenses documents. Nothing here changes a record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.cultivation import surveys
from jiangxin.platform.cultivation.access import (
    CultivationError,
    city_of,
    is_city_lead,
    is_province_office,
    lead_bureaus,
    training_unit_of,
)
from jiangxin.platform.cultivation.common_results import (
    GRADABLE,
    NEEDS_TRAINEE,
    RUBRIC_ITEMS,
    SURVEY_PHASES,
    ZERO,
    _run,
    is_locked,
)
from jiangxin.platform.cultivation.models import (
    Attendance,
    CultivationYear,
    Enrolment,
    EnrolmentStatus,
    Expense,
    ExpenseCategory,
    Incident,
    PlanStatus,
    SurveyKind,
    SurveyResponse,
    TrainingPlan,
    UnitAcceptance,
    UnitGrading,
    YearStatus,
)
from jiangxin.platform.orgs.models import Organisation


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
        qs = qs.filter(pk__in=[int(k[1:]) for k in keys if str(k).startswith("E") and str(k)[1:].isdecimal()])
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


def _attended(enrolment: Enrolment) -> tuple[Decimal, Decimal]:
    agg = enrolment.attendance.aggregate(h=Sum("hours"), c=Sum("credits"))
    return agg["h"] or ZERO, agg["c"] or ZERO


def _previous_deferral_years(enrolment: Enrolment) -> list[int]:
    others = Enrolment.objects.filter(person=enrolment.person).exclude(pk=enrolment.pk).select_related("year")
    return sorted(e.year.year for e in others if (e.deferral_outcome or {}).get("state") == "granted"
                  and e.year.year <= enrolment.year.year)


def can_decide_deferral(actor: Any, enrolment: Enrolment) -> bool:
    return is_province_office(actor) or is_city_lead(actor, enrolment.year, enrolment.home_city)


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


def posted_entries(year: CultivationYear, unit: Organisation) -> QuerySet[Any]:
    from jiangxin.platform.ledger.models import EntryKind, LedgerEntry

    designations = Enrolment.objects.filter(year=year, major__training_unit=unit,
                                            designation__isnull=False).values("designation")
    return LedgerEntry.objects.filter(designation__in=designations, kind=EntryKind.PER_HEAD, year=year.year)


def certificate_docx(enrolment: Enrolment) -> bytes:
    """合格证书 (第四条) for a trainee who passed the year's acceptance."""
    from jiangxin.platform.core.formats import chinese_date
    from jiangxin.platform.core.officedocs import default_docx, render_docx

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


#: why ``spending_split`` rejects a line, by its rule, in the reader's language: the policy core stays free of Django
#: and writes its reasons in Chinese, so the pages translate them here, at the platform's edge
_LINE_REASONS = {
    "meal_at_unit_canteen": gettext_lazy("用餐补贴仅限承训单位食堂"),
    "meal_for_trainee_only": gettext_lazy("用餐补贴仅限培育对象本人"),
    "transport_only_for_remote_trainees": gettext_lazy("交通补贴仅限异地参训培育对象"),
    "lodging_only_for_remote_trainees": gettext_lazy("住宿补贴仅限异地参训培育对象"),
}


def line_reason(rejected: Mapping[str, Any]) -> str:
    """A rejected spending line's reason in the reader's language (a rule without a sentence here by its label)."""
    from jiangxin.platform.core.templatetags.labels import label

    rule = str(rejected.get("rule") or "")
    found = _LINE_REASONS.get(rule)
    return str(found) if found is not None else label(rule, "jiangsu_technician")


def rejected_lines(outcome: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The lines ``spending_split`` rejected, each with its ``reason`` in the reader's language."""
    return [{**r, "reason": line_reason(r)} for r in (outcome or {}).get("value", {}).get("rejected_lines", [])]


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
    from jiangxin.platform.core.officedocs import Column, default_xlsx, render_xlsx

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


def survey_open(year: CultivationYear) -> bool:
    return year.status in SURVEY_PHASES


def employer_years(actor: Any) -> QuerySet[CultivationYear]:
    org = getattr(actor, "organisation", None)
    if getattr(actor, "role", "") != Role.UNIT or org is None:
        return CultivationYear.objects.none()
    return CultivationYear.objects.filter(enrolments__employer=org).distinct()


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
