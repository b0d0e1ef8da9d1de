"""Annual assessments: open a round, remind, submit, score through the program's computation, publish.

Every transition is one function in ``transaction.atomic()`` with a role check and an audit record; views
never write models. Scores, grades and the pass/fail decision come only from the computation's Outcome.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.applications.uploads import UploadError, check_upload
from jiangxin.platform.assessments.models import (
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    RoundStatus,
)
from jiangxin.platform.audit.service import record
from jiangxin.platform.core.transitions import within
from jiangxin.platform.orgs.scope import scope
from jiangxin.policy.errors import FactsError, ParameterError, PolicyError, UnsetParameterError
from jiangxin.policy.outcome import Citation, cite

#: roles that run assessments (the park office runs 镇江's)
OFFICE_ROLES = (Role.OFFICE, Role.PARK_OFFICE)
#: roles that file a designation's self-assessment
UNIT_ROLES = (Role.UNIT, Role.TRAINING_UNIT)
#: designation statuses that are assessed
ASSESSED_STATUSES = ("active", "yellow_card", "cycle_complete")  # assessed yearly after the cycle too

DEFAULT_REMINDER_DAYS = 7


class AssessmentError(Exception):
    """A refused action, with a Chinese message (and per-field problems when scoring input is bad)."""

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


@dataclasses.dataclass(frozen=True, slots=True)
class Profile:
    """How a program's annual assessment works."""

    program: str
    title: str
    citation: Citation
    computation: str = ""          # empty: filing only (赣州)
    timing: str = ""               # "q4" (南昌工匠学院), "year_end" (创新工作室) or ""
    pass_mark_parameter: str = ""  # office-set pass mark, when the computation needs one

    @property
    def scored(self) -> bool:
        return bool(self.computation)


PROFILES: dict[str, Profile] = {
    "nanchang_academy": Profile("nanchang_academy", gettext_noop("工匠学院年度考核（附件2）"),
                                cite("nanchang_academy", "第二十三条"), "annual_score", "q4"),
    "nanchang_studio": Profile("nanchang_studio", gettext_noop("创新工作室年度自评与考评"),
                               cite("nanchang_studio", "第十四条"), "assessment_score", "year_end",
                               "scoring_assessment_pass_mark"),
    "zhenjiang_park": Profile("zhenjiang_park", gettext_noop("入驻工作室年度绩效评估（附件2）"),
                              cite("zhenjiang_park", "五", "（二）"), "evaluation", "", "evaluation_pass_mark"),
    "ganzhou_craftsman": Profile("ganzhou_craftsman", gettext_noop("培育对象年度培养情况报告（备案）"),
                                 cite("ganzhou_craftsman", "第十一条")),
}


def profile_for(program_key: str) -> Profile:
    try:
        return PROFILES[program_key]
    except KeyError:
        raise AssessmentError("该项目的政策文件未规定年度考核，不能开启年度考核。") from None


def rubric_key(program_key: str) -> str:
    """The key of the rubric the program's computation scores (passed to worklog.rubric_facts)."""
    if program_key == "nanchang_academy":
        from jiangxin.programs.nanchang_academy.scoring import ANNUAL_RUBRIC

        return ANNUAL_RUBRIC.key
    if program_key == "nanchang_studio":
        from jiangxin.programs.nanchang_studio.scoring import ASSESSMENT_RUBRIC

        return ASSESSMENT_RUBRIC.key
    if program_key == "zhenjiang_park":
        from jiangxin.programs.zhenjiang_park.scoring import RUBRIC

        return RUBRIC.key
    return ""


def rubric_of(rnd: AssessmentRound) -> Any:
    """The rubric the round's computation scores (the office's own for a studio round that has one), or None."""
    key = rnd.program.key
    if key == "nanchang_studio" and rnd.rubric_data:
        from jiangxin.platform.panels import rubrics

        return rubrics.rubric_for(rubrics.OFFICE, key, rnd.rubric_data)
    if key == "nanchang_academy":
        from jiangxin.programs.nanchang_academy.scoring import ANNUAL_RUBRIC

        return ANNUAL_RUBRIC
    if key == "nanchang_studio":
        from jiangxin.programs.nanchang_studio.scoring import ASSESSMENT_RUBRIC

        return ASSESSMENT_RUBRIC
    if key == "zhenjiang_park":
        from jiangxin.programs.zhenjiang_park.scoring import RUBRIC

        return RUBRIC
    return None


