"""网上工匠学院 pages, courses (第十条) and offerings (第十六条): the course library, a course and its
materials (served with byte ranges), and the training offerings."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
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
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from jiangxin.platform.academy import services
from jiangxin.platform.academy.forms import CourseForm, MaterialForm, OfferingForm, PublishForm
from jiangxin.platform.academy.models import Course, CourseMaterial
from jiangxin.platform.academy.uploads import CONTENT_TYPES, UploadError
from jiangxin.platform.academy.views import _guard
from jiangxin.platform.core.params import id_param
from jiangxin.platform.core.transitions import TransitionRefused

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
                material = get_object_or_404(CourseMaterial, pk=id_param(request.POST.get("material")) or 0, course=c)
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
