"""Park operations. Every state change is one function here: role check, ``transaction.atomic()``, the policy
computation's Outcome JSON stored, ``audit.service.record`` and a notification to whoever acts next.

Cross-app interface (for ASSESS and others):
- ``presence_months(designation, year) -> dict[str, int]`` (YYYY-MM → days on site)
- ``evaluation_entries(designation, year) -> dict`` (附件2 bonus-item entries from the studios' data reports)
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import secrets
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record
from jiangxin.platform.core.transitions import transition
from jiangxin.platform.orgs.scope import scope
from jiangxin.platform.park.errors import ParkError
from jiangxin.platform.park.models import (
    Benefit,
    DataReport,
    Evaluation,
    FeeObligation,
    FeePayment,
    Presence,
    Rectification,
    ReportKind,
    RequestStatus,
    Residency,
    ResidencyStatus,
    Room,
    ServiceKind,
    ServiceOffering,
    ServiceRequest,
)
from jiangxin.platform.park.transitions import SUBMIT_REQUEST, action
from jiangxin.policy.errors import CalendarYearUnknownError, FactsError, PolicyError
from jiangxin.policy.registry import get_computation

PROGRAM = "zhenjiang_park"
ZERO = Decimal("0.00")
EXIT_GROUND_LABELS = {
    "studio_deregistered": "工作室被注销或撤销（五（四）1）",
    "leader_left_without_successor": "领衔大师调离且无符合要求的接替人员（五（四）2）",
    "serious_loss": "违法违纪或重大过失造成重大损失（五（四）3）",
    "evaluation_failed_or_fraud": "考核不合格经整改仍不达标或弄虚作假（五（四）4）",
}




# --------------------------------------------------------------------------------------------------------
# roles and scope


def is_office(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "role", "") == Role.PARK_OFFICE


def visible_residencies(user: Any) -> QuerySet[Residency]:
    """Park office: every residency under its node; a studio (unit account): its own; others: none."""
    role = getattr(user, "role", "")
    if role not in (Role.PARK_OFFICE, Role.UNIT):
        return Residency.objects.none()
    return scope(Residency.objects.all(), user, org_field="studio_org")


def _require_office(user: Any, residency: Residency | None = None) -> None:
    if not is_office(user):
        raise PermissionDenied("只有园区管理办公室可以办理此事项。")
    if residency is not None and not visible_residencies(user).filter(pk=residency.pk).exists():
        raise PermissionDenied("该工作室不在您的管理范围内。")


def who_office(user: Any, *args: Any, **_kwargs: Any) -> None:
    """The office's own check, answered before the registry's role check (a 403 for anyone else)."""
    residency = next((a for a in args[:1] if isinstance(a, Residency)), None)
    rect = next((a for a in args[:1] if isinstance(a, Rectification)), None)
    _require_office(user, residency or (rect.residency if rect is not None else None))


def _require_studio_or_office(user: Any, residency: Residency) -> None:
    if not visible_residencies(user).filter(pk=residency.pk).exists():
        raise PermissionDenied("无权办理该工作室的事项。")


def _run(name: str, facts: Mapping[str, Any], overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    try:
        return get_computation(PROGRAM, name).run(dict(facts), overrides, reference="园区管理办公室").to_dict()
    except FactsError as exc:
        field, expected = exc.problems[0] if exc.problems else ("", str(exc))
        raise ParkError(f"数据不符合要求：{field} — {expected}", field or None) from exc
    except CalendarYearUnknownError:
        raise  # the page says plainly which calendar year is missing (workcalendar middleware)
    except PolicyError as exc:
        raise ParkError(f"无法计算：{exc}") from exc


def month_key(text: str) -> str:
    """Normalise and check a YYYY-MM month key (Chinese message otherwise)."""
    text = (text or "").strip()
    try:
        year, month = (int(p) for p in text.split("-"))
        if not 1 <= month <= 12 or not 2015 <= year <= 2100:
            raise ValueError
    except ValueError:
        raise ParkError(f"月份“{text}”格式不对，应为 YYYY-MM，如 2025-02。", "month") from None
    return f"{year:04d}-{month:02d}"


def _studio_users(residency: Residency) -> QuerySet[Any]:
    return get_user_model().objects.filter(role=Role.UNIT, organisation=residency.studio_org, is_active=True)


def _office_users(residency: Residency | None = None) -> QuerySet[Any]:
    users = get_user_model().objects.filter(role=Role.PARK_OFFICE, is_active=True)
    if residency is not None:
        ancestors = [int(p) for p in (residency.studio_org.path or "").strip("/").split("/") if p]
        users = users.filter(organisation_id__in=ancestors)
    return users


def _notify(users: Iterable[Any], title: str, body: str = "", url: str = "") -> None:
    from jiangxin.platform.notifications.services import notify

    notify(list(users), title=title, body=body, url=url)


def _designation(residency: Residency) -> Any | None:
    if residency.designation_id is None or not apps.is_installed("jiangxin.platform.designations"):
        return None
    model = apps.get_model("designations", "Designation")
    return model.objects.filter(pk=residency.designation_id).first()


# --------------------------------------------------------------------------------------------------------
# 1. admission: 入驻协议 and rooms, rent-free term (四（一）)


def rent_free(admission_date: dt.date, as_of: dt.date | None = None) -> dict[str, Any]:
    return _run("rent_free_term", {"as_of": (as_of or admission_date).isoformat(),
                                   "admission_date": admission_date.isoformat()})


@action("park.admit")
@transaction.atomic
def admit(actor: Any, *, studio_org: Any, name: str, agreement_no: str, signed_on: dt.date,
          admission_date: dt.date, rooms: Sequence[Room] = (), agreement_file: Any = None,
          application: Any = None, designation: Any = None) -> Residency:
    """Record admission: the 入驻协议 (number, signed date, file), rooms, and the rent-free term."""
    _require_office(actor)
    if studio_org is None and designation is not None:
        studio_org = designation.holder_org
    if studio_org is None:
        raise ParkError("请指定入驻的工作室（组织）。", "studio_org")
    office_org = getattr(actor, "organisation", None)
    if office_org is None or not (studio_org.path or "").startswith(office_org.path):
        raise PermissionDenied("该工作室不在您的管理范围内。")
    if Residency.objects.filter(agreement_no=agreement_no.strip()).exists():
        raise ParkError("入驻协议编号已存在。", "agreement_no")
    if signed_on > admission_date:
        raise ParkError("协议签订日期不能晚于入驻日期。", "signed_on")
    busy = [str(r) for r in rooms if r.residencies.filter(status__in=[ResidencyStatus.ACTIVE,
                                                                      ResidencyStatus.RECTIFYING]).exists()]
    if busy:
        raise ParkError(f"以下用房已分配给其他在园工作室：{'、'.join(busy)}", "rooms")
    outcome = rent_free(admission_date)
    residency = Residency(studio_org=studio_org, name=name.strip(), agreement_no=agreement_no.strip(),
                          signed_on=signed_on, admission_date=admission_date, application=application,
                          designation_id=getattr(designation, "pk", None),
                          rent_free_until=dt.date.fromisoformat(outcome["value"]["last_rent_free_day"]),
                          rent_free_outcome=outcome)
    if agreement_file is not None:
        from jiangxin.platform.applications.uploads import UploadError, check_upload

        try:
            check_upload(agreement_file)
        except UploadError as exc:
            raise ParkError(str(exc), "agreement_file") from exc
        residency.agreement_file = agreement_file
    residency.save()
    residency.rooms.set(rooms)
    record("park.admit", residency, actor=actor,
           summary=f"{residency.name} 入驻（协议 {residency.agreement_no}），免租至 {residency.rent_free_until}",
           after={"agreement_no": residency.agreement_no, "admission_date": admission_date,
                  "rooms": [r.pk for r in rooms], "rent_free_until": residency.rent_free_until})
    _notify(_studio_users(residency), "入驻协议已登记",
            f"免租期至 {residency.rent_free_until}；水电、物业等费用按月缴纳。", f"/park/{residency.pk}/")
    return residency


# --------------------------------------------------------------------------------------------------------
# 2. fees (五（三）)


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ParkError("金额格式不对，请填写数字（元，最多两位小数）。", field) from None
    if amount < 0:
        raise ParkError("金额不能为负数。", field)
    return amount


@action("park.set_obligation")
@transaction.atomic
def set_obligation(actor: Any, residency: Residency, month: str, *, utilities: Any,
                   property_fee: Any) -> FeeObligation:
    _require_office(actor, residency)
    key = month_key(month)
    util, prop = _money(utilities, "utilities"), _money(property_fee, "property_fee")
    paid = residency.payments.filter(month=key).aggregate(s=Sum("amount"))["s"] or ZERO
    if paid > util + prop:
        raise ParkError(f"{key} 已缴 {paid} 元，应缴金额不能低于已缴金额。", "utilities")
    before = FeeObligation.objects.filter(residency=residency, month=key).first()
    old = {"utilities": before.utilities, "property_fee": before.property_fee} if before else None
    obligation, _ = FeeObligation.objects.update_or_create(
        residency=residency, month=key, defaults={"utilities": util, "property_fee": prop})
    record("park.fee_obligation", obligation, actor=actor, summary=f"{residency.name} {key} 应缴 {util + prop} 元",
           before=old, after={"utilities": util, "property_fee": prop})
    return obligation


@action("park.record_payment")
@transaction.atomic
def record_payment(actor: Any, residency: Residency, month: str, *, amount: Any, paid_on: dt.date) -> FeePayment:
    _require_office(actor, residency)
    key = month_key(month)
    value = _money(amount, "amount")
    if value <= 0:
        raise ParkError("缴费金额必须大于 0。", "amount")
    obligation = FeeObligation.objects.filter(residency=residency, month=key).first()
    if obligation is None:
        raise ParkError(f"{key} 尚未登记应缴费用，请先登记。", "month")
    paid = residency.payments.filter(month=key).aggregate(s=Sum("amount"))["s"] or ZERO
    if paid + value > obligation.due:
        raise ParkError(f"{key} 应缴 {obligation.due} 元、已缴 {paid} 元，本次最多 {obligation.due - paid} 元。",
                        "amount")
    payment = FeePayment.objects.create(residency=residency, month=key, amount=value, paid_on=paid_on)
    record("park.fee_payment", payment, actor=actor, summary=f"{residency.name} 缴纳 {key} 费用 {value} 元",
           after={"month": key, "amount": value, "paid_on": paid_on})
    return payment


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


# --------------------------------------------------------------------------------------------------------
# 3. monthly presence (附件2 基础分第2项)


def check_days(month: str, days: Any) -> tuple[str, int]:
    key = month_key(month)
    try:
        value = int(str(days).strip())
    except ValueError:
        raise ParkError(f"{key} 的到园天数“{days}”不是整数。", "days") from None
    last = calendar.monthrange(int(key[:4]), int(key[5:]))[1]
    if not 0 <= value <= last:
        raise ParkError(f"{key} 的到园天数须在 0 至 {last} 天之间（该月共 {last} 天），填写的是 {value}。", "days")
    return key, value


@action("park.record_presence")
@transaction.atomic
def record_presence(actor: Any, residency: Residency, month: str, days: Any) -> Presence:
    _require_office(actor, residency)
    key, value = check_days(month, days)
    if key > timezone.localdate().strftime("%Y-%m"):
        raise ParkError(f"{key} 尚未到来，不能登记到园天数。", "month")
    old = Presence.objects.filter(residency=residency, month=key).first()
    row, _ = Presence.objects.update_or_create(residency=residency, month=key, defaults={"days": value})
    record("park.presence", row, actor=actor, summary=f"{residency.name} {key} 到园 {value} 天",
           before={"days": old.days} if old else None, after={"month": key, "days": value})
    return row


def _rows_from_upload(uploaded: Any) -> list[list[str]]:
    name = str(getattr(uploaded, "name", "")).lower()
    data = uploaded.read()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        from jiangxin.platform.core.filecheck import FileRejected, check_zip

        try:
            check_zip(io.BytesIO(data))  # zip bombs, macros, active content
        except FileRejected as exc:
            raise ParkError(str(exc), "file") from None
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # any unreadable workbook
            raise ParkError("无法读取该 XLSX 文件，请检查文件是否损坏。", "file") from exc
        sheet = book.worksheets[0]
        return [["" if c is None else str(c).strip() for c in row] for row in sheet.iter_rows(values_only=True)]
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise ParkError("CSV 文件编码无法识别，请使用 UTF-8。", "file") from None
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    raise ParkError("只接受 XLSX 或 CSV 文件（列：工作室、月份、到园天数）。", "file")


@action("park.import_presence")
def import_presence(actor: Any, uploaded: Any) -> int:
    """Import rows (工作室名称或协议编号, 月份 YYYY-MM, 天数): all or nothing; errors name each row."""
    _require_office(actor)
    rows = _rows_from_upload(uploaded)
    if rows and rows[0] and not rows[0][-1].strip().isdigit():
        rows = rows[1:]  # header
    mine = {r.name: r for r in visible_residencies(actor)}
    mine.update({r.agreement_no: r for r in visible_residencies(actor)})
    errors: list[str] = []
    parsed: list[tuple[Residency, str, int]] = []
    this_month = timezone.localdate().strftime("%Y-%m")
    for number, row in enumerate(rows, start=2):
        if not any(row):
            continue
        if len(row) < 3:
            errors.append(f"第 {number} 行：应有三列（工作室、月份、到园天数）。")
            continue
        residency = mine.get(row[0])
        if residency is None:
            errors.append(f"第 {number} 行：找不到工作室“{row[0]}”（或不在您的管理范围内）。")
            continue
        if residency.status == ResidencyStatus.EXITED:
            errors.append(f"第 {number} 行：{residency.name} 已取消入驻，不再登记到园天数。")
            continue
        try:
            key, days = check_days(row[1][:7] if len(row[1]) >= 7 else row[1], row[2])
        except ParkError as exc:
            errors.append(f"第 {number} 行：{exc}")
            continue
        if key > this_month:
            errors.append(f"第 {number} 行：{key} 尚未到来。")
            continue
        parsed.append((residency, key, days))
    if errors:
        raise ParkError("导入未执行（没有写入任何数据）：" + " ".join(errors[:20]), "file")
    if not parsed:
        raise ParkError("文件中没有数据行。", "file")
    with transaction.atomic():
        for residency, key, days in parsed:
            record_presence(actor, residency, key, days)
    return len(parsed)


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


# --------------------------------------------------------------------------------------------------------
# 4. data reporting (附件2 加分项目)


@action("park.submit_report")
@transaction.atomic
def submit_report(actor: Any, residency: Residency, *, year: int, kind: str, title: str, count: int = 1,
                  level: str = "", grade: str = "", amount: Any = None, evidence: Any) -> DataReport:
    _require_studio_or_office(actor, residency)
    from jiangxin.platform.applications.uploads import UploadError, check_upload

    if kind not in ReportKind.values:
        raise ParkError("请选择类别。", "kind")
    if kind in (ReportKind.MEDIA, ReportKind.AWARD) and not level:
        raise ParkError("媒体报道、专利奖项与论著须注明级别（市级、省级、部级）。", "level")
    if kind == ReportKind.ECONOMIC and not grade:
        raise ParkError("经济效益须选择效益等级。", "grade")
    if count < 0:
        raise ParkError("数量不能为负数。", "count")
    if evidence is None:
        raise ParkError("请上传佐证材料。", "evidence")
    try:
        file_type, digest = check_upload(evidence)
    except UploadError as exc:
        raise ParkError(str(exc), "evidence") from exc
    report = DataReport(residency=residency, year=year, kind=kind, title=title.strip(), count=count, level=level,
                        grade=grade, amount=_money(amount, "amount") if amount not in (None, "") else None,
                        evidence_name=str(evidence.name)[:255], evidence_type=file_type, sha256=digest,
                        reported_by=actor)
    report.evidence = evidence
    report.save()
    record("park.report", report, actor=actor, summary=f"{residency.name} {year} 年报送：{report.get_kind_display()} "
           f"{report.title}", after={"kind": kind, "count": count, "level": level, "grade": grade})
    if not is_office(actor):
        _notify(_office_users(residency), f"{residency.name} 报送了数据", report.title, f"/park/{residency.pk}/")
    return report


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


# --------------------------------------------------------------------------------------------------------
# 5. evaluation fallback, rectification and exit (五（四）)


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


@action("park.record_evaluation")
@transaction.atomic
def record_evaluation(actor: Any, residency: Residency, year: int, facts: Mapping[str, Any], *,
                      pass_mark: Any) -> Evaluation:
    """Run ``evaluation`` (附件2) with the office's pass mark and store the result with its breakdown."""
    _require_office(actor, residency)
    raw = dict(facts)
    raw.setdefault("days_on_site", presence_log(residency, year))
    raw.setdefault("as_of", dt.date(year, 12, 31).isoformat())
    for key, value in entries_for(residency, year).items():
        if not key.startswith("_"):
            raw.setdefault(key, value)
    mark = _money(pass_mark, "pass_mark")
    outcome = _run("evaluation", raw, {"evaluation_pass_mark": int(mark) if mark == int(mark) else str(mark)})
    value = outcome["value"]
    evaluation, _ = Evaluation.objects.update_or_create(
        residency=residency, year=year,
        defaults={"total": Decimal(str(value["total"])), "pass_mark": mark, "passed": bool(value["passed"]),
                  "outcome": outcome, "recorded_by": actor})
    record("park.evaluation", evaluation, actor=actor,
           summary=f"{residency.name} {year} 年绩效评估 {value['total']} 分（合格分 {mark}）："
                   f"{'合格' if value['passed'] else '不合格'}", after={"total": value["total"], "passed": value["passed"]})
    _notify(_studio_users(residency), f"{year} 年绩效评估结果",
            f"总分 {value['total']}，{'合格' if value['passed'] else '不合格'}", f"/park/{residency.pk}/")
    return evaluation