#: rubric items the computation derives itself (not typed by the assessor): 镇江 presence from the monthly logs
DERIVED_ITEMS = {"zhenjiang_park": frozenset({"monthly_presence"})}


def reminder_days() -> int:
    return int(getattr(settings, "JIANGXIN_ASSESSMENT_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


def _designation_model() -> Any:
    from jiangxin.platform.designations.models import Designation

    return Designation


# ---- scope ---------------------------------------------------------------------------------------------

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


def _require_office(actor: Any, rnd: AssessmentRound | None = None) -> None:
    if not is_office(actor):
        raise PermissionDenied("只有主管部门工作人员可以办理年度考核。")
    if rnd is not None and not visible_rounds(actor).filter(pk=rnd.pk).exists():
        raise PermissionDenied("该考核批次不在您的管理范围内。")


def _require_holder(actor: Any, assessment: Assessment) -> None:
    if getattr(actor, "role", "") not in UNIT_ROLES or not getattr(actor, "is_active", False):
        raise PermissionDenied("只有被考核单位可以提交自评材料。")
    holder = getattr(filer_org(assessment.designation), "pk", None)
    if holder is None or holder != getattr(actor, "organisation_id", None):
        raise PermissionDenied("只能提交本单位的自评材料。")


# ---- opening a round -----------------------------------------------------------------------------------

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


def open_round(actor: Any, program: Any, *, year: int, opens: dt.date, self_report_due: dt.date,
               office_parameters: dict[str, Any] | None = None, reference: str = "",
               rubric_yaml: str = "") -> AssessmentRound:
    """Open the year's round: one pending assessment per designation assessed; units are notified."""
    _require_office(actor)
    profile = profile_for(program.key)
    from jiangxin.platform.rounds.services import can_manage

    if not can_manage(actor, program):
        raise PermissionDenied("只有该项目主管部门的工作人员可以开启年度考核。")
    if self_report_due < opens:
        raise AssessmentError("自评报告截止日期不能早于开始日期。")
    if AssessmentRound.objects.filter(program=program, year=year).exists():
        raise AssessmentError(f"{year} 年度的考核已经开启。")
    values = {k: v for k, v in (office_parameters or {}).items() if v not in (None, "")}
    if values:
        try:
            program.parameters().with_overrides(values, reference=reference)
        except ParameterError as exc:
            raise AssessmentError(f"参数不正确：{exc}") from exc
    rubric_data: dict[str, Any] = {}
    if rubric_yaml.strip():
        if program.key != "nanchang_studio":
            raise AssessmentError("只有创新工作室可以使用主管部门提供的考核标准。")
        from jiangxin.platform.panels import rubrics
        from jiangxin.policy.rubric import RubricError

        try:
            rubric_data = rubrics.load_office_rubric(rubric_yaml)
            rubrics.rubric_for(rubrics.OFFICE, program.key, rubric_data)
        except RubricError as exc:
            raise AssessmentError(f"考核标准格式不正确：{exc}") from exc
    warnings = timing_warnings(program.key, year, opens, self_report_due)
    with transaction.atomic(), within("assessments.open_round"):
        rnd = AssessmentRound.objects.create(
            program=program, year=year, organiser=actor.organisation, opens=opens, self_report_due=self_report_due,
            office_parameters=values, reference=reference, rubric_data=rubric_data, warnings=warnings,
            created_by=actor)
        designations = list(eligible_designations(program.key, year))
        Assessment.objects.bulk_create([Assessment(round=rnd, designation=d) for d in designations])
        record("assessment.round_open", rnd, actor=actor, summary=f"开启{rnd}",
               after={"program": program.key, "year": year, "opens": opens.isoformat(),
                      "self_report_due": self_report_due.isoformat(), "assessments": len(designations),
                      "office_parameters": values, "warnings": warnings, "citation": profile.citation.label})
        _notify_holders(designations, title=f"{year}年度考核已开启，请于 {self_report_due.isoformat()} 前提交自评材料",
                        body=f"依据 {profile.citation.label}。", kind="action")
    return rnd


def sync_round(actor: Any, rnd: AssessmentRound) -> int:
    """Add designations named after the round was opened; returns how many were added."""
    _require_office(actor, rnd)
    with transaction.atomic(), within("assessments.sync_round"):
        have = set(rnd.assessments.values_list("designation_id", flat=True))
        new = [d for d in eligible_designations(rnd.program.key, rnd.year) if d.pk not in have]
        Assessment.objects.bulk_create([Assessment(round=rnd, designation=d) for d in new])
        if new:
            record("assessment.round_sync", rnd, actor=actor, summary=f"{rnd} 新增 {len(new)} 个考核对象",
                   after={"added": [d.pk for d in new]})
    return len(new)


def _assessment_url(assessment: Assessment) -> str:
    return f"/assessments/{assessment.pk}/"


def _notify_holders(designations: Any, *, title: str, body: str = "", kind: str = "info",
                    url_for: Any = None) -> int:
    from jiangxin.platform.notifications.services import notify_roles

    sent = 0
    for d in designations:
        org = filer_org(d)
        if org is None:
            continue
        url = url_for(d) if url_for else "/assessments/"
        sent += len(notify_roles(org, UNIT_ROLES, title=title, body=body, url=url, kind=kind))
    return sent


# ---- reminders -----------------------------------------------------------------------------------------

def due_for_reminder(on: dt.date | None = None) -> QuerySet[Assessment]:
    """Pending, not yet reminded assessments whose deadline is within the reminder period (deadline included)."""
    on = on or timezone.localdate()
    last = on + dt.timedelta(days=reminder_days())
    return Assessment.objects.filter(
        status=AssessmentStatus.PENDING, reminded_at__isnull=True, round__status=RoundStatus.OPEN,
        round__self_report_due__gte=on, round__self_report_due__lte=last,
    ).select_related("round", "designation", "designation__holder_org", "designation__scope_org")


def send_reminders(on: dt.date | None = None) -> int:
    """Remind every unit that has not submitted, N days (setting) before the deadline; once per assessment."""
    on = on or timezone.localdate()
    count = 0
    for assessment in due_for_reminder(on):
        with transaction.atomic():
            locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
            if locked.reminded_at is not None or locked.status != AssessmentStatus.PENDING:
                continue
            due = assessment.round.self_report_due
            _notify_holders([assessment.designation],
                            title=f"催报：{assessment.round.year}年度考核自评材料将于 {due.isoformat()} 截止",
                            body=f"距截止还有 {(due - on).days} 天，尚未提交。", kind="warning",
                            url_for=lambda d, a=assessment: _assessment_url(a))
            locked.reminded_at = timezone.now()
            locked.save(update_fields=["reminded_at"])
            record("assessment.remind", locked, actor=None, summary=f"催报 {locked}",
                   after={"due": due.isoformat(), "on": on.isoformat()})
            count += 1
    return count


# ---- submission ----------------------------------------------------------------------------------------

def _store_file(assessment: Assessment, field: str, uploaded: Any) -> str:
    file_type, digest = check_upload(uploaded)
    getattr(assessment, field).save(f"x.{file_type}", uploaded, save=False)
    prefix = field.removesuffix("_file")
    setattr(assessment, f"{prefix}_sha256", digest)
    setattr(assessment, f"{prefix}_name", str(uploaded.name)[:255])
    stored: str = getattr(assessment, field).name
    return stored


def submit(actor: Any, assessment: Assessment, *, self_report: str = "", summary: str = "",
           self_report_file: Any = None, summary_file: Any = None) -> Assessment:
    """File (or re-file, until scored) the self-assessment and the summary report; late filing is flagged."""
    _require_holder(actor, assessment)
    if assessment.round.status != RoundStatus.OPEN:
        raise AssessmentError("本年度考核结果已公布，不能再提交。")
    if assessment.status not in (AssessmentStatus.PENDING, AssessmentStatus.SUBMITTED):
        raise AssessmentError("已评分，不能再修改自评材料。")
    self_report, summary = self_report.strip(), summary.strip()
    if not (self_report or self_report_file or assessment.self_report_file):
        raise AssessmentError("请填写或上传自评报告。")
    if not (summary or summary_file or assessment.summary_file):
        raise AssessmentError("请填写或上传年度工作总结。")
    stored: list[str] = []
    old = [f.name for f, new in ((assessment.self_report_file, self_report_file),
                                 (assessment.summary_file, summary_file)) if new and f]
    try:
        with transaction.atomic(), within("assessments.submit"):
            if self_report_file:
                stored.append(_store_file(assessment, "self_report_file", self_report_file))
            if summary_file:
                stored.append(_store_file(assessment, "summary_file", summary_file))
            now = timezone.now()
            first = assessment.submitted_at is None
            assessment.self_report, assessment.summary = self_report, summary
            assessment.submitted_at, assessment.submitted_by = now, actor
            assessment.late = timezone.localdate(now) > assessment.round.self_report_due
            assessment.status = AssessmentStatus.SUBMITTED
            assessment.save()
            record("assessment.submit" if first else "assessment.resubmit", assessment, actor=actor,
                   summary=f"提交{assessment.round.year}年度自评材料" + ("（逾期）" if assessment.late else ""),
                   after={"late": assessment.late, "due": assessment.round.self_report_due.isoformat(),
                          "self_report_sha256": assessment.self_report_sha256,
                          "summary_sha256": assessment.summary_sha256})
            from jiangxin.platform.notifications.services import notify_roles

            notify_roles(assessment.round.organiser, OFFICE_ROLES,
                         title=f"{assessment.designation} 已提交{assessment.round.year}年度自评材料"
                         + ("（逾期）" if assessment.late else ""), url=_assessment_url(assessment), kind="action")
            if old:
                storage = assessment.self_report_file.storage
                transaction.on_commit(lambda: [storage.delete(n) for n in old])
    except UploadError as exc:
        raise AssessmentError(str(exc)) from exc
    except Exception:
        for name in stored:
            assessment.self_report_file.storage.delete(name)
        raise
    return assessment


# ---- scoring -------------------------------------------------------------------------------------------

def prefill(assessment: Assessment) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """Rubric entries from the unit's work records (worklog.rubric_facts) and the record ids behind each item."""
    key = rubric_key(assessment.round.program.key)
    if not key:
        return {}, {}
    program = assessment.round.program.key
    entries: dict[str, Any] = {}
    links: dict[str, list[int]] = {}
    try:
        from jiangxin.platform.worklog.services import WorklogError, rubric_facts
    except ImportError:  # pragma: no cover - the worklog app is installed with this one
        pass
    else:
        try:
            found, ids = rubric_facts(assessment.designation, assessment.round.year, key)
        except WorklogError:  # no prefill for this rubric (e.g. the studio template): the assessor enters all
            found, ids = {}, {}
        entries.update(found)
        links.update({k: list(v) for k, v in ids.items()})
    if program == "zhenjiang_park":
        # 附件2: the park office's monthly presence logs (基础分第2项) and the studio's evidenced data reports
        # (加分项目) are the input; links to park reports are keyed "park.<item>"
        from jiangxin.platform.park.services import evaluation_entries

        park = dict(evaluation_entries(assessment.designation, assessment.round.year))
        park_ids = park.pop("_record_ids", {}) or {}
        entries.update(park)
        links.update({f"park.{k}": list(v) for k, v in park_ids.items() if v})
        entries["days_on_site"] = dict(sorted((entries.get("days_on_site") or {}).items()))
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


def score(actor: Any, assessment: Assessment, entries: dict[str, Any]) -> Assessment:
    """Score the submitted assessment item by item through the program's computation; stores the Outcome."""
    _require_office(actor, assessment.round)
    if assessment.round.status != RoundStatus.OPEN:
        raise AssessmentError("结果已公布，不能再评分。")
    if assessment.status not in (AssessmentStatus.SUBMITTED, AssessmentStatus.SCORED):
        raise AssessmentError("单位尚未提交自评材料，不能评分。")
    prefilled, links = prefill(assessment)
    if prefilled.get("days_on_site"):
        # 镇江: the park office's monthly presence logs are the input for 到园天数; they cannot be typed over
        entries = {**entries, "days_on_site": prefilled["days_on_site"]}
    outcome = run_computation(assessment.round, entries)
    total, grade, passed = grade_of(outcome)
    with transaction.atomic(), within("assessments.score"):
        before = {"total": str(assessment.total) if assessment.total is not None else None,
                  "grade": assessment.grade, "passed": assessment.passed}
        assessment.entries = entries
        assessment.record_links = links
        assessment.outcome = outcome
        assessment.total, assessment.grade, assessment.passed = total, grade, passed
        assessment.status = AssessmentStatus.SCORED
        assessment.scored_by, assessment.scored_at = actor, timezone.now()
        assessment.save()
        record("assessment.score", assessment, actor=actor, summary=f"评分 {assessment}：{total} {grade}",
               before=before, after={"total": str(total) if total is not None else None, "grade": grade,
                                     "passed": passed, "computation": outcome["computation"]})
    return assessment


def acknowledge(actor: Any, assessment: Assessment, *, note: str = "") -> Assessment:
    """赣州 第十一条: the office acknowledges the employer's annual cultivation report (no scoring)."""
    _require_office(actor, assessment.round)
    profile = profile_for(assessment.round.program.key)
    if profile.scored:
        raise AssessmentError("该项目须评分，不适用备案确认。")
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise AssessmentError("单位尚未提交年度报告，或已确认。")
    now = timezone.now()
    with transaction.atomic(), within("assessments.acknowledge"):
        assessment.outcome = {
            "value": {"filed": True, "late": assessment.late, "note": note},
            "status": "ok", "failures": [], "computation": "", "citation": profile.citation.to_dict(),
            "trace": [{"rule": "annual_report_filed", "citation": profile.citation.to_dict(), "result": True,
                       "note": "用人单位报送年度培养情况报告，主管部门备案确认（不评分）"
                       + ("；逾期报送" if assessment.late else "")}]}
        assessment.status = AssessmentStatus.PUBLISHED
        assessment.scored_by, assessment.scored_at, assessment.published_at = actor, now, now
        assessment.save()
        record("assessment.acknowledge", assessment, actor=actor, summary=f"备案确认 {assessment}",
               after={"late": assessment.late, "note": note})
        _notify_holders([assessment.designation], title=f"{assessment.round.year}年度培养情况报告已备案",
                        kind="result", url_for=lambda d: _assessment_url(assessment))
    return assessment


# ---- publication ---------------------------------------------------------------------------------------

def publish(actor: Any, rnd: AssessmentRound) -> int:
    """Publish every scored assessment of the round to its unit (item breakdown + citations on the unit page)."""
    _require_office(actor, rnd)
    if rnd.status != RoundStatus.OPEN:
        raise AssessmentError("结果已经公布。")
    scored = list(rnd.assessments.filter(status=AssessmentStatus.SCORED).select_related("designation",
                                                                                       "designation__holder_org"))
    if profile_for(rnd.program.key).scored and not scored:
        raise AssessmentError("还没有已评分的考核，无法公布。")
    now = timezone.now()
    with transaction.atomic(), within("assessments.publish"):
        for a in scored:
            a.status, a.published_at = AssessmentStatus.PUBLISHED, now
            a.save(update_fields=["status", "published_at"])
            _notify_holders([a.designation], title=f"{rnd.year}年度考核结果：{a.grade or '已评定'}",
                            body=f"总分 {a.total}。" if a.total is not None else "", kind="result",
                            url_for=lambda d, x=a: _assessment_url(x))
        rnd.status, rnd.published_at = RoundStatus.PUBLISHED, now
        rnd.save(update_fields=["status", "published_at"])
        record("assessment.publish", rnd, actor=actor, summary=f"公布{rnd}结果（{len(scored)} 个）",
               after={"published": [a.pk for a in scored],
                      "not_scored": list(rnd.assessments.exclude(status=AssessmentStatus.PUBLISHED)
                                         .values_list("pk", flat=True))})
    return len(scored)


# ---- for the LEDGER helper's yearly run ---------------------------------------------------------------

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
