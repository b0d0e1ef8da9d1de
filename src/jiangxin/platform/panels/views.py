"""Panel pages. Office: list, create, manage (experts, applications, progress, results, replace, reopen).
Expert: my assignments, declaration, score sheet (live total via htmx), sign-off, the panel's other sheets."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.applications.details import sheet_fields
from jiangxin.platform.applications.models import Evidence
from jiangxin.platform.core.files import serve_private_file
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.panels import rubrics, services
from jiangxin.platform.panels.forms import (
    AssignForm,
    DeclarationForm,
    ExpertsForm,
    PanelCreateForm,
    ReopenForm,
    ReplaceForm,
)
from jiangxin.platform.panels.models import Panel, ScoreSheet, SheetStatus
from jiangxin.policy.errors import FactsError

MANAGERS = tuple(sorted(services.MANAGER_ROLES))


# ------------------------------------------------------------------------------------------ office


def _managed(request: HttpRequest, pk: int) -> Panel:
    return get_object_or_404(services.managed_panels(request.user), pk=pk)


@role_required(*MANAGERS)
def panel_list(request: HttpRequest) -> HttpResponse:
    panels = services.managed_panels(request.user).prefetch_related("members", "assignments")
    return render(request, "panels/list.html", {"panels": panels})


@role_required(*MANAGERS)
def panel_create(request: HttpRequest) -> HttpResponse:
    form = PanelCreateForm(request.POST or None, user=request.user,
                           initial={})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            panel = services.create_panel(request.user, d["round"], stage_key=d["stage_key"], title=d["title"],
                                          rubric_key=d["rubric_key"], aggregation=d["aggregation"],
                                          trim_count=d["trim_count"], trim_min_experts=d["trim_min_experts"],
                                          rubric_yaml=d["rubric_yaml"])
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("评审专家组已组建，请添加专家并分配申报。"))
            return redirect("panels:detail", panel.pk)
    return render(request, "panels/create.html", {"form": form})


def _progress(panel: Panel) -> tuple[list[Any], list[dict[str, Any]]]:
    members = list(panel.members.select_related("expert", "expert__organisation"))
    sheets = {(s.member_id, s.application_id): s for s in ScoreSheet.objects.filter(member__panel=panel)}
    rows = []
    for assignment in panel.assignments.select_related("application", "application__applicant_org"):
        app = assignment.application
        cells = [sheets.get((m.pk, app.pk)) for m in members]
        rows.append({"application": app, "cells": cells, "result": services.result_for(panel, app)})
    return members, rows


@role_required(*MANAGERS)
def panel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    panel = _managed(request, pk)
    members, rows = _progress(panel)
    rubric = services.panel_rubric(panel)
    return render(request, "panels/detail.html", {
        "panel": panel, "members": members, "rows": rows, "rubric": rubric,
        "experts_form": ExpertsForm(panel=panel), "assign_form": AssignForm(panel=panel),
        "replace_form": ReplaceForm(panel=panel), "reopen_form": ReopenForm(),
        "stage_complete": services.panel_stage_complete(panel.round, panel.stage_key)})


@role_required(*MANAGERS)
@require_POST
def panel_add_experts(request: HttpRequest, pk: int) -> HttpResponse:
    panel = _managed(request, pk)
    form = ExpertsForm(request.POST, panel=panel)
    if form.is_valid():
        try:
            added = services.add_experts(request.user, panel, list(form.cleaned_data["experts"]))
            messages.success(request, _("已添加 %(n)s 位专家。") % {"n": len(added)})
        except TransitionRefused as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("请选择要添加的专家。"))
    return redirect("panels:detail", panel.pk)


@role_required(*MANAGERS)
@require_POST
def panel_assign(request: HttpRequest, pk: int) -> HttpResponse:
    panel = _managed(request, pk)
    form = AssignForm(request.POST, panel=panel)
    if form.is_valid():
        try:
            made = services.assign_applications(request.user, panel, list(form.cleaned_data["applications"]))
            messages.success(request, _("已分配 %(n)s 份申报。") % {"n": len(made)})
        except TransitionRefused as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("请选择要分配的申报。"))
    return redirect("panels:detail", panel.pk)


def _managed_sheet(request: HttpRequest, pk: int) -> ScoreSheet:
    sheet = get_object_or_404(services.visible_sheets(request.user), pk=pk)
    if not services.can_manage(request.user, sheet.member.panel):
        raise Http404
    return sheet


@role_required(*MANAGERS)
@require_POST
def sheet_replace(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _managed_sheet(request, pk)
    form = ReplaceForm(request.POST, panel=sheet.member.panel)
    if form.is_valid():
        try:
            services.replace_expert(request.user, sheet, form.cleaned_data["expert"])
            messages.success(request, _("已指定替补专家。"))
        except TransitionRefused as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("请选择替补专家。"))
    return redirect("panels:detail", sheet.member.panel_id)


@role_required(*MANAGERS)
@require_POST
def sheet_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _managed_sheet(request, pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_sheet(request.user, sheet, reason=form.cleaned_data["reason"])
            messages.success(request, _("评分表已退回专家重评。"))
        except TransitionRefused as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("请填写退回重评的原因。"))
    return redirect("panels:detail", sheet.member.panel_id)


# ------------------------------------------------------------------------------------------ expert


@role_required(Role.EXPERT)
def my_assignments(request: HttpRequest) -> HttpResponse:
    sheets = services.visible_sheets(request.user).order_by("member__panel", "application_id")
    return render(request, "panels/mine.html", {"sheets": sheets})


def _sheet(request: HttpRequest, pk: int) -> ScoreSheet:
    """A sheet the user may read: 404 for everyone else (no hint that it exists)."""
    sheet = get_object_or_404(ScoreSheet.objects.select_related(
        "member", "member__expert", "member__panel", "member__panel__round", "member__panel__round__program",
        "application", "application__applicant_org", "application__applicant_person"), pk=pk)
    if not services.may_view_sheet(request.user, sheet):
        raise Http404
    return sheet


def _own(request: HttpRequest, pk: int) -> ScoreSheet:
    sheet = _sheet(request, pk)
    if sheet.member.expert_id != request.user.pk:
        raise Http404
    return sheet


def _application_context(sheet: ScoreSheet) -> dict[str, Any]:
    app = sheet.application
    labels = sheet_fields(app.round.program.key)
    details = [(label, app.details.get(name, "")) for name, label, _w, _r in labels if app.details.get(name)]
    return {"app": app, "details": details, "evidence": list(app.evidence.all())}


def _specs(sheet: ScoreSheet, values: dict[str, Any] | None = None,
           notes: dict[str, str] | None = None) -> tuple[Any, list[rubrics.ItemSpec]]:
    rubric = services.panel_rubric(sheet.member.panel)
    if values is None or notes is None:
        values, notes = services.stored_entries(sheet)
    specs = rubrics.item_specs(rubric, values, notes)
    breakdown = {i["key"]: i for i in (sheet.result or {}).get("breakdown", [])}
    for spec in specs:
        if spec.key in breakdown:
            spec.awarded = breakdown[spec.key]["awarded"]
            spec.detail = breakdown[spec.key]["detail"]
    return rubric, specs


@login_required
def sheet_view(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _sheet(request, pk)
    owner = sheet.member.expert_id == request.user.pk
    if owner and sheet.status == SheetStatus.DRAFT and services.declaration_for(sheet) is None:
        return redirect("panels:declare", sheet.pk)
    rubric, specs = _specs(sheet)
    editing = owner and sheet.editable
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not editing:
            raise PermissionDenied("评分表已提交或已签字，不能再修改")
        parsed = rubrics.parse_post(rubric, request.POST)
        try:
            services.save_entries(request.user, sheet, parsed)
            if request.POST.get("action") == "submit":
                services.submit_sheet(request.user, sheet)
                messages.success(request, _("评分已提交。请核对后签字确认；现在可以查看本组其他专家已提交的评分。"))
            else:
                messages.success(request, _("评分已保存。"))
            return redirect("panels:sheet", sheet.pk)
        except TransitionRefused as exc:
            messages.error(request, str(exc))
            errors = parsed.errors
            _rubric, specs = _specs(sheet, parsed.entries, parsed.notes)
    for spec in specs:
        spec.error = errors.get(spec.key, "")
    context = {"sheet": sheet, "panel": sheet.member.panel, "rubric": rubric, "specs": specs, "owner": owner,
               "editing": editing, "declaration": services.declaration_for(sheet),
               "can_see_others": owner and sheet.handed_in, **_application_context(sheet)}
    if editing:
        context["live"] = _live_context(sheet, rubric, rubrics.parse_post(rubric, request.POST)
                                        if request.method == "POST" else None)
    return render(request, "panels/sheet.html", context)


def _live_context(sheet: ScoreSheet, rubric: Any, parsed: rubrics.Parsed | None) -> dict[str, Any]:
    if parsed is None:
        values, _notes = services.stored_entries(sheet)
        if not values:
            from django.http import QueryDict

            parsed = rubrics.parse_post(rubric, QueryDict())
        else:
            parsed = rubrics.Parsed(values, {}, [i.key for i in rubric.items if i.key not in values], {})
    titles = {i.key: i.title for i in rubric.items}
    live: dict[str, Any] = {"rubric": rubric, "missing": [titles[k] for k in parsed.missing],
                            "errors": [(titles.get(k, k), m) for k, m in parsed.errors.items()]}
    if parsed.complete:
        try:
            result, _trace = rubrics.score(rubric, parsed.entries)
        except FactsError as exc:
            live["errors"] = [(titles.get(k, k), m) for k, m in rubrics.facts_errors(rubric, exc).items()]
        else:
            live["result"] = result
    return live


@role_required(Role.EXPERT)
@require_POST
def sheet_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the live total computed by the policy scorer from the unsaved form."""
    sheet = _own(request, pk)
    rubric = services.panel_rubric(sheet.member.panel)
    live = _live_context(sheet, rubric, rubrics.parse_post(rubric, request.POST))
    return render(request, "panels/_live_total.html", {"live": live})


