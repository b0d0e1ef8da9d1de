"""The dashboard numbers: one aggregate query (annotate/values) per table, always inside the user's data scope.

Each function takes the already-scoped querysets' owner (``user``) and the :class:`Filters`, and returns charts.
Definitions (the same as the list pages'):

* applications: the application list's rows (``visible_applications``: staff never see drafts);
* naming: designations in the directory (``directory_queryset``) by program and year of naming, against the
  program's yearly quota (the round's office value, else the document's; “未设定” when neither sets one);
* funding: the ledger's entries (``entries_for``, as on the ledger pages) — committed = every grant net of reversals, paid = entries in
  an approved disbursement batch, recovered = clawbacks (shown positive); budgets as the office set them;
* assessments: assessed designations by grade (``visible_assessments``);
* academy: trainees by training start year, approved teachers by confirmation year, courses by first
  publication year against the five new courses a year of 南昌市工匠学院建设管理实施办法 第十条;
* Jiangsu: enrolments of the cultivation year by major (class), training unit and home city, with pass rate and
  the per-head funding posted for the passing trainees (江苏省卓越技师培育计划实施办法 第二十二条).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from jiangxin.platform.dashboards.charts import Chart, Series, percent
from jiangxin.platform.orgs.models import Level, Organisation

ZERO = Decimal("0.00")
NEW_COURSES_ARTICLE = "南昌市工匠学院建设管理实施办法 第十条"
PER_HEAD_FUNDING_ARTICLE = "江苏省卓越技师培育计划实施办法 第二十二条"


def quota_parameter(program: str) -> str:
    """The parameter that caps the program's yearly naming or selection, as it declares it ("" = no quota)."""
    from jiangxin.platform.rounds.catalog import PROGRAM_INFO, declaration

    return declaration(program).funding.quota_parameter if program in PROGRAM_INFO else ""


@dataclasses.dataclass(frozen=True, slots=True)
class Filters:
    year: int | None = None
    program: str = ""                      # Program.key
    district: Organisation | None = None   # a district node inside the user's scope


def _by_district(qs: QuerySet[Any], org_field: str, f: Filters) -> QuerySet[Any]:
    return qs.filter(**{f"{org_field}__path__startswith": f.district.path}) if f.district is not None else qs


def application_queryset(user: Any, f: Filters) -> QuerySet[Any]:
    from jiangxin.platform.applications.services import visible_applications

    qs = visible_applications(user)
    if f.year:
        qs = qs.filter(round__year=f.year)
    if f.program:
        qs = qs.filter(round__program__key=f.program)
    return _by_district(qs, "applicant_org", f)


def designation_queryset(user: Any, f: Filters) -> QuerySet[Any]:
    from jiangxin.platform.designations.services import directory_queryset

    qs = directory_queryset(user)
    if f.year:
        qs = qs.filter(year=f.year)
    if f.program:
        qs = qs.filter(program=f.program)
    return _by_district(qs, "scope_org", f)


def application_charts(user: Any, f: Filters, programs: dict[str, str]) -> list[Chart]:
    from jiangxin.platform.applications.models import Status

    apps = application_queryset(user, f)
    by_status = dict(apps.order_by().values_list("status").annotate(n=Count("id")))
    submitted = sum(n for s, n in by_status.items() if s != Status.WITHDRAWN)
    named = designation_queryset(user, f).filter(case__isnull=False).count()
    funnel = Chart("funnel", _("申报进度（漏斗）"), "funnel",
                   [_("已提交申报"), _("初审通过"), _("获得命名/入选")],
                   [Series(_("件数"), [submitted, by_status.get(Status.RECOMMENDED, 0), named])],
                   note=_("已提交申报不含撤回的申报；获得命名/入选按经评审产生的命名记录计。"), unit=_("单位：件"), total=False)
    status_chart = Chart("status", _("申报状态"), "bar",
                         [str(label) for value, label in Status.choices if value in by_status],
                         [Series(_("件数"), [by_status[value] for value, _l in Status.choices if value in by_status])],
                         unit=_("单位：件"))
    district = Case(When(applicant_org__level=Level.DISTRICT, then=F("applicant_org__name")),
                    When(applicant_org__parent__level=Level.DISTRICT, then=F("applicant_org__parent__name")),
                    When(applicant_org__parent__parent__level=Level.DISTRICT,
                         then=F("applicant_org__parent__parent__name")),
                    default=Value(str(_("市直及其他"))))
    rows = list(apps.order_by().annotate(district=district).values_list("district")
                .annotate(n=Count("id")).order_by("-n", "district"))
    by_district = Chart("district", _("各县区申报数"), "bar", [r[0] for r in rows],
                        [Series(_("件数"), [r[1] for r in rows])], unit=_("单位：件"), data_categories=True)
    return [funnel, status_chart, by_district]


def _quota(rounds: dict[tuple[str, int], dict[str, Any]], program_objs: dict[str, Any], key: str, year: int) -> int | None:
    from jiangxin.policy.errors import PolicyError

    name = quota_parameter(key)
    if not name:
        return None
    office = rounds.get((key, year), {})
    if office.get(name) not in (None, ""):
        return int(office[name])
    program = program_objs.get(key)
    if program is None:
        return None
    try:
        return int(program.parameters().value(name, dt.date(year, 12, 31)))
    except (PolicyError, TypeError, ValueError):
        return None