def _rect_facts(rect: Rectification, as_of: dt.date) -> dict[str, Any]:
    facts: dict[str, Any] = {"as_of": as_of.isoformat(), "evaluation_total": str(rect.evaluation_total),
                             "fraud_found": rect.fraud_found, "notice_date": rect.notice_date.isoformat()}
    if rect.recheck_date is not None:
        facts["recheck_date"] = rect.recheck_date.isoformat()
        facts["recheck_total"] = str(rect.recheck_total)
        if rect.fraud_found:
            facts["recheck_fraud_corrected"] = rect.recheck_total is not None and rect.recheck_total >= rect.pass_mark
    return facts


def _rect_overrides(rect: Rectification) -> dict[str, Any]:
    mark: Any = int(rect.pass_mark) if rect.pass_mark == int(rect.pass_mark) else str(rect.pass_mark)
    return {"evaluation_pass_mark": mark, "rectification_period": {"amount": rect.period_months, "unit": "months"}}


@action("park.open_rectification")
@transaction.atomic
def open_rectification(actor: Any, residency: Residency, year: int, *, notice_date: dt.date,
                       period_months: int, pass_mark: Any = None, fraud_found: bool = False) -> Rectification:
    """A failed evaluation (from ASSESS or the park's record) → rectification notice with the office's period."""
    _require_office(actor, residency)
    if residency.status == ResidencyStatus.EXITED:
        raise ParkError("该工作室已取消入驻。")
    # 五（四）4: the period runs from the notice; a notice dated ahead or back would move the deadline
    if notice_date > timezone.localdate():
        raise ParkError("整改通知日期不能晚于今天。", "notice_date", citations=[_exit_citation("evaluation_failed_or_fraud")])
    if notice_date < dt.date(int(year), 1, 1):
        raise ParkError(f"整改通知日期不能早于被评估年度（{year} 年）。", "notice_date",
                        citations=[_exit_citation("evaluation_failed_or_fraud")])
    result = assess_result(residency, year)
    if result is None:
        raise ParkError(f"{year} 年尚无绩效评估结果，请先登记评估结果。")
    total, mark, source = result
    if pass_mark not in (None, ""):
        mark = _money(pass_mark, "pass_mark")
    if mark is None:
        raise ParkError("请填写合格分（政策未规定，由园区管理办公室确定）。", "pass_mark")
    if not 1 <= int(period_months) <= 24:
        raise ParkError("整改期限应为 1 至 24 个月。", "period_months")
    rect = Rectification(residency=residency, year=year, evaluation_total=total, pass_mark=mark,
                         fraud_found=fraud_found, notice_date=notice_date, period_months=int(period_months))
    outcome = _run("rectification", _rect_facts(rect, notice_date), _rect_overrides(rect))
    stage = outcome["value"]["stage"]
    if stage == "not_needed":
        raise ParkError(f"{year} 年评估 {total} 分，已达合格分 {mark}，无需整改。")
    rect.stage = stage
    rect.deadline = dt.date.fromisoformat(outcome["value"]["deadline"]) if outcome["value"]["deadline"] else None
    rect.outcome = outcome
    rect.save()
    before = residency.status
    residency.status = ResidencyStatus.RECTIFYING
    residency.save(update_fields=["status"])
    record("park.rectification_open", rect, actor=actor,
           summary=f"{residency.name} {year} 年评估不合格（{total} 分，来源 {source}），限期整改至 {rect.deadline}",
           before={"status": before}, after={"status": residency.status, "deadline": rect.deadline})
    _notify(_studio_users(residency), "限期整改通知", f"请于 {rect.deadline} 前完成整改（五（四）4）。",
            f"/park/{residency.pk}/")
    return rect


