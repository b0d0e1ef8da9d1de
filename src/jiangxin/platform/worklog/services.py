"""Work and fund ledger services: the holder unit records, the office reads within its scope, and
:func:`rubric_facts` turns a year's records into prefilled annual rubric entries with the ids behind them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, cast

from django.db import transaction
from django.db.models import Field, QuerySet, Sum

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.applications.uploads import UploadError, check_upload
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.designations.models import Designation
from jiangxin.platform.designations.services import directory_queryset
from jiangxin.platform.worklog.models import (
    REQUIRED_FIELDS,
    AwardClass,
    ContestClass,
    FundDirection,
    FundRecord,
    Level,
    PatentType,
    WorkEvidence,
    WorkKind,
    WorkRecord,
)

__all__ = ["UploadError", "WorklogError", "rubric_facts"]

RECORD_FIELDS = ("kind", "date", "title", "level", "contest_class", "patent_type", "award_class", "sessions",
                 "participants", "person_name", "placing", "notes")
HOLDER_ROLES = frozenset({Role.UNIT, Role.TRAINING_UNIT})


class WorklogError(Exception):
    """A refused ledger change, with a Chinese message."""


# ------------------------------------------------------------------------------------------------ access


def visible_designations(user: Any) -> QuerySet[Designation]:
    return directory_queryset(user)


def may_edit(user: Any, designation: Designation) -> bool:
    """Only the holder unit itself keeps its ledger (office staff read it)."""
    return (getattr(user, "role", "") in HOLDER_ROLES and designation.holder_org_id is not None
            and designation.holder_org_id == getattr(user, "organisation_id", None))


def _require_holder(user: Any, designation: Designation) -> None:
    if not may_edit(user, designation):
        raise WorklogError("只有持有该命名的单位可以登记台账。")
    if not designation.is_live:
        raise WorklogError("该命名已终止，不能再登记台账。")


def records_for(user: Any, designation: Designation, year: int | None = None) -> QuerySet[WorkRecord]:
    if not visible_designations(user).filter(pk=designation.pk).exists():
        return WorkRecord.objects.none()
    qs = WorkRecord.objects.filter(designation=designation).prefetch_related("evidence")
    return qs.filter(year=year) if year else qs


def funds_for(user: Any, designation: Designation, year: int | None = None) -> QuerySet[FundRecord]:
    if not visible_designations(user).filter(pk=designation.pk).exists():
        return FundRecord.objects.none()
    qs = FundRecord.objects.filter(designation=designation).prefetch_related("evidence")
    return qs.filter(year=year) if year else qs


def fund_totals(designation: Designation, year: int) -> dict[str, Decimal]:
    rows = (FundRecord.objects.filter(designation=designation, year=year).values("direction")
            .annotate(total=Sum("amount")))
    totals = {r["direction"]: r["total"] or Decimal("0") for r in rows}
    income = totals.get(FundDirection.INCOME, Decimal("0.00"))
    spending = totals.get(FundDirection.SPENDING, Decimal("0.00"))
    return {"income": income, "spending": spending, "balance": income - spending}


# ------------------------------------------------------------------------------------------------ changes


def _validate(data: Mapping[str, Any], designation: Designation) -> dict[str, Any]:
    kind = str(data.get("kind") or "")
    if kind not in WorkKind.values:
        raise WorklogError("请选择台账类别。")
    clean = {f: data.get(f) for f in RECORD_FIELDS if f in data}
    for text in ("title", "level", "contest_class", "patent_type", "award_class", "person_name", "notes"):
        clean[text] = str(clean.get(text) or "").strip()
    if not clean["title"]:
        raise WorklogError("事项：必填。")
    day = clean.get("date")
    if not isinstance(day, dt.date):
        raise WorklogError("日期：请填写日期（如 2026-05-01）。")
    if day < designation.designated_on.replace(month=1, day=1):
        raise WorklogError("日期：早于命名年度，不能登记。")
    missing = [cast("Field[Any, Any]", WorkRecord._meta.get_field(f)).verbose_name
               for f in REQUIRED_FIELDS.get(kind, ())
               if clean.get(f) in (None, "")]
    if missing:
        raise WorklogError(f"{WorkKind(kind).label}须填写：" + "、".join(str(m) for m in missing) + "。")
    for f, choices in (("level", Level), ("contest_class", ContestClass), ("patent_type", PatentType),
                       ("award_class", AwardClass)):
        if clean[f] and clean[f] not in choices.values:
            raise WorklogError(f"{cast('Field[Any, Any]', WorkRecord._meta.get_field(f)).verbose_name}：取值无效。")
    clean["year"] = day.year
    return clean


def create_record(user: Any, designation: Designation, data: Mapping[str, Any]) -> WorkRecord:
    clean = _validate(data, designation)
    with transaction.atomic():
        _require_holder(user, designation)
        rec = WorkRecord.objects.create(designation=designation, created_by=user, **clean)
        record("worklog.record.create", rec, actor=user, summary=f"登记工作台账：{rec}", after=snapshot(rec))
    return rec


def update_record(user: Any, rec: WorkRecord, data: Mapping[str, Any]) -> WorkRecord:
    clean = _validate({**{f: getattr(rec, f) for f in RECORD_FIELDS}, **data}, rec.designation)
    with transaction.atomic():
        rec = WorkRecord.objects.select_for_update().get(pk=rec.pk)
        _require_holder(user, rec.designation)
        if _used_in_submitted_assessment(rec):
            raise WorklogError("该记录已用于已提交的年度考核，不能修改。")
        before = snapshot(rec)
        for f, v in clean.items():
            setattr(rec, f, v)
        rec.save()
        record("worklog.record.update", rec, actor=user, summary=f"修改工作台账：{rec}", before=before,
               after=snapshot(rec))
    return rec


def delete_record(user: Any, rec: WorkRecord) -> None:
    with transaction.atomic():
        rec = WorkRecord.objects.select_for_update().get(pk=rec.pk)
        _require_holder(user, rec.designation)
        if _used_in_submitted_assessment(rec):
            raise WorklogError("该记录已用于已提交的年度考核，不能删除。")
        before = snapshot(rec)
        record("worklog.record.delete", rec, actor=user, summary=f"删除工作台账：{rec}", before=before)
        for ev in rec.evidence.all():
            ev.file.delete(save=False)
        rec.delete()


def _used_in_submitted_assessment(rec: WorkRecord) -> bool:
    from django.apps import apps

    if not apps.is_installed("jiangxin.platform.assessments"):
        return False
    try:
        from jiangxin.platform.assessments.services import assessment_for
    except ImportError:
        return False
    try:
        a = assessment_for(rec.designation, rec.year)
    except Exception:  # the assessments app may still be in progress
        return False
    return a is not None and getattr(a, "status", "pending") != "pending"


def add_evidence(user: Any, target: WorkRecord | FundRecord, uploaded: Any) -> WorkEvidence:
    """Attach a checked file (size, sniffed type, extension, SHA-256) to a work or fund record."""
    file_type, digest = check_upload(uploaded)
    with transaction.atomic():
        _require_holder(user, target.designation)
        ev = WorkEvidence(designation=target.designation, file_type=file_type, sha256=digest,
                          size=int(uploaded.size), original_name=str(uploaded.name)[:255], uploaded_by=user,
                          record=target if isinstance(target, WorkRecord) else None,
                          fund=target if isinstance(target, FundRecord) else None)
        ev.file.save(f"x.{file_type}", uploaded, save=False)
        ev.save()
        record("worklog.evidence.add", ev, actor=user, summary=f"上传台账证明材料：{ev.original_name}",
               after=snapshot(ev))
    return ev


def create_fund(user: Any, designation: Designation, *, date: dt.date, direction: str, category: str,
                amount: Decimal, notes: str) -> FundRecord:
    if not isinstance(amount, Decimal) or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise WorklogError("金额：请填写大于 0 的金额，最多两位小数（元）。")
    if direction not in FundDirection.values:
        raise WorklogError("收支：取值无效。")
    if not notes.strip():
        raise WorklogError("摘要：必填。")
    with transaction.atomic():
        _require_holder(user, designation)
        fund = FundRecord.objects.create(designation=designation, year=date.year, date=date, direction=direction,
                                         category=category, amount=amount, notes=notes.strip(), created_by=user)
        record("worklog.fund.create", fund, actor=user, summary=f"登记经费台账：{fund}", after=snapshot(fund))
    return fund


def delete_fund(user: Any, fund: FundRecord) -> None:
    with transaction.atomic():
        fund = FundRecord.objects.select_for_update().get(pk=fund.pk)
        _require_holder(user, fund.designation)
        record("worklog.fund.delete", fund, actor=user, summary=f"删除经费台账：{fund}", before=snapshot(fund))
        for ev in fund.evidence.all():
            ev.file.delete(save=False)
        fund.delete()


# ------------------------------------------------------------------------------------------------ rubric facts

#: level → the category label of each rubric's per_count weights
NC_ADMIN_LEVEL = {Level.CITY: "地厅级", Level.PROVINCE: "省部级", Level.NATIONAL: "国家级"}
NC_CONTEST_LEVEL = {Level.CITY: "市级", Level.PROVINCE: "省级", Level.NATIONAL: "国家级"}
NC_MEDIA_LEVEL = {Level.CITY: "市级媒体", Level.PROVINCE: "省级媒体", Level.NATIONAL: "国家级媒体"}
ZJ_LEVEL = {Level.CITY: "市级", Level.PROVINCE: "省级", Level.NATIONAL: "部级"}  # I-DESIG-02
NC_PATENT = {PatentType.DESIGN: "外观设计专利", PatentType.UTILITY: "实用新型专利", PatentType.INVENTION: "发明专利"}
NC_CITY_AWARD = {AwardClass.CITY_INNOVATION_1: "创新成果一等奖", AwardClass.CITY_INNOVATION_2: "创新成果二等奖",
                 AwardClass.CITY_INNOVATION_3: "创新成果三等奖", AwardClass.CITY_METHOD: "先进操作法",
                 AwardClass.CITY_IDEA: "金点子"}

def declared_rubric(rubric_key: str) -> Any:
    """The annual-assessment rubric with key ``rubric_key`` that a loaded program declares (``assessment.rubric``
    in its platform.yaml) and the work records can prefill (it has an adapter below); WorklogError otherwise."""
    from jiangxin.platform.rounds.catalog import PROGRAM_INFO, declaration
    from jiangxin.policy.registry import PROGRAMS

    if rubric_key in ADAPTERS:
        for program in PROGRAM_INFO:
            facts = declaration(program).assessment
            if facts is not None and facts.rubric:
                rubric = PROGRAMS[program].resolve(facts.rubric)
                if rubric.key == rubric_key:
                    return rubric
    raise WorklogError(f"台账不能预填该评分标准：{rubric_key}")


class _Acc:
    """Collects counts per category and the ids behind each item."""

    def __init__(self) -> None:
        self.ids: dict[str, list[int]] = defaultdict(list)

    def count(self, records: Iterable[WorkRecord], item: str, label: Mapping[Any, str], attr: str = "level",
              amount: str | None = None) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in records:
            cat = label.get(getattr(r, attr))
            if cat is None:
                continue
            out[cat] = out.get(cat, 0) + (int(getattr(r, amount) or 0) if amount else 1)
            self.ids[item].append(r.pk)
        return out

    def total(self, records: Iterable[WorkRecord], item: str, attr: str | None = None) -> int:
        n = 0
        for r in records:
            n += int(getattr(r, attr) or 0) if attr else 1
            self.ids[item].append(r.pk)
        return n


def rubric_facts(designation: Designation, year: int, rubric_key: str) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """Prefilled entries of the annual rubric ``rubric_key`` for ``designation`` in ``year``, and for each item
    the ids of the work records behind it. Items that are a pure judgement (checklists of quality, grades of
    benefit, satisfaction) are left out for the assessor; an item backed by records with no entry (e.g. a
    graded benefit) still lists its ids so the assessor can open them."""
    rubric = declared_rubric(rubric_key)
    records = list(WorkRecord.objects.filter(designation=designation, year=year).order_by("date", "pk"))
    by_kind: dict[str, list[WorkRecord]] = defaultdict(list)
    for r in records:
        by_kind[r.kind].append(r)
    acc = _Acc()
    entries = ADAPTERS[rubric.key](designation, year, by_kind, acc)
    known = {item.key for item in rubric.items}
    unknown = set(entries) - known
    if unknown:  # the rubric changed under us: never send an item it does not have
        raise WorklogError(f"评分标准中没有这些项目：{sorted(unknown)}")
    ids = {k: sorted(set(v)) for k, v in acc.ids.items() if v}
    return entries, ids


def _academy(designation: Designation, year: int) -> tuple[dict[str, int], int | None]:
    """Promotions per level and new courses from the academy records (None when it has no course library)."""
    from jiangxin.platform.rounds.catalog import declaration

    if "online_academy" not in declaration(designation.program).features or designation.holder_org_id is None:
        return {}, None
    from jiangxin.platform.academy.facts import new_course_count, promotion_counts
    from jiangxin.platform.academy.models import Course

    promotions = promotion_counts(designation.holder_org_id, year)
    has_library = Course.objects.filter(academy_id=designation.holder_org_id).exists()
    return promotions, new_course_count(designation.holder_org_id, year) if has_library else None


def _nanchang_annual(designation: Designation, year: int, k: Mapping[str, list[WorkRecord]], acc: _Acc
                     ) -> dict[str, Any]:
    promotions, library_courses = _academy(designation, year)
    training = k.get(WorkKind.TRAINING, [])
    welfare = k.get(WorkKind.PUBLIC_WELFARE, [])
    commissioned = k.get(WorkKind.COMMISSIONED, [])
    tasks = {
        "skill_upgrading": {"sessions": acc.total(training, "training_tasks", "sessions"),
                            "trainees": acc.total(training, "training_tasks", "participants")},
        "public_welfare": {"sessions": acc.total(welfare, "training_tasks", "sessions"),
                           "person_times": acc.total(welfare, "training_tasks", "participants")},
        "commissioned": {"sessions": acc.total(commissioned, "training_tasks", "sessions")},
    }
    if library_courses is not None:  # the course library is the record (第十条); worklog courses not added
        new_courses = library_courses
    else:
        new_courses = acc.total(k.get(WorkKind.NEW_COURSE, []), "courses")
    courses = {"course_exchanges": acc.count(k.get(WorkKind.EXCHANGE, []), "courses", NC_ADMIN_LEVEL),
               "new_courses": {"courses": new_courses}}
    hosted = k.get(WorkKind.CONTEST_HOSTED, [])
    hosting = {
        "hong_gong_cup": {"contests": acc.total([r for r in hosted if r.contest_class == ContestClass.HONG_GONG_CUP],
                                                "contest_hosting")},
        "industry_contests": {"contests": acc.total(
            [r for r in hosted if r.contest_class == ContestClass.INDUSTRY], "contest_hosting")},
        "higher_level": acc.count(hosted, "contest_hosting",
                                  {Level.PROVINCE: "省级", Level.NATIONAL: "国家级"}),
    }
    entered = k.get(WorkKind.CONTEST_ENTERED, [])
    participation: dict[str, Any] = {
        "entries": {"projects": acc.total(entered, "contest_participation")},
        "higher_entries": acc.count(entered, "contest_participation",
                                    {Level.PROVINCE: "省级", Level.NATIONAL: "国家级"}),
        "judges": acc.count(k.get(WorkKind.CONTEST_JUDGED, []), "contest_participation", NC_CONTEST_LEVEL),
    }
    if k.get(WorkKind.PRE_CONTEST):
        participation["pre_contest_training"] = ["已组织"]
        acc.total(k[WorkKind.PRE_CONTEST], "contest_participation")
    placings = []
    for r in k.get(WorkKind.PLACING, []):
        if r.level in NC_CONTEST_LEVEL and r.placing:
            placings.append({"person": r.person_name, "level": NC_CONTEST_LEVEL[Level(r.level)],
                             "placing": int(r.placing)})
            acc.ids["contest_placings"].append(r.pk)
    awards = k.get(WorkKind.AWARD, [])
    innovation = {
        "patents": acc.count(k.get(WorkKind.PATENT, []), "innovation_results", NC_PATENT, "patent_type"),
        "science_awards": acc.count([a for a in awards if a.award_class == AwardClass.SCIENCE],
                                    "innovation_results", NC_ADMIN_LEVEL),
        "five_small": acc.count([a for a in awards if a.award_class == AwardClass.FIVE_SMALL],
                                "innovation_results", NC_ADMIN_LEVEL),
        "city_awards": acc.count(awards, "innovation_results", NC_CITY_AWARD, "award_class"),
        "problems_solved": {"企业发展难题": acc.total(k.get(WorkKind.PROBLEM_SOLVED, []), "innovation_results")},
    }
    if k.get(WorkKind.PROJECT):  # projects back the judgement items; listed, not scored
        acc.total(k[WorkKind.PROJECT], "project_organisation")
    return {
        "training_tasks": tasks,
        "courses": courses,
        "training_results": {"promotions": promotions},
        "contest_hosting": hosting,
        "contest_participation": participation,
        "contest_placings": placings,
        "innovation_results": innovation,
        "media": acc.count(k.get(WorkKind.MEDIA, []), "media", NC_MEDIA_LEVEL),
    }


def _zhenjiang_bonus(k: Mapping[str, list[WorkRecord]], acc: _Acc) -> dict[str, Any]:
    achievements = [*k.get(WorkKind.PATENT, []), *k.get(WorkKind.AWARD, []), *k.get(WorkKind.PUBLICATION, [])]
    if k.get(WorkKind.BENEFIT):  # 优/良/中 is the assessor's grade: ids only
        acc.total(k[WorkKind.BENEFIT], "economic_benefit")
        acc.total(k.get(WorkKind.PROJECT, []), "economic_benefit")
    return {
        "trainees_certified": acc.total(k.get(WorkKind.CERTIFIED, []), "trainees_certified", "participants"),
        "media_reports": acc.count(k.get(WorkKind.MEDIA, []), "media_reports", ZJ_LEVEL),
        "achievements": acc.count(achievements, "achievements", ZJ_LEVEL),
    }


def _zhenjiang_evaluation(designation: Designation, year: int, by_kind: dict[str, list[WorkRecord]],
                          acc: _Acc) -> dict[str, Any]:
    return _zhenjiang_bonus(by_kind, acc)


#: the rubrics the work records can prefill, by the rubric's own key, with the function that maps the records onto
#: its items (the record kinds and levels each item counts are the rubric's, so the mapping is per rubric)
ADAPTERS: dict[str, Any] = {"nanchang_academy.annual": _nanchang_annual, "zhenjiang_park.evaluation": _zhenjiang_evaluation}
