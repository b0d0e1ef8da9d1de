"""Reading the park (镇江技能大师产业创新园意见): rent-free terms and arrears,
presence by month, the evaluation entries (also the assessments' prefill source), the exit grounds offered,
public offerings and service requests. Nothing here changes a record.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.park.common import ZERO, _designation, _run, is_office, visible_residencies
from jiangxin.platform.park.models import (
    ReportKind,
    Residency,
    ResidencyStatus,
    ServiceOffering,
    ServiceRequest,
)


def rent_free(admission_date: dt.date, as_of: dt.date | None = None) -> dict[str, Any]:
    return _run("rent_free_term", {"as_of": (as_of or admission_date).isoformat(),
                                   "admission_date": admission_date.isoformat()})


def fee_months(residency: Residency) -> dict[str, dict[str, Decimal]]:
    paid: dict[str, Decimal] = {}
    for payment in residency.payments.all():
        paid[payment.month] = paid.get(payment.month, ZERO) + payment.amount
    return {o.month: {"due": o.due, "paid": paid.get(o.month, ZERO)} for o in residency.obligations.all()}


def arrears(residency: Residency, as_of: dt.date | None = None) -> dict[str, Any]:
    """``fee_arrears`` over every month with an obligation (rent-free months still owe fees)."""
    as_of = as_of or timezone.localdate()
    months = {k: {"due": str(v["due"]), "paid": str(v["paid"])} for k, v in fee_months(residency).items()}
    return _run("fee_arrears", {"as_of": as_of.isoformat(), "months": months})


def presence_log(residency: Residency, year: int) -> dict[str, int]:
    return {p.month: p.days for p in residency.presence.filter(month__startswith=f"{year:04d}-")}


def presence_outcome(residency: Residency, year: int, as_of: dt.date | None = None) -> dict[str, Any] | None:
    log = presence_log(residency, year)
    if not log:
        return None
    as_of = as_of or min(timezone.localdate(), dt.date(year, 12, 31))
    last = max(log)
    month_end = dt.date(int(last[:4]), int(last[5:]), calendar.monthrange(int(last[:4]), int(last[5:]))[1])
    as_of = max(as_of, min(month_end, dt.date(year, 12, 31)))
    return _run("presence", {"as_of": as_of.isoformat(), "days_on_site": log})


def presence_rows(residency: Residency, year: int) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Per month: days, missing days and the deduction they cost, with the citations of the steps used."""
    outcome = presence_outcome(residency, year)
    if outcome is None:
        return [], None
    steps = {s["rule"]: s for s in outcome["trace"]}
    missing_step, points_step = steps["presence_missing_days"], steps["presence_points"]
    per_day = int(next(iter(points_step.get("parameters", {}).values()), 2))
    minimum = int(next(iter(missing_step.get("parameters", {}).values()), 10))
    rows = []
    for month, days in presence_log(residency, year).items():
        missing = int(outcome["value"]["missing_per_month"].get(month, 0))
        rows.append({"month": month, "days": days, "minimum": minimum, "missing": missing,
                     "deduction": missing * per_day, "citation": missing_step["citation"]["label"]})
    return rows, outcome


def presence_months(designation: Any, year: int) -> dict[str, int]:
    """Interface for ASSESS: days on site per month (YYYY-MM → days) of the designation's residency."""
    if getattr(designation, "pk", None) is None:
        return {}
    residency = Residency.objects.filter(designation_id=designation.pk).first()
    return presence_log(residency, year) if residency is not None else {}


def entries_for(residency: Residency, year: int) -> dict[str, Any]:
    reports = residency.reports.filter(year=year)
    certified = sum(r.count for r in reports if r.kind == ReportKind.CERTIFIED)
    media: dict[str, int] = {}
    achievements: dict[str, int] = {}
    grade = ""
    for r in reports:
        if r.kind == ReportKind.MEDIA:
            media[r.level] = media.get(r.level, 0) + r.count
        elif r.kind == ReportKind.AWARD:
            achievements[r.level] = achievements.get(r.level, 0) + r.count
        elif r.kind == ReportKind.ECONOMIC:
            grade = r.grade  # the latest (ordering: newest pk last within kind)
    return {"trainees_certified": certified, "media_reports": media, "achievements": achievements,
            "economic_benefit": grade or "无显著效益",
            "_record_ids": {"trainees_certified": [r.pk for r in reports if r.kind == ReportKind.CERTIFIED],
                            "media_reports": [r.pk for r in reports if r.kind == ReportKind.MEDIA],
                            "achievements": [r.pk for r in reports if r.kind == ReportKind.AWARD],
                            "economic_benefit": [r.pk for r in reports if r.kind == ReportKind.ECONOMIC]}}


