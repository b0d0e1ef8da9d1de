"""Views of the cultivation year's setup part: the year home page, the year's management (province office),
majors (training units) and the trainees' choice, the 附件1 export, mentors and training plans.

Views are thin: role check, form, a call to an action in :mod:`.actions`, a message, a redirect."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.params import id_param
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.cultivation import forms_setup as F
from jiangxin.platform.cultivation.access import (
    city_of,
    current_year,
    is_city_lead,
    is_province_office,
    lead_bureaus,
    training_unit_of,
    visible_enrolments,
)
from jiangxin.platform.cultivation.actions.choices import choose_major, record_choice
from jiangxin.platform.cultivation.actions.enrolment import enrol, enrol_cohort
from jiangxin.platform.cultivation.actions.majors import publish_major, save_major
from jiangxin.platform.cultivation.actions.mentors import assign_mentor, register_mentor
from jiangxin.platform.cultivation.actions.plans import (
    SESSION_FIELDS,
    decide_plan,
    delete_session,
    save_plan,
    save_session,
    submit_plan,
)
from jiangxin.platform.cultivation.actions.year import (
    advance_phase,
    assign_city_lead,
    open_year,
    set_year_dates,
)
from jiangxin.platform.cultivation.common_setup import PROGRAM, failed_steps
from jiangxin.platform.cultivation.models import (
    CityLead,
    CultivationYear,
    Enrolment,
    EnrolmentStatus,
    Major,
    Mentor,
    PlanSession,
    PlanStatus,
    TrainingPlan,
    YearStatus,
)
from jiangxin.platform.cultivation.selectors.setup import (
    choice_open,
    choices_xlsx,
    city_bureaus,
    mentor_outcome,
    mentor_qualification,
    next_phase,
    phase_blockers,
    plan_totals,
    plan_warnings,
    plans_awaiting,
    published_majors,
    trainee_key,
    training_units,
    unit_enrolments,
    visible_plans,
)
from jiangxin.platform.orgs.models import Jurisdiction

CULTIVATION_ROLES = (Role.OFFICE, Role.DISTRICT, Role.TRAINING_UNIT, Role.TRAINEE, Role.UNIT, Role.FINANCE)
STAFF = (Role.OFFICE, Role.DISTRICT)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: HttpRequest, required: bool = True) -> CultivationYear | None:
    raw = request.GET.get("year") or request.POST.get("year_filter")
    year = None
    if raw and str(raw).isdigit():
        year = CultivationYear.objects.filter(year=int(raw)).first()
    year = year or current_year()
    if year is None and required:
        raise Http404(_("尚未开设培育学年。"))
    return year


def _expect(request: HttpRequest) -> str | None:
    """The state the posted form was rendered in (its hidden ``expect`` field): a record that moved on since is
    refused by the registry as a stale form instead of being changed twice."""
    return request.POST.get("expect") or None


def _data(request: HttpRequest) -> Any:
    """The POST data of a POST (even an empty one), else None: the form stays unbound on GET."""
    return request.POST if request.method == "POST" else None


def _jiangsu_staff(user: Any) -> bool:
    org = getattr(user, "organisation", None)
    return getattr(user, "role", "") in STAFF and org is not None and org.jurisdiction == Jurisdiction.JIANGSU


def _may_see_lists(user: Any) -> bool:
    return is_province_office(user) or _jiangsu_staff(user)


# ------------------------------------------------------------------------------------------------ home


@role_required(*CULTIVATION_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    year = _year(request, required=False)
    ctx: dict[str, Any] = {"year": year, "years": CultivationYear.objects.all(), "office": is_province_office(user)}
    if year is None:
        if not ctx["office"]:
            return render(request, "cultivation/setup/home.html", ctx)
        return render(request, "cultivation/setup/home.html", {**ctx, "can_open": True})
    enrolments = visible_enrolments(user, year)
    if ctx["office"]:
        ctx["blockers"] = phase_blockers(year)
        ctx["next_phase"] = next_phase(year)
        ctx["next_label"] = YearStatus(ctx["next_phase"]).label if ctx["next_phase"] else ""
        ctx["by_city"] = (enrolments.values("home_city__name").annotate(
            total=Count("id"), a=Count("id", filter=Q(track="A")), b=Count("id", filter=Q(track="B")),
            chosen=Count("id", filter=Q(major__isnull=False))).order_by("home_city__name"))
        ctx["units"] = _unit_rows(year)
        ctx["leads"] = CityLead.objects.filter(year=year).select_related("city_bureau", "user")
    elif _jiangsu_staff(user):
        ctx["lead_cities"] = list(lead_bureaus(user, year))
        ctx["awaiting"] = plans_awaiting(user, year)
        ctx["plans"] = visible_plans(user, year)
        ctx["trainees"] = enrolments
        ctx["unchosen"] = enrolments.filter(major__isnull=True).count()
    elif training_unit_of(user) is not None:
        unit = training_unit_of(user)
        ctx["unit"] = unit
        ctx["majors"] = Major.objects.filter(year=year, training_unit=unit).annotate(taken=Count("enrolments"))
        ctx["trainees"] = enrolments
        ctx["mentors"] = Mentor.objects.filter(training_unit=unit, active=True)
        ctx["plan"] = TrainingPlan.objects.filter(year=year, training_unit=unit).first()
        ctx["no_mentor"] = enrolments.filter(mentor__isnull=True).count()
    elif user.role == Role.TRAINEE:  # type: ignore[union-attr]
        enrolment = enrolments.first()
        ctx["enrolment"] = enrolment
        ctx["choice_open"] = choice_open(year)
        if enrolment is not None and enrolment.major is not None:
            plan = TrainingPlan.objects.filter(year=year, training_unit=enrolment.major.training_unit).first()
            ctx["plan"] = plan
            if plan is not None:
                ctx["sessions"] = plan.sessions.filter(Q(major__isnull=True) | Q(major=enrolment.major))
    else:
        ctx["trainees"] = enrolments
    return render(request, "cultivation/setup/home.html", ctx)


def _unit_rows(year: CultivationYear) -> list[dict[str, Any]]:
    plans = {p.training_unit_id: p for p in TrainingPlan.objects.filter(year=year)}
    counts = Counter(Enrolment.objects.filter(year=year, major__isnull=False)
                     .exclude(status__in=[EnrolmentStatus.DEFERRED, EnrolmentStatus.WITHDRAWN])
                     .values_list("major__training_unit", flat=True))
    majors = Counter(Major.objects.filter(year=year, published=True).values_list("training_unit", flat=True))
    rows = []
    for unit in training_units().filter(Q(pk__in=list(counts)) | Q(pk__in=list(majors)) | Q(pk__in=list(plans))):
        rows.append({"unit": unit, "city": city_of(unit), "majors": majors.get(unit.pk, 0),
                     "trainees": counts.get(unit.pk, 0), "plan": plans.get(unit.pk)})
    return rows


# ------------------------------------------------------------------------------------------------ the year (office)


@role_required(Role.OFFICE)
@require_http_methods(["GET", "POST"])
def year_open(request: HttpRequest) -> HttpResponse:
    if not is_province_office(request.user):
        raise PermissionDenied
    form = F.YearForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            year = open_year(request.user, **form.cleaned_data)
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(y)s学年已开设。") % {"y": year.year})
            return redirect("cultivation:year", pk=year.pk)
    return render(request, "cultivation/setup/year_open.html", {"form": form}, status=400 if form.errors else 200)


def _lead_users() -> Any:
    return (User.objects.filter(role__in=STAFF, is_active=True, organisation__in=city_bureaus())
            .select_related("organisation").order_by("organisation__path", "username"))


@role_required(Role.OFFICE)
@require_http_methods(["GET", "POST"])
def year_manage(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_province_office(request.user):
        raise PermissionDenied
    year = get_object_or_404(CultivationYear, pk=pk)
    designations = _designations_for(year)
    dates = F.YearDatesForm(initial={"choice_closes_on": year.choice_closes_on, "report_due_on": year.report_due_on})
    lead_form = F.CityLeadForm(bureaus=city_bureaus(), users=_lead_users())
    enrol_form = F.EnrolForm(designations=designations)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "dates":
                dates = F.YearDatesForm(request.POST)
                if dates.is_valid():
                    set_year_dates(request.user, year, **dates.cleaned_data)
                    messages.success(request, _("时间安排已保存。"))
                    return redirect("cultivation:year", pk=year.pk)
            elif action == "lead":
                lead_form = F.CityLeadForm(request.POST, bureaus=city_bureaus(), users=_lead_users())
                if lead_form.is_valid():
                    lead = assign_city_lead(request.user, year, **lead_form.cleaned_data)
                    messages.success(request, _("已指定 %(c)s 的市级负责人。") % {"c": lead.city_bureau.name})
                    return redirect("cultivation:year", pk=year.pk)
            elif action == "phase":
                advance_phase(request.user, year, expect=_expect(request))
                messages.success(request, _("已进入“%(s)s”阶段。") % {"s": year.get_status_display()})
                return redirect("cultivation:year", pk=year.pk)
            elif action == "cohort":
                result = enrol_cohort(request.user, year)
                messages.success(request, _("已纳入 %(n)s 人。") % {"n": len(result.created)})
                for line in [*result.refused, *result.skipped]:
                    messages.warning(request, line)
                return redirect("cultivation:year", pk=year.pk)
            elif action == "enrol":
                enrol_form = F.EnrolForm(request.POST, designations=designations)
                if enrol_form.is_valid():
                    d = enrol_form.cleaned_data
                    designation = d["designation"]
                    e = enrol(request.user, year, person=designation.holder_person, track=d["track"],
                                designation=designation,
                                received_former_chief_subsidy=d["received_former_chief_subsidy"],
                                former_subsidy_exception=d["former_subsidy_exception"])
                    messages.success(request, _("已纳入：%(e)s") % {"e": e})
                    return redirect("cultivation:year", pk=year.pk)
            else:
                raise PermissionDenied
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        status = 400
    enrolments = Enrolment.objects.filter(year=year).select_related("person", "home_city", "major",
                                                                     "major__training_unit", "designation")
    return render(request, "cultivation/setup/year.html", {
        "year": year, "dates": dates, "lead_form": lead_form, "enrol_form": enrol_form,
        "leads": CityLead.objects.filter(year=year).select_related("city_bureau", "user"),
        "blockers": phase_blockers(year), "next_phase": next_phase(year),
        "enrolments": enrolments, "bureaus": city_bureaus()}, status=status)


def _designations_for(year: CultivationYear) -> Any:
    from jiangxin.platform.designations.models import LIVE, Designation

    taken = Enrolment.objects.filter(year=year).values("person")
    return (Designation.objects.filter(program=PROGRAM, status__in=LIVE, holder_person__isnull=False,
                                       year__in=[year.year, year.year - 1])
            .exclude(holder_person__in=taken).select_related("holder_person"))


# ------------------------------------------------------------------------------------------------ majors


@role_required(Role.TRAINING_UNIT, *STAFF)
@require_http_methods(["GET", "POST"])
def majors(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    assert year is not None
    unit = training_unit_of(request.user)
    if unit is None and not _may_see_lists(request.user):
        raise PermissionDenied
    form = F.MajorForm(_data(request)) if unit is not None else None
    if request.method == "POST":
        if unit is None or form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                major = save_major(request.user, year, **form.cleaned_data)
            except TransitionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("专业“%(m)s”已保存，发布后培育对象即可选择。") % {"m": major.name})
                return redirect(f"{request.path}?year={year.year}")
    qs = Major.objects.filter(year=year).select_related("training_unit").annotate(taken=Count("enrolments"))
    if unit is not None:
        qs = qs.filter(training_unit=unit)
    elif not is_province_office(request.user):
        qs = qs.filter(published=True)
    return render(request, "cultivation/setup/majors.html", {"year": year, "majors": qs, "form": form, "unit": unit},
                  status=400 if form is not None and form.errors else 200)


@role_required(Role.TRAINING_UNIT)
@require_http_methods(["GET", "POST"])
def major_edit(request: HttpRequest, pk: int) -> HttpResponse:
    major = get_object_or_404(Major, pk=pk, training_unit=training_unit_of(request.user))
    form = F.MajorForm(_data(request), instance=major)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action in ("publish", "unpublish"):
                publish_major(request.user, major, published=action == "publish")
                messages.success(request, _("专业已发布。") if action == "publish" else _("已撤回发布。"))
                return redirect(f"{_url('cultivation:majors')}?year={major.year.year}")
            if form.is_valid():
                data = {k: form.cleaned_data[k] for k in ("category", "name", "code", "capacity", "description")}
                major = Major.objects.get(pk=major.pk)
                save_major(request.user, major.year, major=major, **data)
                messages.success(request, _("专业已保存。"))
                return redirect(f"{_url('cultivation:majors')}?year={major.year.year}")
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
    return render(request, "cultivation/setup/major_form.html", {"form": form, "major": major},
                  status=400 if form.errors else 200)


def _url(name: str, *args: Any) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


# ------------------------------------------------------------------------------------------------ the choice


@role_required(Role.TRAINEE)
@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    assert year is not None
    enrolment = visible_enrolments(request.user, year).first()
    if enrolment is None:
        raise Http404(_("您不在本学年培育名单中。"))
    options = published_majors(year, enrolment.home_city)
    form = F.ChooseForm(_data(request), majors=options,
                        initial={"major": enrolment.major_id} if enrolment.major_id else None)
    if request.method == "POST" and form.is_valid():
        try:
            choose_major(request.user, enrolment, form.cleaned_data["major"], expect=_expect(request))
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            enrolment.refresh_from_db()
            assert enrolment.major is not None, "choose_major() sets the major"
            where = _("异地参训，理论学习可线上参加") if enrolment.remote else _("本地参训")
            messages.success(request, _("已选定：%(u)s · %(m)s（%(w)s）。截止日期前可以更改。") % {
                "u": enrolment.major.training_unit.name, "m": enrolment.major.name, "w": where})
            return redirect("cultivation:home")
    scope = request.GET.get("scope", "local")
    shown = [m for m in options if m.local] if scope == "local" else options  # type: ignore[attr-defined]
    if scope == "local" and not shown:
        shown, scope = options, "all"
    return render(request, "cultivation/setup/choose.html", {
        "year": year, "enrolment": enrolment, "form": form, "majors": shown, "scope": scope,
        "open": choice_open(year), "has_remote": any(not m.local for m in options)},  # type: ignore[attr-defined]
        status=400 if form.errors else 200)


# ------------------------------------------------------------------------------------------------ trainees, 附件1


def _trainees_for(request: HttpRequest, year: CultivationYear) -> tuple[Any, Any]:
    qs = visible_enrolments(request.user, year)
    city = None
    raw = request.GET.get("city", "")
    if raw.isdigit():
        city = city_bureaus().filter(pk=int(raw)).first()
        if city is not None:
            qs = qs.filter(home_city=city)
    return qs.order_by("home_city__path", "track", "person__name"), city


@role_required(Role.TRAINING_UNIT, *STAFF)
@require_http_methods(["GET", "POST"])
def trainees(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    assert year is not None
    unit = training_unit_of(request.user)
    if unit is None and not _may_see_lists(request.user):
        raise PermissionDenied
    qs, city = _trainees_for(request, year)
    mentors = Mentor.objects.filter(training_unit=unit, active=True) if unit is not None else Mentor.objects.none()
    status = 200
    if request.method == "POST" and unit is None:
        enrolment = get_object_or_404(qs, pk=request.POST.get("enrolment") or 0)
        major = get_object_or_404(Major, pk=request.POST.get("major") or 0, year=year)
        try:
            record_choice(request.user, enrolment, major, expect=_expect(request))
        except TransitionRefused as exc:
            messages.error(request, str(exc))
            status = 400
        else:
            messages.success(request, _("已代 %(p)s 登记选择：%(m)s。") % {"p": enrolment.person.name, "m": major})
            return redirect(f"{request.path}?year={year.year}")
    elif request.method == "POST":
        status = 400
        form = F.AssignMentorForm(request.POST, mentors=mentors)
        if form.is_valid():
            enrolment = get_object_or_404(qs, pk=form.cleaned_data["enrolment"])
            try:
                assign_mentor(request.user, enrolment, form.cleaned_data["mentor"],
                                enterprise_mentor=form.cleaned_data["enterprise_mentor"])
            except TransitionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已为 %(p)s 配备指导教师。") % {"p": enrolment.person.name})
                return redirect(f"{request.path}?year={year.year}")
        else:
            messages.error(request, _("请选择指导教师。"))
    rows = list(qs)
    outcome = None
    per_trainee: dict[int, Any] = {}
    if unit is not None and rows:
        outcome = mentor_outcome(rows)
        value = (outcome or {}).get("value") or {}
        per_trainee = {e.pk: value.get(trainee_key(e)) for e in rows}
    for e in rows:
        e.mentor_result = per_trainee.get(e.pk)  # type: ignore[attr-defined]
        if unit is not None:  # one search-as-you-type box per trainee, showing the current teacher
            e.mentor_field = F.AssignMentorForm(  # type: ignore[attr-defined]
                mentors=mentors, initial={"mentor": e.mentor_id}, auto_id=f"id_%s_{e.pk}")["mentor"]
    return render(request, "cultivation/setup/trainees.html", {
        "year": year, "rows": rows, "unit": unit, "city": city, "cities": city_bureaus(),
        "mentors": mentors, "outcome": outcome, "office": is_province_office(request.user),
        "assign_form": F.AssignMentorForm(mentors=mentors) if unit is not None else None,
        "choice_open": choice_open(year), "majors": published_majors(year) if unit is None else []},
        status=status)


@role_required(*STAFF)
def choices_export(request: HttpRequest) -> HttpResponse:
    """附件1 as XLSX: the province all (filterable by city), city staff their city."""
    year = _year(request)
    assert year is not None
    if not _may_see_lists(request.user):
        raise PermissionDenied
    qs, city = _trainees_for(request, year)
    response = HttpResponse(choices_xlsx(year, qs), content_type=XLSX)
    suffix = f"-{city.pk}" if city else ""
    response["Content-Disposition"] = f'attachment; filename="cultivation-{year.year}-choices{suffix}.xlsx"'
    return response


# ------------------------------------------------------------------------------------------------ mentors


@role_required(Role.TRAINING_UNIT)
@require_http_methods(["GET", "POST"])
def mentors(request: HttpRequest) -> HttpResponse:
    unit = training_unit_of(request.user)
    year = _year(request, required=False)
    form = F.MentorForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            mentor = register_mentor(request.user, **form.cleaned_data)
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记指导教师 %(n)s。") % {"n": mentor.name})
            return redirect("cultivation:mentors")
    rows = list(Mentor.objects.filter(training_unit=unit).annotate(
        trainees=Count("enrolments", filter=Q(enrolments__year=year)) if year else Count("enrolments")))
    for m in rows:
        m.outcome = mentor_qualification(m)  # type: ignore[attr-defined]
    return render(request, "cultivation/setup/mentors.html", {"form": form, "mentors": rows, "year": year},
                  status=400 if form.errors else 200)


# ------------------------------------------------------------------------------------------------ plans


@role_required(Role.TRAINING_UNIT, *STAFF)
@require_http_methods(["GET", "POST"])
def plans(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    assert year is not None
    unit = training_unit_of(request.user)
    if unit is not None:
        plan = TrainingPlan.objects.filter(year=year, training_unit=unit).first()
        form = F.PlanForm(_data(request))
        if request.method == "POST" and form.is_valid():
            try:
                plan = save_plan(request.user, year, **form.cleaned_data)
            except TransitionRefused as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("cultivation:plan", pk=plan.pk)
        if plan is not None and request.method == "GET":
            return redirect("cultivation:plan", pk=plan.pk)
        return render(request, "cultivation/setup/plan_new.html", {"form": form, "year": year},
                      status=400 if form.errors else 200)
    if not _may_see_lists(request.user):
        raise PermissionDenied
    if request.method == "POST":
        raise PermissionDenied
    return render(request, "cultivation/setup/plans.html", {
        "year": year, "plans": visible_plans(request.user, year), "awaiting": plans_awaiting(request.user, year)})


def _visible_plan(request: HttpRequest, pk: int) -> TrainingPlan:
    plan = get_object_or_404(TrainingPlan.objects.select_related("year", "training_unit"), pk=pk)
    if not visible_plans(request.user, plan.year).filter(pk=plan.pk).exists():
        raise Http404
    return plan


@role_required(Role.TRAINING_UNIT, *STAFF)
@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    unit = training_unit_of(request.user)
    own = unit is not None and unit.pk == plan.training_unit_id
    city = city_of(plan.training_unit)
    lead = city is not None and is_city_lead(request.user, plan.year, city)
    majors = Major.objects.filter(year=plan.year, training_unit=plan.training_unit)
    session_form = F.SessionForm(majors=majors)
    plan_form = F.PlanForm(initial={"hours_required": plan.hours_required, "credits_required": plan.credits_required})
    decision_form = F.DecisionForm()
    editing: PlanSession | None = None
    if id_param(request.GET.get("edit")) and own:
        editing = get_object_or_404(PlanSession, plan=plan, pk=id_param(request.GET.get("edit")))
        session_form = F.SessionForm(instance=editing, majors=majors)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("session", "plan", "submit", "delete") and not own:
            raise PermissionDenied
        if action == "decide" and not lead:
            raise PermissionDenied
        try:
            if action == "session":
                if id_param(request.POST.get("session_id")):
                    editing = get_object_or_404(PlanSession, plan=plan, pk=id_param(request.POST.get("session_id")))
                session_form = F.SessionForm(request.POST, instance=editing, majors=majors)
                if session_form.is_valid():
                    values = {k: session_form.cleaned_data[k] for k in SESSION_FIELDS}
                    if editing is not None:
                        editing = PlanSession.objects.get(pk=editing.pk)
                    save_session(request.user, plan, values, editing)
                    messages.success(request, _("课程已保存，计划已重新核查。"))
                    return redirect("cultivation:plan", pk=plan.pk)
            elif action == "delete":
                session = get_object_or_404(PlanSession, plan=plan, pk=request.POST.get("session_id"))
                delete_session(request.user, session)
                messages.success(request, _("课程已删除。"))
                return redirect("cultivation:plan", pk=plan.pk)
            elif action == "plan":
                plan_form = F.PlanForm(request.POST)
                if plan_form.is_valid():
                    save_plan(request.user, plan.year, **plan_form.cleaned_data)
                    messages.success(request, _("要求学时、学分已保存。"))
                    return redirect("cultivation:plan", pk=plan.pk)
            elif action == "submit":
                submit_plan(request.user, plan, expect=_expect(request))
                messages.success(request, _("培训计划已提交市级负责人审核。"))
                return redirect("cultivation:plan", pk=plan.pk)
            elif action == "decide":
                decision_form = F.DecisionForm(request.POST)
                if decision_form.is_valid():
                    approve = decision_form.cleaned_data["decision"] == "approve"
                    decide_plan(request.user, plan, approve=approve, note=decision_form.cleaned_data["note"],
                                  expect=_expect(request))
                    messages.success(request, _("已审核通过，计划已锁定。") if approve else _("已退回承训单位修改。"))
                    return redirect("cultivation:plan", pk=plan.pk)
            else:
                raise PermissionDenied
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        status = 400
        plan.refresh_from_db()
    editable = own and plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED) and plan.year.status != YearStatus.CLOSED
    return render(request, "cultivation/setup/plan.html", {
        "plan": plan, "sessions": plan.sessions.select_related("major"), "outcome": plan.check_outcome,
        "failures": failed_steps(plan.check_outcome), "warnings": plan_warnings(plan),
        "totals": plan_totals(plan), "own": own, "lead": lead, "editable": editable,
        "session_form": session_form, "plan_form": plan_form, "decision_form": decision_form, "editing": editing,
        "city": city, "trainees": unit_enrolments(plan.year, plan.training_unit).count()}, status=status)
