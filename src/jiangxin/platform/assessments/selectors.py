"""Reading annual assessments (no state changes): what a user sees, who files, the dates' warnings, which
designations are assessed and which are due a reminder, the prefilled rubric entries, running the
program's computation on entries, the stored grade, and the results the ledger's yearly run reads.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from jiangxin.platform.assessments.base import ASSESSED_STATUSES, OFFICE_ROLES, UNIT_ROLES, AssessmentError
from jiangxin.platform.assessments.models import Assessment, AssessmentRound, AssessmentStatus, RoundStatus
from jiangxin.platform.assessments.profiles import prefill_source, profile_for, reminder_days, rubric_key
from jiangxin.platform.core import answers
from jiangxin.platform.orgs.scope import scope
from jiangxin.policy.errors import FactsError, PolicyError, UnsetParameterError


def _designation_model() -> Any:
    """The model an assessment is of (its ``designation`` foreign key names it), without importing that app."""
    return Assessment._meta.get_field("designation").related_model


def is_office(user: Any) -> bool:
    return bool(getattr(user, "is_active", False)) and getattr(user, "role", "") in OFFICE_ROLES


def visible_rounds(user: Any) -> QuerySet[AssessmentRound]:
    if not is_office(user):
        return AssessmentRound.objects.none()
    return scope(AssessmentRound.objects.select_related("program", "organiser"), user, org_field="organiser")


def visible_assessments(user: Any) -> QuerySet[Assessment]:
    """Office staff: their subtree's rounds; a unit: its own designations only; everybody else: nothing."""
    qs = Assessment.objects.select_related("round", "round__program", "designation")
    if is_office(user):
        return qs.filter(round__in=visible_rounds(user))
    if getattr(user, "role", "") in UNIT_ROLES:
        # the filing unit: the holder unit, or for an individual's designation the unit it came through
        return scope(qs, user, org_field="designation__scope_org")
    return qs.none()


def filer_org(designation: Any) -> Any:
    """The organisation that files a designation's annual report (holder unit, else the scope unit)."""
    return designation.holder_org if designation.holder_org_id else designation.scope_org


def timing_warnings(program_key: str, year: int, opens: dt.date, due: dt.date) -> list[str]:
    """What the office should know about the dates it chose (a warning, never a refusal)."""
    profile = profile_for(program_key)
    warnings: list[str] = []
    if profile.timing == "q4" and not (opens.year == year and opens.month >= 10):
        warnings.append(f"{profile.citation.label}：年度考核应在考核年度第四季度进行，"
                        f"所选开始日期 {opens.isoformat()} 不在 {year} 年第四季度。")
    if profile.timing in ("q4", "year_end") and due > dt.date(year, 12, 31):
        warnings.append(f"{profile.citation.label}：自评材料应于 {year} 年底前报送，"
                        f"所选截止日期 {due.isoformat()} 晚于年底。")
    return warnings


def eligible_designations(program_key: str, year: int) -> QuerySet[Any]:
    """Designations assessed in ``year``: designated in or before that year and still active or on yellow card."""
    Designation = _designation_model()
    return Designation.objects.filter(program=program_key, status__in=ASSESSED_STATUSES,
                                      year__lte=year).order_by("pk")


def due_for_reminder(on: dt.date | None = None) -> QuerySet[Assessment]:
    """Pending, not yet reminded assessments whose deadline is within the reminder period (deadline included)."""
    on = on or timezone.localdate()
    last = on + dt.timedelta(days=reminder_days())
    return Assessment.objects.filter(
        status=AssessmentStatus.PENDING, reminded_at__isnull=True, round__status=RoundStatus.OPEN,
        round__self_report_due__gte=on, round__self_report_due__lte=last,
    ).select_related("round", "designation", "designation__holder_org", "designation__scope_org")


