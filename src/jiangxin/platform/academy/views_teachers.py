"""网上工匠学院 pages, the teacher pool (师资库, 第九条): the list, submitting or inviting a teacher, editing,
review, confirmation and merging duplicates."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangxin.platform.academy import services
from jiangxin.platform.academy.forms import MergeForm, ReviewForm, TeacherForm
from jiangxin.platform.academy.models import Teacher, TeacherStatus
from jiangxin.platform.academy.views import _guard
from jiangxin.platform.core.transitions import TransitionRefused

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