@action("park.recheck")
@transaction.atomic
def recheck(actor: Any, rect: Rectification, *, recheck_date: dt.date, recheck_total: Any,
            as_of: dt.date | None = None) -> Rectification:
    """Re-check after rectification; still below the mark after the deadline → exit on 五（四）4."""
    residency = rect.residency
    _require_office(actor, residency)
    if residency.status == ResidencyStatus.EXITED:
        raise ParkError("该工作室已取消入驻。")
    # 五（四）4: a re-check dated ahead would run out the deadline before it has passed
    if recheck_date > timezone.localdate():
        raise ParkError("复查日期不能晚于今天。", "recheck_date", citations=[_exit_citation("evaluation_failed_or_fraud")])
    if recheck_date < rect.notice_date:
        raise ParkError("复查日期不能早于整改通知日期。", "recheck_date",
                        citations=[_exit_citation("evaluation_failed_or_fraud")])
    rect.recheck_date = recheck_date
    rect.recheck_total = _money(recheck_total, "recheck_total")
    as_of = max(as_of or timezone.localdate(), recheck_date)
    outcome = _run("rectification", _rect_facts(rect, as_of), _rect_overrides(rect))
    rect.stage = outcome["value"]["stage"]
    rect.outcome = outcome
    rect.save()
    record("park.recheck", rect, actor=actor,
           summary=f"{residency.name} 整改复查 {rect.recheck_total} 分：{rect.stage}",
           after={"recheck_date": recheck_date, "recheck_total": rect.recheck_total, "stage": rect.stage})
    if rect.stage == "rectified":
        residency.status = ResidencyStatus.ACTIVE
        residency.save(update_fields=["status"])
    _notify(_studio_users(residency), "整改复查结果", f"复查 {rect.recheck_total} 分", f"/park/{residency.pk}/")
    return rect


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


