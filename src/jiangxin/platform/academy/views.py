"""网上工匠学院 pages for academies (unit role) and the office."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from jiangxin.platform.academy import exports, facts, services
from jiangxin.platform.academy.forms import (
    CourseForm,
    ImportForm,
    MaterialForm,
    MergeForm,
    OfferingForm,
    PublishForm,
    ReviewForm,
    TeacherForm,
)
from jiangxin.platform.academy.models import (
    Course,
    CourseMaterial,
    ImportJob,
    Teacher,
    TeacherStatus,
)
from jiangxin.platform.academy.uploads import CONTENT_TYPES, UploadError
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.paginate import paginate
from jiangxin.platform.core.params import year_param
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.orgs.models import Jurisdiction, Level
from jiangxin.platform.orgs.scope import visible_organisations


def _guard(request: HttpRequest) -> None:
    if not services.can_use(request.user):
        raise PermissionDenied("网上工匠学院仅对南昌市工匠学院和工匠学院办公室开放")


def academies_for(user: Any) -> Any:
    """Member organisations (with unit accounts) in the user's view: the academies."""
    return (visible_organisations(user).filter(level=Level.MEMBER, jurisdiction=Jurisdiction.NANCHANG,
                                               users__role=Role.UNIT).distinct().order_by("name"))


# --- overview ----------------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _guard(request)
    if services.is_academy(request.user):
        return redirect("academy:academy", pk=request.user.organisation_id)  # type: ignore[union-attr]
    year = _year(request)
    rows = []
    for org in academies_for(request.user):
        rows.append({"org": org, "new_courses": facts.new_course_count(org.pk, year),
                     "teachers": Teacher.objects.filter(organisation=org, status=TeacherStatus.APPROVED).count(),
                     "trainees": facts.training_counts(org.pk, year)["trainees"]})
    return render(request, "academy/home.html", {"rows": rows, "year": year,
                                                 "required": facts.NEW_COURSES_PER_YEAR})


def _year(request: HttpRequest) -> int:
    return year_param(request.GET.get("year"), timezone.localdate().year)


@login_required
def academy(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    org = get_object_or_404(academies_for(request.user), pk=pk)
    year = _year(request)
    entries = facts.annual_rubric_entries(org.pk, year)
    new_courses = entries["courses"]["new_courses"]["courses"]
    return render(request, "academy/academy.html", {
        "org": org, "year": year, "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "entries": entries, "new_courses": new_courses, "required": facts.NEW_COURSES_PER_YEAR,
        "meets": new_courses >= facts.NEW_COURSES_PER_YEAR,
        "upgrade_facts": facts.upgrade_subsidy_facts(org.pk, year),
        "courses": Course.objects.filter(academy=org).order_by("-created_at")[:10],
        "teachers": Teacher.objects.filter(organisation=org, status=TeacherStatus.APPROVED).count(),
    })


# --- teachers ----------------------------------------------------------------------------------------------


@login_required
def teachers(request: HttpRequest) -> HttpResponse:
    _guard(request)
    qs = services.visible_teachers(request.user)
    status = request.GET.get("status", "")
    major = request.GET.get("major", "").strip()
    honour = request.GET.get("honour", "").strip()
    q = request.GET.get("q", "").strip()
    if status:
        qs = qs.filter(status=status)
    elif not request.GET.get("all"):
        qs = qs.exclude(status=TeacherStatus.MERGED)
    if major:
        qs = qs.filter(majors__icontains=major)
    if honour:
        qs = qs.filter(honours__contains=f"|{honour}|")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(employer__icontains=q))
    if request.GET.get("stale"):
        qs = qs.filter(pk__in=services.stale_teachers(request.user).values("pk"))
    page = Paginator(qs.order_by("status", "name", "id"), 50).get_page(request.GET.get("page"))
    return render(request, "academy/teachers.html", {
        "page": page, "status": status, "major": major, "honour": honour, "q": q,
        "status_choices": TeacherStatus.choices, "honour_choices": services.honour_choices(),
        "is_office": services.is_office(request.user), "is_academy": services.is_academy(request.user),
        "refresh_days": services.refresh_days(),
        "stale_before": timezone.localdate() - dt.timedelta(days=services.refresh_days()),
    })