@role_required(Role.EXPERT)
def sheet_declare(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _own(request, pk)
    if services.declaration_for(sheet) is not None or sheet.status != SheetStatus.DRAFT:
        return redirect("panels:sheet", sheet.pk)
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = services.declare(request.user, sheet, conflict=form.cleaned_data["conflict"],
                                           reason=form.cleaned_data["reason"])
        except TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            if declaration.conflict:
                messages.warning(request, f"已回避：{declaration.reason}")
                return redirect("panels:mine")
            return redirect("panels:sheet", sheet.pk)
    return render(request, "panels/declare.html", {"sheet": sheet, "form": form, "app": sheet.application})


@role_required(Role.EXPERT)
@require_POST
def sheet_sign(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _own(request, pk)
    if not request.POST.get("confirm"):
        messages.error(request, _("请勾选确认后再签字。"))
        return redirect("panels:sheet", sheet.pk)
    try:
        services.sign_sheet(request.user, sheet)
        messages.success(request, _("已签字确认，评分表已锁定。"))
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    return redirect("panels:sheet", sheet.pk)


@role_required(Role.EXPERT)
def sheet_others(request: HttpRequest, pk: int) -> HttpResponse:
    """The panel's other handed-in sheets for this application — only once the expert's own is handed in."""
    sheet = _own(request, pk)
    if not sheet.handed_in:
        raise PermissionDenied("提交本人评分后才能查看其他专家的评分")
    others = [s for s in ScoreSheet.objects.filter(member__panel_id=sheet.member.panel_id,
                                                   application_id=sheet.application_id)
              .exclude(pk=sheet.pk).select_related("member__expert").order_by("id")]
    return render(request, "panels/others.html", {"sheet": sheet, "others": others})


@role_required(Role.EXPERT)
def evidence_download(request: HttpRequest, pk: int, evidence_id: int) -> FileResponse:
    """An assigned (non-recused) expert may read the application's evidence."""
    sheet = _own(request, pk)
    if sheet.status == SheetStatus.RECUSED:
        raise Http404
    evidence = get_object_or_404(Evidence, pk=evidence_id, application=sheet.application)
    from jiangxin.platform.applications.uploads import CONTENT_TYPES

    return serve_private_file(evidence.file, filename=evidence.original_name,
                              content_type=CONTENT_TYPES.get(evidence.file_type))