def prefill(assessment: Assessment) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """Rubric entries from the unit's work records (worklog.rubric_facts) and the record ids behind each item."""
    key = rubric_key(assessment.round.program.key)
    if not key:
        return {}, {}
    program = assessment.round.program.key
    entries: dict[str, Any] = {}
    links: dict[str, list[int]] = {}
    # the unit's work records for this rubric: answered by the worklog app ({} when it cannot prefill the rubric,
    # e.g. the studio template: the assessor then enters everything)
    found, ids = answers.ask("assessments.work_record_entries", assessment.designation, assessment.round.year, key)
    entries.update(found)
    links.update({k: list(v) for k, v in ids.items()})
    for source in profile_for(program).prefill:
        # e.g. the park's monthly presence logs and evidenced data reports (镇江 附件2), registered by its app
        prefill_source(source)(assessment, entries, links)
    return entries, links


def as_of(rnd: AssessmentRound) -> dt.date:
    """The date the rubric and parameters are read on: the last day of the assessed year."""
    return dt.date(rnd.year, 12, 31)


def run_computation(rnd: AssessmentRound, entries: dict[str, Any]) -> dict[str, Any]:
    """The program's computation on ``entries`` → Outcome JSON (raises AssessmentError for bad input)."""
    from jiangxin.policy.registry import get_computation

    profile = profile_for(rnd.program.key)
    if not profile.scored:
        raise AssessmentError("该项目年度报告只备案，不评分。")
    raw = {k: v for k, v in entries.items() if k != "as_of"}
    raw["as_of"] = as_of(rnd).isoformat()
    try:
        if rnd.rubric_data:
            outcome = _run_office_rubric(rnd, raw)
        else:
            comp = get_computation(rnd.program.key, profile.computation)
            outcome = comp.run(raw, rnd.office_parameters or None, reference=rnd.reference)
    except FactsError as exc:
        raise AssessmentError("评分项目输入不正确。", exc.problems) from exc
    except UnsetParameterError as exc:
        raise AssessmentError(f"主管部门尚未设定所需参数（如合格分数线）：{exc}") from exc
    except PolicyError as exc:
        raise AssessmentError(f"计算失败：{exc}") from exc
    data: dict[str, Any] = outcome.to_dict()
    data["computation"] = f"{rnd.program.key}/{profile.computation}"
    data["citation"] = profile.citation.to_dict()
    return data


def _run_office_rubric(rnd: AssessmentRound, raw: dict[str, Any]) -> Any:
    from jiangxin.platform.panels import rubrics
    from jiangxin.policy.facts import parse_facts
    from jiangxin.policy.rubric import rubric_facts_model
    from jiangxin.programs.nanchang_studio.scoring import score_assessment

    rubric = rubrics.rubric_for(rubrics.OFFICE, rnd.program.key, rnd.rubric_data)
    facts = parse_facts(rubric_facts_model(rubric), raw)
    params = rnd.program.parameters()
    if rnd.office_parameters:
        params = params.with_overrides(rnd.office_parameters, reference=rnd.reference)
    return score_assessment(rubric, facts, as_of(rnd), params)


def grade_of(outcome: dict[str, Any]) -> tuple[Decimal | None, str, bool | None]:
    """(total, grade, passed) read from a stored Outcome: the academy's 附件2 grade, else 合格/不合格."""
    value = outcome.get("value") or {}
    total = Decimal(str(value["total"])) if value.get("total") is not None else None
    passed = value.get("passed")
    grade = str(value.get("grade") or "")
    if not grade and passed is not None:
        grade = "合格" if passed else "不合格"
    return total, grade, passed


def results_for_year(program: Any, year: int) -> dict[int, bool | None]:
    """designation id → passed (True) / failed (False) / not yet decided or not scored (None).

    Only published results count: a score the office has not published is still ``None``.
    ``program`` is a rounds.Program or its key.
    """
    key = getattr(program, "key", program)
    rows = Assessment.objects.filter(round__program__key=key, round__year=year).values_list(
        "designation_id", "status", "passed")
    return {d: (passed if status == AssessmentStatus.PUBLISHED else None) for d, status, passed in rows}


def assessment_for(designation: Any, year: int) -> Assessment | None:
    return (Assessment.objects.select_related("round", "round__program")
            .filter(designation=designation, round__year=year).first())
