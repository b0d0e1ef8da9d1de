"""Designation pages: the staff directory (scoped), a designation's page with its history, and the holder's
own "my designation" page with status, events (with articles) and money."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangxin.platform.accounts.roles import ADMIN_ROLES, Role
from jiangxin.platform.core import answers
from jiangxin.platform.core.paginate import paginate
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.designations import services
from jiangxin.platform.designations.forms import LeaderForm, SanctionForm
from jiangxin.platform.designations.models import LIVE, Designation, DesignationStatus
from jiangxin.platform.designations.sanctions import grounds_for, sanction

STAFF = (Role.OFFICE, Role.DISTRICT, Role.PARK_OFFICE, Role.FINANCE)
HOLDERS = (Role.UNIT, Role.TRAINING_UNIT, Role.INDIVIDUAL, Role.TRAINEE)


def money(designation: Designation) -> dict[str, Any] | None:
    """The designation's funding ledger entries and total (answered by the ledger app)."""
    return dict(answers.ask("designations.money", designation))


def _get(request: HttpRequest, pk: int) -> Designation:
    d = services.directory_queryset(request.user).filter(pk=pk).first()
    if d is None:
        raise Http404
    return d


@role_required(*STAFF)
def directory(request: HttpRequest) -> HttpResponse:
    qs = services.directory_queryset(request.user)
    program = request.GET.get("program", "")
    status = request.GET.get("status", "")
    if program:
        qs = qs.filter(program=program)
    if status in DesignationStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("ended"):
        qs = qs.filter(status__in=LIVE, ends_on__lt=timezone.localdate())
    page = paginate(request, qs.defer("ends_outcome", "status_reason"))
    return render(request, "designations/directory.html", {
        "designations": page, "program": program, "status": status, "statuses": DesignationStatus.choices,
        "programs": _program_titles(services.known_programs())})


def _program_titles(keys: list[str]) -> list[tuple[str, str]]:
    """(key, title) of each program in the reader's language, from the label layer (no query)."""
    from jiangxin.platform.core.templatetags.rules import program_title

    return [(key, program_title(key)) for key in keys]


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "role", "") not in HOLDERS:
        raise PermissionDenied
    held = list(services.held_by(request.user).prefetch_related("events"))
    return render(request, "designations/mine.html",
                  {"held": [(d, money(d)) for d in held]})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    if getattr(request.user, "role", "") in ADMIN_ROLES:
        raise PermissionDenied
    d = _get(request, pk)
    acting = getattr(request.user, "role", "") in services.ACTING_ROLES
    return render(request, "designations/detail.html", {
        "d": d, "events": d.events.select_related("actor").order_by("at", "id"), "money": money(d),
        "acting": acting, "status_form": _sanction_form(d) if acting else None,
        "leader_form": LeaderForm(user=request.user, designation=d) if acting else None})


def _sanction_form(d: Designation, data: Any = None) -> SanctionForm:
    return SanctionForm(data, grounds=grounds_for(d), status=d.status)


@require_POST
@role_required(Role.OFFICE, Role.PARK_OFFICE)
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    """处分与退出: only a ground the program's document lists, with its facts; a refusal shows the reason and the
    article and changes nothing; a form rendered before the designation moved on is refused."""
    d = _get(request, pk)
    form = _sanction_form(d, request.POST)
    if form.is_valid():
        try:
            sanction(d, ground=form.cleaned_data["ground"], facts=form.facts(), actor=request.user,
                     on=form.cleaned_data["on"] or None, expect=form.cleaned_data["expect"] or None)
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已按所选情形办理。"))
            return redirect("designations:detail", pk=d.pk)
    d.refresh_from_db()
    return render(request, "designations/detail.html", {
        "d": d, "events": d.events.order_by("at", "id"), "money": money(d), "acting": True,
        "status_form": form, "leader_form": LeaderForm(user=request.user, designation=d)}, status=400)


@require_POST
@role_required(Role.OFFICE, Role.PARK_OFFICE)
def leader(request: HttpRequest, pk: int) -> HttpResponse:
    d = _get(request, pk)
    form = LeaderForm(request.POST, user=request.user, designation=d)
    if form.is_valid():
        try:
            services.change_leader(d, form.cleaned_data["person_id"], actor=request.user,
                                   effective_on=form.cleaned_data["effective_on"], reason=form.cleaned_data["reason"])
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("领衔人变更已记录。"))
            return redirect("designations:detail", pk=d.pk)
    return render(request, "designations/detail.html", {
        "d": d, "events": d.events.order_by("at", "id"), "money": money(d), "acting": True,
        "status_form": _sanction_form(d), "leader_form": form}, status=400)
