"""Views of the cultivation year's training part. Thin: role check, form, call an action in ``actions``, message,
redirect. Scope always comes from ``access`` (visible_enrolments, lead_bureaus) or the service's own queries."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.files import serve_private_file
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.cultivation import forms_training as forms
from jiangxin.platform.cultivation.access import (
    current_year,
    is_province_office,
    lead_bureaus,
    training_unit_of,
    visible_enrolments,
)
from jiangxin.platform.cultivation.actions.attendance import import_attendance, record_attendance
from jiangxin.platform.cultivation.actions.leave import decide_leave, request_leave
from jiangxin.platform.cultivation.actions.reports import evaluate_report, submit_report
from jiangxin.platform.cultivation.common_training import ImportFailure
from jiangxin.platform.cultivation.models import (
    Attendance,
    CultivationYear,
    Enrolment,
    PlanSession,
    RequestStatus,
)
from jiangxin.platform.cultivation.selectors.training import (
    approved_plan,
    attendance_template_xlsx,
    import_errors_xlsx,
    pending_leave_for,
    session_overview,
    session_trainees,
    training_file,
    training_file_xlsx,
    visible_leave,
    visible_reports,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_ROLES = (Role.TRAINEE, Role.TRAINING_UNIT, Role.OFFICE, Role.DISTRICT, Role.UNIT)
LEAVE_ROLES = (Role.TRAINEE, Role.TRAINING_UNIT, Role.OFFICE, Role.DISTRICT)
REPORT_ROLES = (Role.TRAINEE, Role.TRAINING_UNIT, Role.OFFICE, Role.DISTRICT, Role.EXPERT)
ERRORS_KEY = "cultivation_import_errors"


def _year(request: HttpRequest) -> CultivationYear:
    wanted = request.GET.get("year", "")
    if wanted.isdecimal():
        year = CultivationYear.objects.filter(year=int(wanted)).first()
        if year is not None:
            return year
    year = current_year()
    if year is None:
        raise Http404(_("尚未开设培育学年。"))
    return year


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _unit(request: HttpRequest) -> Any:
    unit = training_unit_of(request.user)
    if unit is None:
        raise PermissionDenied
    return unit


# --------------------------------------------------------------------------------------------------------
# attendance


@role_required(Role.TRAINING_UNIT)
def attendance(request: HttpRequest) -> HttpResponse:
    unit, year = _unit(request), _year(request)
    return render(request, "cultivation/training/attendance.html", {
        "year": year, "unit": unit, "plan": approved_plan(unit, year),
        "rows": session_overview(unit, year), "today": timezone.localdate()})


@role_required(Role.TRAINING_UNIT)
@require_http_methods(["GET", "POST"])
def attendance_session(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request)
    session = get_object_or_404(PlanSession.objects.select_related("plan", "major"), pk=pk,
                                plan__training_unit=unit)
    if session.plan.status != "approved":
        messages.error(request, _("培训计划尚未审核通过，不能登记考勤。"))
        return redirect("cultivation:training_attendance")
    trainees = list(session_trainees(session))
    existing = {a.enrolment_id: a for a in Attendance.objects.filter(session=session)}
    form = forms.AttendanceGridForm(request.POST or None, session=session, trainees=trainees, existing=existing)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                count = record_attendance(request.user, session, form.rows())
            except TransitionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已保存 %(n)s 名学员的学时学分。") % {"n": count})
                return redirect("cultivation:training_attendance_session", pk=session.pk)
        status = 400
    return render(request, "cultivation/training/attendance_session.html",
                  {"session": session, "form": form, "grid": form.grid()}, status=status)


@role_required(Role.TRAINING_UNIT)
def attendance_template(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    content = attendance_template_xlsx(request.user, year)
    return _xlsx(content, f"attendance-{year.year}.xlsx")


@role_required(Role.TRAINING_UNIT)
@require_http_methods(["GET", "POST"])
def attendance_import(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    _unit(request)
    form = forms.AttendanceImportForm(request.POST or None, request.FILES or None)
    failed: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = import_attendance(request.user, year, form.cleaned_data["file"])
        except ImportFailure as exc:
            failed = exc.rows
            request.session[ERRORS_KEY] = [[n, m] for n, m in exc.rows]
            form.add_error("file", str(exc))
        except TransitionRefused as exc:
            form.add_error("file", str(exc))
        else:
            request.session.pop(ERRORS_KEY, None)
            messages.success(request, _("已导入 %(n)s 行考勤。") % {"n": count})
            return redirect("cultivation:training_attendance")
    return render(request, "cultivation/training/attendance_import.html",
                  {"form": form, "year": year, "failed": failed[:200], "failed_count": len(failed)},
                  status=400 if form.errors else 200)


@role_required(Role.TRAINING_UNIT)
def attendance_import_errors(request: HttpRequest) -> HttpResponse:
    rows = request.session.get(ERRORS_KEY)
    if not rows:
        raise Http404
    return _xlsx(import_errors_xlsx(rows), "attendance-errors.xlsx")


# --------------------------------------------------------------------------------------------------------
# leave


@role_required(*LEAVE_ROLES)
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    user = request.user
    own = visible_enrolments(user, year).first() if user.role == Role.TRAINEE else None  # type: ignore[union-attr]
    form = forms.LeaveRequestForm(request.POST or None) if own is not None else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                request_leave(user, own, start=d["start"], end=d["end"], reason=d["reason"])
            except TransitionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("请假申请已提交，等待市级负责人审批。"))
                return redirect("cultivation:training_leave")
    requests = visible_leave(user, year).order_by("-created_at")
    wanted = request.GET.get("status", "")
    if wanted in RequestStatus.values:
        requests = requests.filter(status=wanted)
    leads = {b.pk for b in lead_bureaus(user, year)}
    rows = [{"leave": lr, "can_decide": lr.enrolment.home_city_id in leads and lr.status == RequestStatus.PENDING}
            for lr in requests[:300]]
    return render(request, "cultivation/training/leave.html", {
        "year": year, "own": own, "form": form, "rows": rows, "decision_form": forms.LeaveDecisionForm(),
        "statuses": RequestStatus.choices, "wanted": wanted, "is_lead": bool(leads)},
        status=400 if form is not None and form.errors else 200)


@role_required(Role.OFFICE, Role.DISTRICT)
@require_POST
def leave_decide(request: HttpRequest, pk: int) -> HttpResponse:
    year = _year(request)
    leave_request = get_object_or_404(pending_leave_for(request.user, year), pk=pk)
    form = forms.LeaveDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审批结果。"))
        return redirect("cultivation:training_leave")
    try:
        decide_leave(request.user, leave_request, expect=request.POST.get("expect") or None,
                              approve=form.cleaned_data["decision"] == "approve",
                              note=form.cleaned_data["note"])
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已审批。"))
    return redirect("cultivation:training_leave")


# --------------------------------------------------------------------------------------------------------
# research reports


@role_required(Role.TRAINEE)
@require_http_methods(["GET", "POST"])
def my_report(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    enrolment = visible_enrolments(request.user, year).first()
    report = getattr(enrolment, "report", None) if enrolment is not None else None
    locked = report is not None and report.evaluations.exists()
    form = forms.ReportForm(request.POST or None, request.FILES or None,
                            initial={"title": report.title, "abstract": report.abstract} if report else None)
    if request.method == "POST":
        if enrolment is None:
            raise PermissionDenied
        if locked:  # the service answers with the article (第十九条) instead of a bare 403
            try:
                submit_report(request.user, enrolment, title="", abstract="", file=None)
            except TransitionRefused as exc:
                form.add_error(None, str(exc))
        elif form.is_valid():
            d = form.cleaned_data
            try:
                submit_report(request.user, enrolment, title=d["title"], abstract=d["abstract"],
                                       file=d["file"])
            except TransitionRefused as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, _("研修报告已提交。"))
                return redirect("cultivation:training_my_report")
    return render(request, "cultivation/training/my_report.html", {
        "year": year, "enrolment": enrolment, "report": report, "locked": locked, "form": form},
        status=400 if form.errors else 200)


@role_required(*REPORT_ROLES)
def reports(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    if request.user.role == Role.TRAINEE:  # type: ignore[union-attr]
        return redirect("cultivation:training_my_report")
    qs = visible_reports(request.user, year).prefetch_related("evaluations").order_by(
        "enrolment__person__name")
    rows = [{"report": r, "mine": next((e for e in r.evaluations.all() if e.expert_id == request.user.pk), None)}
            for r in qs[:500]]
    return render(request, "cultivation/training/reports.html", {
        "year": year, "rows": rows, "expert": request.user.role == Role.EXPERT})  # type: ignore[union-attr]


@role_required(*REPORT_ROLES)
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    year = _year(request)
    report = get_object_or_404(visible_reports(request.user, year), pk=pk)
    expert = request.user.role == Role.EXPERT  # type: ignore[union-attr]
    assert request.user.is_authenticated, "role_required"
    mine = report.evaluations.filter(expert=request.user).first() if expert else None
    form = forms.EvaluationForm(request.POST or None) if expert and mine is None else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                evaluate_report(request.user, report, score=form.cleaned_data["score"],
                                         comment=form.cleaned_data["comment"])
            except TransitionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("评估已提交。"))
                return redirect("cultivation:training_report", pk=report.pk)
    # blind scoring: an expert sees the others' scores only after submitting their own
    show_all = not expert or mine is not None
    evaluations = list(report.evaluations.select_related("expert")) if show_all else []
    return render(request, "cultivation/training/report_detail.html", {
        "report": report, "form": form, "mine": mine, "expert": expert, "show_all": show_all,
        "evaluations": evaluations}, status=400 if form is not None and form.errors else 200)


@role_required(*REPORT_ROLES)
def report_file(request: HttpRequest, pk: int) -> FileResponse:
    year = _year(request)
    report = get_object_or_404(visible_reports(request.user, year), pk=pk)
    ext = report.file.name.rsplit(".", 1)[-1].lower() if "." in report.file.name else "pdf"
    return serve_private_file(report.file, filename=f"research-report-{report.enrolment_id}.{ext}")


# --------------------------------------------------------------------------------------------------------
# training file


@role_required(*FILE_ROLES)
def files(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    enrolments = visible_enrolments(request.user, year).filter(major__isnull=False)
    if request.user.role == Role.TRAINEE:  # type: ignore[union-attr]
        own = enrolments.first()
        if own is None:
            return render(request, "cultivation/training/files.html", {"year": year, "rows": []})
        return redirect("cultivation:training_file", pk=own.pk)
    rows = []
    for e in enrolments.order_by("major__training_unit__name", "person__name")[:500]:
        data = training_file(e)
        rows.append(data)
    return render(request, "cultivation/training/files.html", {
        "year": year, "rows": rows, "province": is_province_office(request.user)})


def _visible_enrolment(request: HttpRequest, pk: int) -> Enrolment:
    return get_object_or_404(visible_enrolments(request.user), pk=pk)


@role_required(*FILE_ROLES)
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _visible_enrolment(request, pk)
    return render(request, "cultivation/training/file.html", {"f": training_file(enrolment)})


@role_required(*FILE_ROLES)
def file_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _visible_enrolment(request, pk)
    content = training_file_xlsx(training_file(enrolment))
    return _xlsx(content, f"training-file-{enrolment.year.year}-{enrolment.pk}.xlsx")