def _exit_citation(ground: str) -> str:
    number = list(EXIT_GROUND_LABELS).index(ground) + 1 if ground in EXIT_GROUND_LABELS else None
    label = get_computation(PROGRAM, "exit_grounds").citation.label
    return f"{label}{number}" if number else label


@action("park.exit_residency")
@transaction.atomic
def exit_residency(actor: Any, residency: Residency, *, on: dt.date, ground: str | None = None,
                   reference: str = "", studio_deregistered: bool = False,
                   leader_left: bool = False, qualified_successor: bool | None = None,
                   serious_loss: bool = False, note: str = "") -> dict[str, Any]:
    """五（四）: run ``exit_grounds`` (with the latest rectification); any ground → residency ends.

    The page names one ``ground`` of 五（四）1–4 (grounds 1–3 with the ``reference`` of the decision or finding);
    anything else is refused, as is a ground the computation does not find, and an exit dated before the admission
    or after today (a forward date would let a rectification deadline pass that has not passed)."""
    _require_office(actor, residency)
    if residency.status == ResidencyStatus.EXITED:
        raise ParkError("该工作室已取消入驻。")
    if on > timezone.localdate():
        raise ParkError("取消入驻日期不能晚于今天。", "on", citations=[_exit_citation("")])
    if on < residency.admission_date:
        raise ParkError("取消入驻日期不能早于入驻日期。", "on", citations=[_exit_citation("")])
    reference = (reference or "").strip()
    if ground is not None:
        if ground not in EXIT_GROUND_LABELS:
            raise ParkError("只能按五（四）所列的四种情形取消入驻资格，其他理由不能取消。", "ground",
                            citations=[_exit_citation("")])
        if ground in GROUNDS_NEEDING_REFERENCE and not reference:
            raise ParkError("请填写认定该情形的决定或认定文书编号。", "reference", citations=[_exit_citation(ground)])
        studio_deregistered = ground == "studio_deregistered"
        leader_left = ground == "leader_left_without_successor"
        qualified_successor = False if leader_left else None
        serious_loss = ground == "serious_loss"
    facts: dict[str, Any] = {"as_of": on.isoformat(), "studio_deregistered": studio_deregistered,
                             "leader_left": leader_left, "serious_loss": serious_loss}
    if leader_left:
        facts["qualified_successor"] = bool(qualified_successor)
    rect = residency.rectifications.first()
    overrides: dict[str, Any] | None = None
    if rect is not None:
        sub = _rect_facts(rect, on)
        sub.pop("as_of")
        facts["rectification"] = sub
        overrides = _rect_overrides(rect)
    outcome = _run("exit_grounds", facts, overrides)
    if ground is not None and ground not in outcome["value"]["grounds"]:
        raise ParkError(f"所选情形“{EXIT_GROUND_LABELS[ground]}”不成立（如整改期限未届满或复查已达标），不能取消入驻。",
                        "ground", citations=[_exit_citation(ground)])
    if not outcome["value"]["exit"]:
        raise ParkError("不符合取消入驻资格的任何情形（五（四）1–4），不能取消入驻。", citations=[_exit_citation("")])
    grounds = [EXIT_GROUND_LABELS.get(g, g) for g in outcome["value"]["grounds"]]
    before = residency.status
    residency.status = ResidencyStatus.EXITED
    residency.exited_on = on
    residency.exit_outcome = {**outcome, "note": note, "ground": ground, "reference": reference}
    residency.save(update_fields=["status", "exited_on", "exit_outcome"])
    record("park.exit", residency, actor=actor, summary=f"{residency.name} 取消入驻：{'；'.join(grounds)}",
           before={"status": before}, after={"status": residency.status, "exited_on": on, "grounds": grounds})
    designation = _designation(residency)
    if designation is not None:
        from jiangxin.platform.designations.services import DesignationError, set_status

        labels = [f["citation"]["label"] for f in outcome["failures"]]
        try:
            set_status(designation, "exited", reason="；".join(grounds), citation="；".join(labels) or "五（四）",
                       actor=actor, outcome=outcome, on=on)
        except DesignationError as exc:  # the whole exit rolls back with it
            raise ParkError(f"认定记录无法变更为已退出：{exc}") from exc
    _notify(_studio_users(residency), "取消入驻资格", "；".join(grounds), f"/park/{residency.pk}/")
    return outcome