def naming_chart(user: Any, f: Filters, programs: dict[str, str], program_objs: dict[str, Any]) -> Chart:
    from jiangxin.platform.rounds.services import visible_rounds

    rows = list(designation_queryset(user, f).order_by().values_list("program", "year")
                .annotate(n=Count("id")).order_by("program", "year"))
    rounds: dict[tuple[str, int], dict[str, Any]] = {}
    round_qs = visible_rounds(user).order_by("pk").values_list("program__key", "year", "office_parameters")
    for key, year, params in round_qs:
        rounds.setdefault((key, year), {}).update(params or {})
    quotas = [_quota(rounds, program_objs, key, year) for key, year, _n in rows]
    chart = Chart("naming", _("命名/入选结果与名额"), "bar",
                  [f"{programs.get(key, key)} {year}" for key, year, _n in rows],
                  [Series(_("命名/入选数"), [n for _k, _y, n in rows]),
                   Series(_("年度名额"), [q if q is not None else 0 for q in quotas], kind="line")],
                  note=_("名额取该年批次设定的数值，未设定时取政策文件规定；两者均无时记为0（政策未规定）。"), unit=_("单位：个"),
                  data_categories=True)
    return chart


def funding_chart(user: Any, f: Filters, program_keys: list[str]) -> Chart:
    from jiangxin.platform.accounts.roles import Role
    from jiangxin.platform.ledger.models import BatchStatus, Budget, EntryKind
    from jiangxin.platform.ledger.services import entries_for

    entries = _by_district(entries_for(user), "designation__scope_org", f)
    if f.year:
        entries = entries.filter(year=f.year)
    if f.program:
        entries = entries.filter(program=f.program)
    sums = {row["year"]: row for row in entries.order_by().values("year").annotate(
        committed=Coalesce(Sum("amount", filter=~Q(kind=EntryKind.CLAWBACK)), ZERO),
        paid=Coalesce(Sum("amount", filter=Q(batch__status=BatchStatus.APPROVED) & ~Q(kind=EntryKind.CLAWBACK)), ZERO),
        recovered=Coalesce(Sum("amount", filter=Q(kind=EntryKind.CLAWBACK)), ZERO))}
    budgets: dict[int, Decimal] = {}
    if getattr(user, "role", "") == Role.OFFICE and f.district is None:
        bq = Budget.objects.filter(program__in=[f.program] if f.program else program_keys)
        if f.year:
            bq = bq.filter(year=f.year)
        budgets = {y: s for y, s in bq.order_by().values_list("year").annotate(s=Sum("amount"))}
    years = sorted(set(sums) | set(budgets))
    q = Decimal("0.01")
    return Chart("funding", _("资金：预算、已核定、已拨付、已追回"), "bar", [str(y) for y in years], [
        Series(_("预算"), [budgets.get(y, ZERO).quantize(q) for y in years]),
        Series(_("已核定"), [Decimal(sums[y]["committed"]).quantize(q) if y in sums else ZERO for y in years]),
        Series(_("已拨付"), [Decimal(sums[y]["paid"]).quantize(q) if y in sums else ZERO for y in years]),
        Series(_("已追回"), [(-Decimal(sums[y]["recovered"])).quantize(q) if y in sums else ZERO for y in years]),
    ], note=_("已核定为各项补助、奖励和经费（冲正后）之和；已拨付为已审批拨付批次中的分录；预算仅主管部门可见。"), unit=_("单位：元"))


def grade_chart(user: Any, f: Filters) -> Chart:
    from jiangxin.platform.assessments.services import visible_assessments

    qs = visible_assessments(user).exclude(grade="")
    if f.year:
        qs = qs.filter(round__year=f.year)
    if f.program:
        qs = qs.filter(round__program__key=f.program)
    qs = _by_district(qs, "designation__scope_org", f)
    rows = list(qs.order_by().values_list("grade").annotate(n=Count("id")).order_by("-n", "grade"))
    return Chart("grades", _("年度考核等次分布"), "pie", [r[0] for r in rows], [Series(_("个数"), [r[1] for r in rows])],
                 unit=_("单位：个"), data_categories=True)


