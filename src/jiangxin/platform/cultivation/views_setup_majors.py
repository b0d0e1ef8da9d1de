"""Views of the cultivation year's setup part, majors and the choice: training units' majors, the trainees'
choice, the trainee lists (mentor assignment) and the 附件1 export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.params import id_param
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.cultivation import forms_setup as F
from jiangxin.platform.cultivation.access import is_province_office, training_unit_of, visible_enrolments
from jiangxin.platform.cultivation.actions.choices import choose_major, record_choice
from jiangxin.platform.cultivation.actions.majors import publish_major, save_major
from jiangxin.platform.cultivation.actions.mentors import assign_mentor
from jiangxin.platform.cultivation.models import CultivationYear, Major, Mentor
from jiangxin.platform.cultivation.selectors.setup import (
    choice_open,
    choices_xlsx,
    city_bureaus,
    mentor_outcome,
    published_majors,
    trainee_key,
)
from jiangxin.platform.cultivation.views_setup import STAFF, XLSX, _data, _expect, _may_see_lists, _year

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
    if raw.isdecimal():
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
        enrolment = get_object_or_404(qs, pk=id_param(request.POST.get("enrolment")) or 0)
        major = get_object_or_404(Major, pk=id_param(request.POST.get("major")) or 0, year=year)
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