# --------------------------------------------------------------------------------------------------------
# 6. benefits (四（二）–（五）)


@action("park.record_benefits")
@transaction.atomic
def record_benefits(actor: Any, residency: Residency, *, as_of: dt.date, upgraded_to_business: bool,
                    outstanding_in: Sequence[str] = (), startup_subsidy_amount: Any = None,
                    performance_reward_amount: Any = None) -> Benefit:
    _require_office(actor, residency)
    facts: dict[str, Any] = {"as_of": as_of.isoformat(), "admission_date": residency.admission_date.isoformat(),
                             "upgraded_to_business": upgraded_to_business, "outstanding_in": list(outstanding_in)}
    if residency.exited_on:
        facts["exit_date"] = residency.exited_on.isoformat()
    overrides: dict[str, Any] = {}
    if startup_subsidy_amount not in (None, ""):
        overrides["startup_subsidy_amount"] = str(_money(startup_subsidy_amount, "startup_subsidy_amount"))
    if performance_reward_amount not in (None, ""):
        overrides["performance_reward_amount"] = str(_money(performance_reward_amount, "performance_reward_amount"))
    outcome = _run("benefits", facts, overrides or None)
    v = outcome["value"]
    flags = {k: v[k] for k in ("priority_part_time_teacher", "priority_examiner_pool",
                               "recommend_national_provincial_studio", "leader_priority_talent_award")}
    benefit = Benefit.objects.create(
        residency=residency, as_of=as_of, upgraded_to_business=upgraded_to_business,
        outstanding_in=list(outstanding_in), startup_subsidy=v["startup_subsidy"],
        startup_subsidy_amount=Decimal(v["startup_subsidy_amount"]) if v["startup_subsidy_amount"] else None,
        performance_reward=v["performance_reward"],
        performance_reward_amount=Decimal(v["performance_reward_amount"]) if v["performance_reward_amount"] else None,
        priority_flags=flags, outcome=outcome)
    record("park.benefits", benefit, actor=actor, summary=f"{residency.name} 优惠政策认定（{as_of}）",
           after={"startup_subsidy": v["startup_subsidy"], "performance_reward": v["performance_reward"]})
    return benefit


