"""Views of the results part: thin — role and scope check, form, one service call, message, redirect."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.params import id_param
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.cultivation import forms_results as forms
from jiangxin.platform.cultivation import surveys
from jiangxin.platform.cultivation.access import (
    CultivationError,
    current_year,
    is_province_office,
    lead_bureaus,
    training_unit_of,
    visible_enrolments,
)
from jiangxin.platform.cultivation.actions.acceptance import assess_unit
from jiangxin.platform.cultivation.actions.deferral import decide_deferral, request_deferral
from jiangxin.platform.cultivation.actions.funding import post_funding, record_expense
from jiangxin.platform.cultivation.actions.grading import grade_unit
from jiangxin.platform.cultivation.actions.incidents import record_incident
from jiangxin.platform.cultivation.actions.surveys import submit_employer_survey, submit_satisfaction
from jiangxin.platform.cultivation.common_results import DEFAULT_GRADE_BANDS, ZERO, is_locked
from jiangxin.platform.cultivation.models import (
    CultivationYear,
    Enrolment,
    EnrolmentStatus,
    Expense,
    Incident,
    UnitAcceptance,
    UnitGrading,
)
from jiangxin.platform.cultivation.selectors import results as results_selectors
from jiangxin.platform.cultivation.selectors.results import (
    answered_satisfaction,
    approved_plan,
    can_see_unit,
    certificate_docx,
    decided_deferrals,
    employer_answered,
    employer_years,
    gradable_enrolments,
    grading_rows,
    incident_bans,
    my_enrolments,
    overview,
    pending_deferrals,
    posted_entries,
    rubric_items,
    spending_outcome,
    survey_open,
    survey_summary,
    visible_incidents,
    visible_units,
)
from jiangxin.platform.orgs.models import Organisation

MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
STAFF = (Role.OFFICE, Role.DISTRICT)


def _file(content: bytes, filename: str) -> HttpResponse:
    ext = filename.rsplit(".", 1)[-1]
    response = HttpResponse(content, content_type=MIME[ext])
    response["Content-Disposition"] = f"attachment; filename=\"document.{ext}\"; filename*=UTF-8''{quote(filename)}"
    return response


def _year(request: HttpRequest) -> CultivationYear:
    wanted = request.GET.get("year", "")
    year = CultivationYear.objects.filter(year=int(wanted)).first() if wanted.isdigit() else current_year()
    if year is None:
        raise Http404(_("尚未开启培育学年。"))
    return year


def _unit(request: HttpRequest, year: CultivationYear, pk: int) -> Organisation:
    unit = get_object_or_404(Organisation, pk=pk)
    if not can_see_unit(request.user, year, unit):
        raise Http404
    return unit


def _is_staff(user: Any, year: CultivationYear) -> bool:
    return is_province_office(user) or lead_bureaus(user, year).exists()


# ------------------------------------------------------------------------------------------------ overview


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """验收与经费: every visible unit's grading, acceptance, passing counts and money posted."""
    year = _year(request)
    own = training_unit_of(request.user)
    if own is not None:
        return redirect("cultivation:results_grading", unit=own.pk)
    if not _is_staff(request.user, year):
        raise PermissionDenied
    return render(request, "cultivation/results/home.html", {
        "year": year, "rows": overview(request.user, year), "office": is_province_office(request.user),
        "years": CultivationYear.objects.order_by("-year")})


# ------------------------------------------------------------------------------------------------ grading