def assessment_prefill(assessment: Any, entries: dict[str, Any], links: dict[str, list[int]]) -> None:
    """The park's prefill source for an annual assessment (附件2): the monthly presence logs (基础分第2项) and
    the studio's evidenced data reports (加分项目); links to park reports are keyed "park.<item>"."""
    park = dict(evaluation_entries(assessment.designation, assessment.round.year))
    park_ids = park.pop("_record_ids", {}) or {}
    entries.update(park)
    links.update({f"park.{k}": list(v) for k, v in park_ids.items() if v})
    entries["days_on_site"] = dict(sorted((entries.get("days_on_site") or {}).items()))


def evaluation_entries(designation: Any, year: int) -> dict[str, Any]:
    """Interface for ASSESS: 附件2 bonus entries (plus ``days_on_site``) backed by evidenced reports.

    ``_record_ids`` maps each item to the DataReport ids behind it; drop it before running the computation.
    """
    if getattr(designation, "pk", None) is None:
        return {}
    residency = Residency.objects.filter(designation_id=designation.pk).first()
    if residency is None:
        return {}
    entries = entries_for(residency, year)
    entries["days_on_site"] = presence_log(residency, year)
    return entries


def assess_result(residency: Residency, year: int) -> tuple[Decimal, Decimal | None, str] | None:
    """(total, pass mark or None, source) from ASSESS when it has a scored result, else the park's own record."""
    designation = _designation(residency)
    if designation is not None and apps.is_installed("jiangxin.platform.assessments"):
        try:
            from jiangxin.platform.assessments.services import assessment_for  # type: ignore[import-not-found]

            found = assessment_for(designation, year)
        except Exception:  # ASSESS not ready: fall back to the park's record
            found = None
        if found is not None and getattr(found, "passed", None) is not None and found.total is not None:
            mark = (found.outcome or {}).get("value", {}).get("pass_mark")
            return Decimal(str(found.total)), Decimal(str(mark)) if mark is not None else None, "assessments"
    own = residency.evaluations.filter(year=year).first()
    if own is not None:
        return own.total, own.pass_mark, "park"
    return None


#: the facts a ground needs from the form: grounds 1–3 rest on a decision or finding the office records by its
#: reference; ground 4 on the park's own evaluation and rectification records
GROUNDS_NEEDING_REFERENCE = ("studio_deregistered", "leader_left_without_successor", "serious_loss")


#: the same grounds as the exit form shows them (translatable)
EXIT_GROUND_CHOICES = {
    "studio_deregistered": gettext_lazy("工作室经考核后被注销或撤销（五（四）1）"),
    "leader_left_without_successor": gettext_lazy("领衔大师调离岗位且无符合要求的人员接替（五（四）2）"),
    "serious_loss": gettext_lazy("因违法违纪或重大过失造成重大损失和严重后果（五（四）3）"),
    "evaluation_failed_or_fraud": gettext_lazy("绩效评估不合格或弄虚作假，经限期整改仍不达标（五（四）4）"),
}


def exit_ground_choices(residency: Residency | None = None) -> list[tuple[str, str]]:
    """The grounds of 五（四）, as the form offers them (ground 4 with the rectification it would rest on)."""
    choices = [(k, str(v)) for k, v in EXIT_GROUND_CHOICES.items()]
    rect = residency.rectifications.first() if residency is not None and residency.pk else None
    if rect is not None:
        facts = gettext("%(year)s 年评估 %(total)s 分，整改期限至 %(deadline)s") % {
            "year": rect.year, "total": rect.evaluation_total, "deadline": rect.deadline or "—"}
        if rect.recheck_date is not None:
            facts += gettext("，%(date)s 复查 %(total)s 分") % {"date": rect.recheck_date, "total": rect.recheck_total}
        choices = [(k, f"{v}：{facts}" if k == "evaluation_failed_or_fraud" else v) for k, v in choices]
    return choices


def public_offerings() -> QuerySet[ServiceOffering]:
    return ServiceOffering.objects.filter(published=True).exclude(
        residency__status=ResidencyStatus.EXITED).select_related("residency")


def visible_requests(user: Any) -> QuerySet[ServiceRequest]:
    if is_office(user):
        return ServiceRequest.objects.all().select_related("routed_to", "offering")
    if getattr(user, "role", "") == Role.UNIT:
        return ServiceRequest.objects.filter(routed_to__in=visible_residencies(user)).select_related("routed_to")
    return ServiceRequest.objects.none()