# --------------------------------------------------------------------------------------------------------
# 7. public service catalogue and service requests


@action("park.publish_offering")
@transaction.atomic
def publish_offering(actor: Any, residency: Residency, *, kind: str, title: str, description: str,
                     published: bool = True) -> ServiceOffering:
    _require_studio_or_office(actor, residency)
    if residency.status == ResidencyStatus.EXITED:
        raise ParkError("已取消入驻的工作室不能发布服务。")
    if kind not in ServiceKind.values:
        raise ParkError("请选择服务类别。", "kind")
    if not title.strip() or not description.strip():
        raise ParkError("请填写服务名称和服务内容。", "title")
    offering = ServiceOffering.objects.create(residency=residency, kind=kind, title=title.strip(),
                                              description=description.strip(), published=published)
    record("park.offering", offering, actor=actor, summary=f"{residency.name} 发布服务：{offering.title}",
           after={"kind": kind, "title": offering.title, "published": published})
    return offering


def public_offerings() -> QuerySet[ServiceOffering]:
    return ServiceOffering.objects.filter(published=True).exclude(
        residency__status=ResidencyStatus.EXITED).select_related("residency")


def request_limit() -> int:
    return int(getattr(settings, "JIANGXIN_PARK_REQUEST_LIMIT", 5))