@login_required
def teacher_new(request: HttpRequest) -> HttpResponse:
    _guard(request)
    office = services.is_office(request.user)
    if not (office or services.is_academy(request.user)):
        raise PermissionDenied
    form = TeacherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            teacher = (services.invite_teacher if office else services.submit_teacher)(request.user, form.cleaned_data)
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已{'邀请入库' if office else '上报，等待审核'}：{teacher.name}")
            return redirect("academy:teacher", pk=teacher.pk)
    return render(request, "academy/teacher_form.html", {"form": form, "office": office})


def _teacher(request: HttpRequest, pk: int) -> Teacher:
    return get_object_or_404(services.visible_teachers(request.user), pk=pk)


@login_required
def teacher(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    t = _teacher(request, pk)
    return render(request, "academy/teacher.html", {
        "t": t, "review_form": ReviewForm(), "merge_form": MergeForm(),
        "is_office": services.is_office(request.user),
        "can_edit": services.is_office(request.user) or (services.is_academy(request.user)
                                                          and t.status != TeacherStatus.MERGED),
        "stale": t.confirmed_on < timezone.localdate() - dt.timedelta(days=services.refresh_days()),
    })


@login_required
def teacher_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    t = _teacher(request, pk)
    initial = {"name": t.name, "employer": t.employer, "majors": t.majors, "honours": t.honour_list,
               "title": t.title, "other_honours": t.other_honours}
    form = TeacherForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_teacher(request.user, t, form.cleaned_data)
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存"))
            return redirect("academy:teacher", pk=t.pk)
    return render(request, "academy/teacher_form.html", {"form": form, "teacher": t,
                                                         "office": services.is_office(request.user)})


@login_required
@require_POST
def teacher_review(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    t = _teacher(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))  # ErrorList yields str; the stubs say ValidationError | str
        return redirect("academy:teacher", pk=t.pk)
    try:
        services.review_teacher(request.user, t, form.cleaned_data["decision"] == "approve",
                                form.cleaned_data.get("reason", ""))
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("审核结果已保存"))
    return redirect("academy:teacher", pk=t.pk)


@login_required
@require_POST
def teacher_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    services.confirm_teacher(request.user, _teacher(request, pk))
    messages.success(request, _("已确认信息仍然有效"))
    return redirect("academy:teacher", pk=pk)