def academy_charts(user: Any, f: Filters) -> list[Chart]:
    from jiangxin.platform.academy.models import TeacherStatus
    from jiangxin.platform.academy.services import visible_courses, visible_teachers, visible_trainees

    trainees = _by_district(visible_trainees(user), "academy", f)
    teachers = _by_district(visible_teachers(user).filter(status=TeacherStatus.APPROVED), "organisation", f)
    courses = _by_district(visible_courses(user).filter(first_published_on__isnull=False), "academy", f)
    if f.year:
        trainees = trainees.filter(start_date__year=f.year)
        teachers = teachers.filter(confirmed_on__year=f.year)
        courses = courses.filter(first_published_on__year=f.year)
    t = dict(trainees.order_by().annotate(y=ExtractYear("start_date")).values_list("y").annotate(n=Count("id")))
    te = dict(teachers.order_by().annotate(y=ExtractYear("confirmed_on")).values_list("y").annotate(n=Count("id")))
    years = sorted(set(t) | set(te))
    people = Chart("academy-people", _("工匠学院：学员与师资"), "bar", [str(y) for y in years],
                   [Series(_("培训学员"), [t.get(y, 0) for y in years]),
                    Series(_("入库教师"), [te.get(y, 0) for y in years])],
                   note=_("学员按培训开始年度计，教师按信息确认年度计（已审核入库）。"), unit=_("单位：人"))
    rows = list(courses.order_by().annotate(y=ExtractYear("first_published_on"))
                .values_list("academy__name", "y").annotate(n=Count("id")).order_by("academy__name", "y"))
    from jiangxin.platform.academy.facts import NEW_COURSES_PER_YEAR

    new = Chart("academy-courses", _("工匠学院：每年新开发课程与要求"), "bar",
                [f"{name} {y}" for name, y, _n in rows],
                [Series(_("新课程数"), [n for _a, _y, n in rows]),
                 Series(_("每年要求（不少于）"), [NEW_COURSES_PER_YEAR for _r in rows], kind="line")],
                note=_("按课程首次发布年度计；每年不少于5个新课程。"), cite=NEW_COURSES_ARTICLE, unit=_("单位：个"),
                total=False, data_categories=True)
    return [people, new]


def jiangsu_charts(user: Any, f: Filters) -> list[Chart]:
    from jiangxin.platform.cultivation.access import visible_enrolments
    from jiangxin.platform.cultivation.models import Attendance, CultivationYear
    from jiangxin.platform.ledger.models import EntryKind, LedgerEntry

    year = f.year or CultivationYear.objects.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        return []
    enrolments = visible_enrolments(user).filter(year__year=year)
    enrolments = _by_district(enrolments, "home_city", f)
    groups = [("class", _("%(y)s学年各专业（班）学员") % {"y": year}, "major__name"),
              ("unit", _("%(y)s学年各承训单位学员") % {"y": year}, "major__training_unit__name"),
              ("city", _("%(y)s学年各设区市学员") % {"y": year}, "home_city__name")]
    charts: list[Chart] = []
    for key, title, field in groups:
        rows = list(enrolments.order_by().values_list(field).annotate(n=Count("id")).order_by("-n", field))
        charts.append(Chart(f"js-{key}", title, "bar", [r[0] or _("未选专业") for r in rows],
                            [Series(_("人数"), [r[1] for r in rows])], unit=_("单位：人"),
                            data_categories=True))
    unit = "major__training_unit__name"
    rows = list(enrolments.filter(major__isnull=False).order_by().values_list(unit).annotate(
        n=Count("id"), judged=Count("id", filter=Q(passed__isnull=False)), ok=Count("id", filter=Q(passed=True)),
    ).order_by(unit))
    attended = dict(Attendance.objects.filter(enrolment__in=enrolments.filter(major__isnull=False)).order_by()
                    .values_list("enrolment__major__training_unit__name")
                    .annotate(n=Count("enrolment", distinct=True)))
    charts.append(Chart("js-rates", _("各承训单位参训率与验收合格率"), "bar", [r[0] for r in rows], [
        Series(_("参训率（%）"), [percent(attended.get(r[0], 0), r[1]) for r in rows]),
        Series(_("合格率（%）"), [percent(r[3], r[2]) for r in rows]),
    ], note=_("参训率＝有考勤记录的学员÷学员；合格率＝验收合格÷已验收。"), unit=_("单位：%"), total=False,
        data_categories=True))
    passed = enrolments.filter(passed=True)
    money = LedgerEntry.objects.filter(kind=EntryKind.PER_HEAD, year=year, designation__cultivation_enrolments__in=passed)
    paid = dict(money.order_by().values_list(f"designation__cultivation_enrolments__{unit}").annotate(s=Sum("amount")))
    passing = dict(enrolments.filter(passed=True).order_by().values_list(unit).annotate(n=Count("id")))
    names = sorted(set(passing) | set(paid))
    charts.append(Chart("js-funding", _("按合格人数核拨的培育经费"), "bar", names, [
        Series(_("合格人数"), [passing.get(n, 0) for n in names]),
        Series(_("核拨经费（元）"), [Decimal(paid.get(n) or 0).quantize(Decimal("0.01")) for n in names], kind="line"),
    ], note=_("经费按验收合格人数核拨给承训单位。"), cite=PER_HEAD_FUNDING_ARTICLE, unit="",
        data_categories=True))
    return charts


def park_chart(user: Any) -> Chart:
    from jiangxin.platform.park.models import ResidencyStatus
    from jiangxin.platform.park.services import visible_residencies

    counts = dict(visible_residencies(user).order_by().values_list("status").annotate(n=Count("id")))
    labels = [(value, str(label)) for value, label in ResidencyStatus.choices if value in counts]
    return Chart("park-residencies", _("入园工作室状态"), "bar", [label for _v, label in labels],
                 [Series(_("个数"), [counts[v] for v, _l in labels])], unit=_("单位：个"))