def rate_limited(address: str) -> bool:
    since = timezone.now() - dt.timedelta(hours=1)
    return ServiceRequest.objects.filter(address=address, submitted_at__gte=since).count() >= request_limit()


@transition("park.submit_request", **SUBMIT_REQUEST)
def submit_request(*, enterprise_name: str, credit_code: str, contact_name: str, contact_phone: str, need: str,
                   kind: str, offering: ServiceOffering | None = None, address: str = "") -> ServiceRequest:
    """An enterprise (no login) asks for a service. Validated fully before anything is stored."""
    from jiangxin.policy.identity import IdentityError, validate_credit_code

    if address and rate_limited(address):
        raise ParkError("提交过于频繁，请一小时后再试。")
    try:
        code = validate_credit_code(credit_code)
    except IdentityError:
        raise ParkError("统一社会信用代码不正确（应为 18 位，校验码须符合 GB 32100）。", "credit_code") from None
    if kind not in ServiceKind.values:
        raise ParkError("请选择服务类别。", "kind")
    if offering is not None and (not offering.published or offering.residency.status == ResidencyStatus.EXITED):
        raise ParkError("该服务已下线。", "offering")
    with transaction.atomic():
        req = ServiceRequest.objects.create(
            receipt=f"FW{timezone.localdate():%Y%m%d}{secrets.token_hex(3).upper()}",
            enterprise_name=enterprise_name.strip(), credit_code=code, contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(), need=need.strip(), kind=kind, offering=offering,
            address=address[:64])
        record("park.request_new", req, actor=None, summary=f"企业服务需求 {req.receipt}：{req.enterprise_name}",
               after={"kind": kind, "offering": getattr(offering, "pk", None)})
        offices = _office_users(offering.residency) if offering is not None else _office_users()
        _notify(offices, f"新的企业服务需求 {req.receipt}", req.enterprise_name, f"/park/requests/{req.pk}/")
    return req