@login_required
@require_POST
def teacher_merge(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    t = _teacher(request, pk)
    form = MergeForm(request.POST)
    if form.is_valid():
        target = get_object_or_404(services.visible_teachers(request.user), pk=form.cleaned_data["into"])
        try:
            services.merge_teachers(request.user, t, target)
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已合并到 #{target.pk}")
            return redirect("academy:teacher", pk=target.pk)
    else:
        messages.error(request, _("请填写要合并到的记录编号"))
    return redirect("academy:teacher", pk=t.pk)


# --- trainees ----------------------------------------------------------------------------------------------


@login_required
def trainees(request: HttpRequest) -> HttpResponse:
    _guard(request)
    qs = services.visible_trainees(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(session_code__icontains=q) | Q(major__icontains=q) | Q(name=q))
    page = paginate(request, qs.order_by("-end_date", "-id"))
    return render(request, "academy/trainees.html", {
        "page": page, "q": q, "form": ImportForm(), "is_academy": services.is_academy(request.user),
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


# --- courses -----------------------------------------------------------------------------------------------


@login_required
def courses(request: HttpRequest) -> HttpResponse:
    _guard(request)
    qs = services.visible_courses(request.user).annotate(n_materials=Count("materials"))
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(major__icontains=q))
    form = CourseForm(request.POST or None)
    if request.method == "POST":
        services.require_academy(request.user)
        if form.is_valid():
            course = services.create_course(request.user, **form.cleaned_data)
            messages.success(request, _("课程已创建，请上传教学视频、课件和教案"))
            return redirect("academy:course", pk=course.pk)
    return render(request, "academy/courses.html", {
        "courses": qs[:300], "q": q, "form": form, "is_academy": services.is_academy(request.user)})


def _course(request: HttpRequest, pk: int) -> Course:
    return get_object_or_404(services.visible_courses(request.user), pk=pk)


@login_required
def course(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    c = _course(request, pk)
    own = services.is_academy(request.user) and c.academy_id == request.user.organisation_id  # type: ignore[union-attr]
    material_form = MaterialForm()
    publish_form = PublishForm()
    if request.method == "POST" and own:
        action = request.POST.get("action")
        try:
            if action == "upload":
                material_form = MaterialForm(request.POST, request.FILES)
                if material_form.is_valid():
                    services.add_material(request.user, c, material_form.cleaned_data["kind"],
                                          material_form.cleaned_data["file"])
                    messages.success(request, _("已上传"))
                    return redirect("academy:course", pk=c.pk)
            elif action == "publish":
                publish_form = PublishForm(request.POST)
                if publish_form.is_valid():
                    services.publish_course(request.user, c, declared=True)
                    messages.success(request, _("课程已发布，公众门户可见"))
                    return redirect("academy:course", pk=c.pk)
            elif action == "withdraw":
                services.withdraw_course(request.user, c)
                messages.success(request, _("课程已下架"))
                return redirect("academy:course", pk=c.pk)
            elif action == "remove":
                material = get_object_or_404(CourseMaterial, pk=request.POST.get("material"), course=c)
                services.remove_material(request.user, material)
                messages.success(request, _("已删除"))
                return redirect("academy:course", pk=c.pk)
        except UploadError as exc:
            material_form.add_error("file", str(exc))
        except TransitionRefused as exc:
            messages.error(request, str(exc))
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "academy/course.html", {
        "c": c, "own": own, "materials": c.materials.all(), "material_form": material_form,
        "publish_form": publish_form, "material_url": "academy:material"})


_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


def serve_material(request: HttpRequest, material: CourseMaterial) -> HttpResponseBase:
    """Stream a course file inline, honouring single byte ranges so <video> can seek."""
    storage, name = material.file.storage, material.file.name
    if not name or not storage.exists(name):
        raise Http404
    size = storage.size(name)  # the local disk or the object store alike
    content_type = CONTENT_TYPES.get(material.file_type, "application/octet-stream")
    match = _RANGE.match(request.headers.get("Range", "").strip())
    if match and (match.group(1) or match.group(2)):
        if match.group(1):
            start = int(match.group(1))
            end = int(match.group(2)) if match.group(2) else size - 1
        else:
            start, end = max(0, size - int(match.group(2))), size - 1
        end = min(end, size - 1)
        if start > end or start >= size:
            response: HttpResponseBase = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response

        def chunks() -> Any:
            with storage.open(name, "rb") as fh:
                fh.seek(start)
                remaining = end - start + 1
                while remaining > 0:
                    block = fh.read(min(1 << 16, remaining))
                    if not block:
                        break
                    remaining -= len(block)
                    yield block

        response = StreamingHttpResponse(chunks(), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    disposition = "inline" if material.file_type in ("mp4", "webm", "pdf") else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''material-{material.pk}.{material.file_type}"
    response["Cache-Control"] = "private, no-store" if not material.course.is_public else "public, max-age=300"
    return response


@xframe_options_sameorigin
@login_required
def material(request: HttpRequest, pk: int) -> HttpResponseBase:
    m = get_object_or_404(CourseMaterial.objects.select_related("course"), pk=pk)
    if not services.material_visible(request.user, m):
        raise Http404
    return serve_material(request, m)


# --- offerings ---------------------------------------------------------------------------------------------


@login_required
def offerings(request: HttpRequest) -> HttpResponse:
    _guard(request)
    form = OfferingForm(request.POST or None)
    if request.method == "POST":
        services.require_academy(request.user)
        if form.is_valid():
            try:
                services.create_offering(request.user, **form.cleaned_data)
            except TransitionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("培训项目已保存"))
                return redirect("academy:offerings")
    return render(request, "academy/offerings.html", {
        "offerings": services.visible_offerings(request.user)[:200], "form": form,
        "is_academy": services.is_academy(request.user)})