@login_required
@require_http_methods(["GET", "POST"])
def grading(request: HttpRequest, unit: int) -> HttpResponse:
    year = _year(request)
    org = _unit(request, year, unit)
    may_grade = is_province_office(request.user) or (
        (own := training_unit_of(request.user)) is not None and own.pk == org.pk)
    locked = is_locked(year, org)
    rows = grading_rows(year, org)
    form = forms.GradingForm(request.POST or None, rows=rows)
    if request.method == "POST":
        if not may_grade:
            raise PermissionDenied
        if form.is_valid():
            try:
                grade_unit(request.user, year, org, form.scores())
            except TransitionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("评定完成，结果已保存。"))
                return redirect(f"{request.path}?year={year.year}")
    record = UnitGrading.objects.filter(year=year, training_unit=org).first()
    graded = {e.pk: e for e in Enrolment.objects.filter(year=year, major__training_unit=org,
                                                          status=EnrolmentStatus.GRADED)}
    deferred = Enrolment.objects.filter(year=year, major__training_unit=org, status=EnrolmentStatus.DEFERRED)
    return render(request, "cultivation/results/grading.html", {
        "year": year, "unit": org, "rows": rows, "form": form, "grading": record, "may_grade": may_grade,
        "locked": locked, "plan": approved_plan(year, org), "graded": graded, "deferred": deferred,
        "bands": DEFAULT_GRADE_BANDS["bands"]}, status=400 if form.errors else 200)


# ------------------------------------------------------------------------------------------------ incidents


