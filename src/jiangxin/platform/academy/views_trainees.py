"""网上工匠学院 pages, the trainee database (学员库, 第十条): the list, the import template, imports and their
jobs (retry, error file) and the statistics export."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangxin.platform.academy import exports, services
from jiangxin.platform.academy.forms import ImportForm
from jiangxin.platform.academy.models import ImportJob
from jiangxin.platform.academy.views import _guard
from jiangxin.platform.core.paginate import paginate
from jiangxin.platform.core.textsearch import matching, search_hint
from jiangxin.platform.core.transitions import TransitionRefused

# --- trainees ----------------------------------------------------------------------------------------------


@login_required
def trainees(request: HttpRequest) -> HttpResponse:
    _guard(request)
    qs = services.visible_trainees(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(matching("session_code", q) | matching("major", q) | Q(name=q))
    page = paginate(request, qs.order_by("-end_date", "-id"))
    return render(request, "academy/trainees.html", {
        "page": page, "q": q, "search_hint": search_hint(), "form": ImportForm(), "is_academy": services.is_academy(request.user),
        "jobs": services.visible_jobs(request.user)[:10],
    })


@login_required
def trainee_template(request: HttpRequest, fmt: str) -> HttpResponse:
    _guard(request)
    if fmt == "xlsx":
        response = HttpResponse(exports.template_xlsx(), content_type=exports.XLSX)
    elif fmt == "csv":
        response = HttpResponse(exports.template_csv(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''trainee-template.{fmt}"
    return response


@login_required
@require_POST
def trainee_import(request: HttpRequest) -> HttpResponse:
    _guard(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要导入的文件"))
        return redirect("academy:trainees")
    try:
        job = services.start_import(request.user, form.cleaned_data["file"],
                                    update_existing=form.cleaned_data["update_existing"])
    except TransitionRefused as exc:
        messages.error(request, str(exc))
        return redirect("academy:trainees")
    return redirect("academy:import_job", pk=job.pk)


def _job(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(services.visible_jobs(request.user), pk=pk)


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    job = _job(request, pk)
    if not job.finished:  # a job whose worker died shows as failed within a minute of its last heartbeat
        from jiangxin.platform.academy import importer

        if importer.recover_stale_jobs(job.academy_id):
            job.refresh_from_db()
    template = "academy/_job_progress.html" if getattr(request, "htmx", False) else "academy/import_job.html"
    assert request.user.is_authenticated, "login_required"
    can_retry = services.is_academy(request.user) and request.user.organisation_id == job.academy_id
    return render(request, template, {"job": job, "can_retry": can_retry})


@login_required
@require_POST
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    job = _job(request, pk)
    try:
        services.retry_import(request.user, job, expect=request.POST.get("expect") or None)
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    return redirect("academy:import_job", pk=job.pk)


@login_required
def import_errors(request: HttpRequest, pk: int) -> FileResponse:
    _guard(request)
    job = _job(request, pk)
    if not job.error_report or not Path(job.error_report).exists():
        raise Http404
    response = FileResponse(open(job.error_report, "rb"), content_type="text/csv; charset=utf-8",
                            as_attachment=True, filename=f"import-{job.pk}-errors.csv")
    return response


@login_required
def trainee_export(request: HttpRequest) -> HttpResponse:
    _guard(request)
    data = exports.statistics_xlsx(services.visible_trainees(request.user))
    response = HttpResponse(data, content_type=exports.XLSX)
    response["Content-Disposition"] = f"attachment; filename=trainee-statistics-{timezone.localdate():%Y%m%d}.xlsx"
    return response