def visible_requests(user: Any) -> QuerySet[ServiceRequest]:
    if is_office(user):
        return ServiceRequest.objects.all().select_related("routed_to", "offering")
    if getattr(user, "role", "") == Role.UNIT:
        return ServiceRequest.objects.filter(routed_to__in=visible_residencies(user)).select_related("routed_to")
    return ServiceRequest.objects.none()


ALLOWED = {RequestStatus.NEW: {RequestStatus.ROUTED, RequestStatus.DECLINED},
           RequestStatus.ROUTED: {RequestStatus.ROUTED, RequestStatus.IN_PROGRESS, RequestStatus.DECLINED},
           RequestStatus.IN_PROGRESS: {RequestStatus.DONE, RequestStatus.DECLINED}}


@action("park.move_request")
@transaction.atomic
def move_request(actor: Any, req: ServiceRequest, to: str, *, residency: Residency | None = None,
                 note: str = "") -> ServiceRequest:
    """new → routed (office, to a studio) → in_progress → done / declined (office or the routed studio)."""
    req = ServiceRequest.objects.select_for_update().get(pk=req.pk)
    if not visible_requests(actor).filter(pk=req.pk).exists():
        raise PermissionDenied("无权办理该服务需求。")
    if to not in ALLOWED.get(RequestStatus(req.status), set()):
        raise ParkError(f"当前状态“{req.get_status_display()}”不能变更为“{RequestStatus(to).label}”。")
    if to == RequestStatus.ROUTED:
        _require_office(actor)
        if residency is None or residency.status == ResidencyStatus.EXITED:
            raise ParkError("请选择在园的承接工作室。", "residency")
        req.routed_to = residency
    if to == RequestStatus.DECLINED and not note.strip():
        raise ParkError("不予受理须说明理由。", "note")
    before = {"status": req.status, "routed_to": req.routed_to_id}
    req.status = to
    req.note = note.strip()[:300]
    req.save()
    record(f"park.request_{to}", req, actor=actor, summary=f"服务需求 {req.receipt} → {req.get_status_display()}",
           before=before, after={"status": to, "routed_to": req.routed_to_id, "note": req.note})
    if to == RequestStatus.ROUTED and req.routed_to is not None:
        _notify(_studio_users(req.routed_to), f"分派给您的企业服务需求 {req.receipt}", req.need[:100],
                f"/park/requests/{req.pk}/")
    elif req.routed_to is not None:
        others = [u for u in list(_office_users(req.routed_to)) + list(_studio_users(req.routed_to))
                  if u.pk != getattr(actor, "pk", None)]
        _notify(others, f"服务需求 {req.receipt}：{req.get_status_display()}", req.note, f"/park/requests/{req.pk}/")
    return req
