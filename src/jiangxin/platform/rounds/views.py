"""Round pages: list, detail, create, edit, open/close (office staff of the program's authority)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.rounds import services
from jiangxin.platform.rounds.forms import RoundForm, duration_words
from jiangxin.platform.rounds.models import Program, Round


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = services.visible_rounds(request.user)
    return render(request, "rounds/list.html", {
        "rounds": rounds, "managed": services.managed_programs(request.user)})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_object_or_404(services.visible_rounds(request.user), pk=pk)
    # whether one may apply and one's applications: the applications app's round_applications tag
    return render(request, "rounds/detail.html", {
        "round": rnd, "can_manage": services.can_manage(request.user, rnd.program),
        "parameter_rows": [{**row, "value_text": duration_words(row["value"])} for row in rnd.office_parameter_rows()]})


def _save(request: HttpRequest, form: RoundForm, rnd: Round | None) -> HttpResponse | None:
    if not form.is_valid():
        return None
    params = form.office_parameters()
    if form.errors:
        return None
    data = {k: form.cleaned_data[k] for k in form.Meta.fields}
    try:
        if rnd is None:
            saved = services.create_round(request.user, form.program, office_parameters=params, **data)
            messages.success(request, _("申报批次已创建（草稿）。"))
        else:
            saved = services.update_round(request.user, rnd, office_parameters=params, **data)
            messages.success(request, _("申报批次已保存。"))
    except services.RoundError as exc:
        form.add_error(None, str(exc))
        return None
    return redirect("rounds:detail", pk=saved.pk)


@login_required
def round_create(request: HttpRequest, program_key: str) -> HttpResponse:
    program = get_object_or_404(Program, key=program_key)
    if not services.can_manage(request.user, program):
        raise PermissionDenied(_("只有该项目主管部门的工作人员可以新建申报批次"))
    form = RoundForm(program, request.POST or None)
    if request.method == "POST" and (response := _save(request, form, None)) is not None:
        return response
    return render(request, "rounds/form.html", {"form": form, "program": program, "round": None})


@login_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_object_or_404(services.visible_rounds(request.user), pk=pk)
    if not services.can_manage(request.user, rnd.program):
        raise PermissionDenied(_("只有该项目主管部门的工作人员可以修改申报批次"))
    form = RoundForm(rnd.program, request.POST or None, instance=rnd)
    if request.method == "POST":
        # never let the ModelForm write the instance: the service does, with its checks and audit record
        form.instance = type(rnd).objects.get(pk=rnd.pk)
        if (response := _save(request, form, rnd)) is not None:
            return response
    return render(request, "rounds/form.html", {"form": form, "program": rnd.program, "round": rnd})


@login_required
@require_POST
def round_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    rnd = get_object_or_404(services.visible_rounds(request.user), pk=pk)
    if not services.can_manage(request.user, rnd.program):
        raise PermissionDenied(_("只有该项目主管部门的工作人员可以操作申报批次"))
    expect = request.POST.get("expect") or None
    try:
        if action == "open":
            services.open_for_applications(rnd, actor=request.user, expect=expect)
            messages.success(request, _("批次已开放申报。"))
        elif action == "close":
            services.close_for_applications(rnd, actor=request.user, expect=expect)
            messages.success(request, _("批次已截止。"))
        else:
            raise Http404
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    return redirect("rounds:detail", pk=rnd.pk)