@login_required
@require_http_methods(["GET", "POST"])
def incidents(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    own = training_unit_of(request.user)
    may_record = is_province_office(request.user) or own is not None or lead_bureaus(request.user, year).exists()
    if not may_record and request.user.role != Role.UNIT:  # type: ignore[union-attr]
        raise PermissionDenied
    enrolments = visible_enrolments(request.user, year).exclude(major__isnull=True)
    employers = Organisation.objects.filter(pk__in=enrolments.values("employer"))
    form = forms.IncidentForm(request.POST or None, enrolments=enrolments, employers=employers, year=year)
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                incident = record_incident(
                    request.user, year, kind=d["kind"], description=d["description"], decided_on=d["decided_on"],
                    enrolment=d["enrolment"], employer=d["employer"], notify_employer=d["notify_employer"],
                    without_good_reason=d["without_good_reason"], award_ban_exception=d["award_ban_exception"])
            except TransitionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已登记，处理措施已执行。"))
                return redirect("cultivation:results_incident", pk=incident.pk)
    return render(request, "cultivation/results/incidents.html", {
        "year": year, "incidents": visible_incidents(request.user, year), "form": form,
        "may_record": may_record}, status=400 if form.errors else 200)


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(Incident.objects.select_related("year"), pk=pk)
    if not visible_incidents(request.user, incident.year).filter(pk=pk).exists():
        raise Http404
    return render(request, "cultivation/results/incident.html", {
        "incident": incident, "bans": incident_bans(incident), "outcome": incident.outcome})


# ------------------------------------------------------------------------------------------------ deferral


@login_required
@require_http_methods(["GET", "POST"])
def deferrals(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    pending = pending_deferrals(request.user)
    if not (_is_staff(request.user, year) or pending):
        raise PermissionDenied
    if request.method == "POST":
        enrolment = get_object_or_404(Enrolment, pk=request.POST.get("enrolment") or 0)
        form = forms.DeferralDecisionForm(request.POST)
        if form.is_valid():
            try:
                decide_deferral(request.user, enrolment, approve=form.cleaned_data["decision"] == "approve",
                                         note=form.cleaned_data["note"])
            except TransitionRefused as exc:
                messages.error(request, str(exc))
            else:
                state = (enrolment.deferral_outcome or {}).get("state")
                if state == "granted":
                    messages.success(request, _("已准予延期。"))
                else:
                    messages.warning(request, _("不予延期。"))
                return redirect(f"{request.path}?year={year.year}")
        else:
            for errors in form.errors.values():
                for e in errors:
                    messages.error(request, str(e))  # ErrorList yields str; the stubs say ValidationError | str
    return render(request, "cultivation/results/deferrals.html", {
        "year": year, "pending": pending,
        "decided": decided_deferrals(request.user, year), "form": forms.DeferralDecisionForm()})


@role_required(Role.TRAINEE)
@require_http_methods(["GET", "POST"])
def deferral_request(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(my_enrolments(request.user), pk=pk)
    form = forms.DeferralRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_deferral(request.user, enrolment, reason=form.cleaned_data["reason"],
                                      detail=form.cleaned_data["detail"])
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("延期申请已提交，等待审批。"))
            return redirect("cultivation:results_mine")
    return render(request, "cultivation/results/deferral_request.html", {"enrolment": enrolment, "form": form},
                  status=400 if form.errors else 200)


# ------------------------------------------------------------------------------------------------ acceptance


@login_required
@require_http_methods(["GET", "POST"])
def acceptance(request: HttpRequest, unit: int) -> HttpResponse:
    year = _year(request)
    org = _unit(request, year, unit)
    office = is_province_office(request.user)
    record = UnitAcceptance.objects.filter(year=year, training_unit=org).first()
    initial: dict[str, Any] = {}
    if record is not None:
        initial = {f"item_{k}": v for k, v in (record.item_scores or {}).items()}
        initial.update(finance_bureau=record.finance_bureau, provincial_assessor=record.provincial_assessor,
                       city_assessor=record.city_assessor)
    action = request.POST.get("action", "assess")
    data = request.POST if request.method == "POST" and action == "assess" else None
    form = forms.AcceptanceForm(data, initial=initial, items=rubric_items())
    if request.method == "POST":
        if not office:
            raise PermissionDenied
        try:
            if action == "fund":
                if record is None:
                    raise CultivationError(_("尚未完成省级考核验收。"))
                result = post_funding(request.user, record)
                messages.success(request, _("已核拨 %(n)s 笔，共 %(t)s 元。") % {"n": len(result["posted"]),
                                                                           "t": result["total"]})
                if result["existing"]:
                    messages.info(request, _("%(n)s 名培育对象此前已核拨，未重复入账。") % {"n": result["existing"]})
                if result["skipped"]:
                    messages.warning(request, _("以下培育对象没有入选记录，未能入账：%(names)s") % {
                        "names": "、".join(result["skipped"])})
                return redirect(f"{request.path}?year={year.year}")
            if form.is_valid():
                d = form.cleaned_data
                assess_unit(request.user, year, org, item_scores=form.item_scores(),
                                     finance_bureau=d["finance_bureau"], provincial_assessor=d["provincial_assessor"],
                                     city_assessor=d["city_assessor"])
                messages.success(request, _("验收结果已保存。"))
                return redirect(f"{request.path}?year={year.year}")
        except TransitionRefused as exc:
            messages.error(request, str(exc))
    passers = Enrolment.objects.filter(year=year, major__training_unit=org, passed=True).select_related("person")
    return render(request, "cultivation/results/acceptance.html", {
        "year": year, "unit": org, "acceptance": record, "form": form, "office": office,
        "grading": UnitGrading.objects.filter(year=year, training_unit=org).first(), "passers": passers,
        "entries": posted_entries(year, org).select_related("designation"),
        "posted": sum((e.amount for e in posted_entries(year, org)), ZERO)},
        status=400 if form.errors else 200)


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("person", "year", "major__training_unit"), pk=pk)
    mine = my_enrolments(request.user).filter(pk=pk).exists()
    if not (mine or visible_enrolments(request.user, enrolment.year).filter(pk=pk).exists()):
        raise Http404
    try:
        content = certificate_docx(enrolment)
    except TransitionRefused as exc:
        raise Http404(str(exc)) from exc
    return _file(content, f"合格证书-{enrolment.certificate_no}.docx")


# ------------------------------------------------------------------------------------------------ expenses


@login_required
@require_http_methods(["GET", "POST"])
def expenses(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    own = training_unit_of(request.user)
    if own is None and not _is_staff(request.user, year):
        raise PermissionDenied
    units = list(visible_units(request.user, year))
    if own is not None:
        units = [own]
    chosen = own
    if own is None and id_param(request.GET.get("unit")):
        chosen = next((u for u in units if u.pk == id_param(request.GET.get("unit"))), None)
    form = None
    if own is not None:
        enrolments = gradable_enrolments(year, own)
        form = forms.ExpenseForm(request.POST or None, request.FILES or None, enrolments=enrolments)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                record_expense(request.user, year, own, category=d["category"], amount=d["amount"],
                                        spent_on=d["spent_on"], description=d["description"],
                                        enrolment=d["enrolment"], at_unit_canteen=d["at_unit_canteen"],
                                        trainee_only=d["trainee_only"], evidence=d["evidence"])
            except TransitionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("支出已登记。"))
                return redirect(f"{request.path}?year={year.year}")
    elif request.method == "POST":
        raise PermissionDenied
    splits: list[dict[str, Any]] = [{"unit": u, "outcome": spending_outcome(year, u)} for u in units]
    lines = Expense.objects.filter(year=year, training_unit=chosen).select_related("enrolment__person") \
        if chosen else Expense.objects.none()
    chosen_outcome = next((s["outcome"] for s in splits if chosen and s["unit"].pk == chosen.pk), None)
    flagged = {r["key"]: r["reason"] for r in (chosen_outcome or {}).get("value", {}).get("rejected_lines", [])}
    rows = [{"line": x, "flag": flagged.get(f"L{x.pk}", "")} for x in lines]
    return render(request, "cultivation/results/expenses.html", {
        "year": year, "splits": splits, "chosen": chosen, "rows": rows, "outcome": chosen_outcome, "form": form},
        status=400 if form is not None and form.errors else 200)


@login_required
def expenses_xlsx(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    own = training_unit_of(request.user)
    if own is None and not _is_staff(request.user, year):
        raise PermissionDenied
    units = [own] if own is not None else list(visible_units(request.user, year))
    return _file(results_selectors.expenses_xlsx(year, units), f"培育补助经费支出台账-{year.year}.xlsx")


# ------------------------------------------------------------------------------------------------ surveys


@role_required(Role.TRAINEE)
@require_http_methods(["GET", "POST"])
def survey_satisfaction(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(my_enrolments(request.user), pk=pk)
    form = forms.SurveyForm(request.POST or None, items=surveys.SATISFACTION_ITEMS)
    if request.method == "POST" and form.is_valid():
        try:
            submit_satisfaction(request.user, enrolment, form.cleaned_data)
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("感谢填写满意度问卷。"))
            return redirect("cultivation:results_mine")
    return render(request, "cultivation/results/survey_form.html", {
        "form": form, "title": _("培育对象满意度调查（附件2）"), "enrolment": enrolment,
        "answered": answered_satisfaction(enrolment), "open": survey_open(enrolment.year)},
        status=400 if form.errors else 200)


@role_required(Role.UNIT)
@require_http_methods(["GET", "POST"])
def survey_employer(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    if not employer_years(request.user).filter(pk=year.pk).exists():
        raise PermissionDenied
    form = forms.SurveyForm(request.POST or None, items=surveys.EMPLOYER_ITEMS)
    if request.method == "POST" and form.is_valid():
        try:
            submit_employer_survey(request.user, year, form.cleaned_data)
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("调查问卷已提交，感谢支持。"))
            return redirect(f"{request.path}?year={year.year}")
    staff = visible_enrolments(request.user, year).exclude(major__isnull=True)
    assert request.user.is_authenticated, "role_required"
    employer = request.user.organisation
    assert employer is not None, "employer_years() is empty for a unit without an organisation"
    return render(request, "cultivation/results/survey_form.html", {
        "form": form, "title": _("用人单位调查和评价（附件3）"), "year": year, "staff": staff,
        "answered": employer_answered(year, employer),
        "open": survey_open(year)}, status=400 if form.errors else 200)


@login_required
def survey_summaries(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    if training_unit_of(request.user) is None and not _is_staff(request.user, year):
        raise PermissionDenied
    summaries = [survey_summary(year, u) for u in visible_units(request.user, year)]
    return render(request, "cultivation/results/surveys.html", {
        "year": year, "summaries": summaries, "employer_items": surveys.EMPLOYER_ITEMS,
        "ratings": surveys.RATINGS})


# ------------------------------------------------------------------------------------------------ trainee


@role_required(Role.TRAINEE)
def mine(request: HttpRequest) -> HttpResponse:
    rows = [{"enrolment": e, "answered": answered_satisfaction(e), "open": survey_open(e.year)}
            for e in my_enrolments(request.user)]
    return render(request, "cultivation/results/mine.html", {"rows": rows})
