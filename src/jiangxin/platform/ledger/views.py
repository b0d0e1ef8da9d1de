"""Ledger pages: office (run, what-if, claims, budgets), finance (batches), unit (its money and why).
Views never write models: every change goes through ``services``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.ledger import services
from jiangxin.platform.ledger.exports import batch_xlsx
from jiangxin.platform.ledger.forms import BudgetForm, ClaimForm, RunForm, WhatIfForm
from jiangxin.platform.ledger.models import Budget, ClaimStatus, RunJob, SubsidyClaim
from jiangxin.platform.orgs.scope import scope
from jiangxin.policy.registry import get_computation

UNIT_ROLES = (Role.UNIT, Role.TRAINING_UNIT)


def _designations(user: Any) -> Any:
    from jiangxin.platform.designations.models import Designation

    qs = Designation.objects.all()
    if getattr(user, "role", "") in UNIT_ROLES:
        return scope(qs, user, org_field="holder_org")
    return scope(qs, user, org_field="scope_org")


@role_required(Role.OFFICE)
def office(request: HttpRequest) -> HttpResponse:
    run_form = RunForm(request.POST or None, prefix="run")
    budget_form = BudgetForm(request.POST or None, prefix="budget")
    if request.method == "POST":
        try:
            if "budget" in request.POST and budget_form.is_valid():
                c = budget_form.cleaned_data
                services.set_budget(c["program"], c["year"], c["amount"], actor=request.user, note=c["note"])
                messages.success(request, _("预算已保存。"))
                return redirect("ledger:office")
            if ("preview" in request.POST or "commit" in request.POST) and run_form.is_valid():
                c = run_form.cleaned_data
                job = services.start_run_job(c["program"], c["year"], actor=request.user,
                                             commit="commit" in request.POST)
                return redirect("ledger:job", pk=job.pk)
        except services.LedgerError as exc:
            messages.error(request, str(exc))
    context = {"run_form": run_form, "budget_form": budget_form, "what_if_form": WhatIfForm(prefix="wi"),
               "jobs": RunJob.objects.filter(created_by__organisation=getattr(request.user, "organisation", None)
                                             )[:10],
               "budgets": Budget.objects.order_by("-year", "program")[:20]}
    return render(request, "ledger/office.html", context)


@role_required(Role.OFFICE)
def job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(RunJob, pk=pk, created_by__organisation=getattr(request.user, "organisation", None))
    template = "ledger/_job.html" if getattr(request, "htmx", False) else "ledger/job.html"
    return render(request, template, {"job": job, "report": job.report, "progress": services.job_progress(job)})


@role_required(Role.OFFICE)
def what_if(request: HttpRequest) -> HttpResponse:
    form = WhatIfForm(request.GET or None, prefix="wi")
    comparison = None
    if request.GET and form.is_valid():
        c = form.cleaned_data
        overrides: dict[str, Any] = {}
        if c["shares"]:
            overrides["funding_shares"] = c["shares"]
        try:
            comparison = services.what_if(c["program"], c["year"], overrides, pass_mark=c["pass_mark"])
        except Exception as exc:  # a bad override: show the policy core's message
            messages.error(request, _("无法测算：%(e)s") % {"e": exc})
    return render(request, "ledger/what_if.html", {"form": form, "cmp": comparison})


@role_required(Role.OFFICE, Role.UNIT, Role.TRAINING_UNIT)
def claims(request: HttpRequest) -> HttpResponse:
    user = request.user
    designations = list(_designations(user).filter(status__in=services.RUN_STATUSES))
    computations = sorted({(name, get_computation(d.program, name).title) for d in designations
                           for name in services.claimable(d.program)})
    form = None
    if getattr(user, "role", "") in UNIT_ROLES:
        form = ClaimForm(request.POST or None, request.FILES or None, designations=designations,
                         computations=computations)
        if request.method == "POST" and form.is_valid():
            c = form.cleaned_data
            designation = next(d for d in designations if str(d.pk) == c["designation"])
            try:
                claim = services.submit_claim(designation, c["computation"], c["facts"], year=c["year"], actor=user,
                                              evidence=c["evidence"], evidence_note=c["evidence_note"])
                messages.success(request, _("已提交，测算金额 %(a)s 元，待主管部门审核。") % {"a": claim.amount})
                return redirect("ledger:claims")
            except services.LedgerError as exc:
                form.add_error(None, str(exc))
    qs = SubsidyClaim.objects.select_related("designation")
    qs = scope(qs, user, org_field="designation__holder_org" if getattr(user, "role", "") in UNIT_ROLES
               else "designation__scope_org")
    return render(request, "ledger/claims.html", {"form": form, "claims": qs[:200],
                                                  "pending": ClaimStatus.SUBMITTED})


@require_POST
@role_required(Role.OFFICE)
def claim_decide(request: HttpRequest, pk: int) -> HttpResponse:
    qs = scope(SubsidyClaim.objects.all(), request.user, org_field="designation__scope_org")
    claim = get_object_or_404(qs, pk=pk)
    try:
        services.decide_claim(claim, actor=request.user, approve=request.POST.get("decision") == "approve",
                              note=request.POST.get("note", ""))
        messages.success(request, _("已处理。"))
    except services.LedgerError as exc:
        messages.error(request, str(exc))
    return redirect("ledger:claims")


@role_required(Role.OFFICE, Role.FINANCE)
def batches(request: HttpRequest) -> HttpResponse:
    form = RunForm(request.POST or None, prefix="batch")
    if request.method == "POST":
        if getattr(request.user, "role", "") != Role.OFFICE:
            raise PermissionDenied
        if form.is_valid():
            try:
                b = services.create_batch(form.cleaned_data["program"], form.cleaned_data["year"],
                                          actor=request.user)
                warning = services.budget_warning(b.program, b.year, Decimal(0))
                if warning:
                    messages.warning(request, warning)
                return redirect("ledger:batch", pk=b.pk)
            except services.LedgerError as exc:
                messages.error(request, str(exc))
    return render(request, "ledger/batches.html", {"form": form, "batches": services.batches_for(request.user)})


@role_required(Role.OFFICE, Role.FINANCE)
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    b = get_object_or_404(services.batches_for(request.user), pk=pk)
    return render(request, "ledger/batch.html", {"batch": b, "entries": b.entries.select_related("designation"),
                                                 "warning": services.budget_warning(b.program, b.year, Decimal(0))})


@require_POST
@role_required(Role.FINANCE)
def batch_approve(request: HttpRequest, pk: int) -> HttpResponse:
    b = get_object_or_404(services.batches_for(request.user), pk=pk)
    try:
        services.approve_batch(b, actor=request.user)
        messages.success(request, _("批次已审批。"))
    except services.LedgerError as exc:
        messages.error(request, str(exc))
    return redirect("ledger:batch", pk=b.pk)


@role_required(Role.OFFICE, Role.FINANCE)
def batch_export(request: HttpRequest, pk: int) -> HttpResponse:
    b = get_object_or_404(services.batches_for(request.user), pk=pk)
    response = HttpResponse(batch_xlsx(b), content_type="application/vnd.openxmlformats-officedocument."
                                                          "spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="disbursement-{b.pk}.xlsx"'
    return response


@role_required(Role.UNIT, Role.TRAINING_UNIT, Role.OFFICE)
def unit(request: HttpRequest) -> HttpResponse:
    designations = list(_designations(request.user).order_by("-year", "id")[:100])
    rows = []
    for d in designations:
        entries = list(services.entries_for(request.user).filter(designation=d).order_by("year", "id"))
        rows.append({"designation": d, "entries": entries, "balance": services.balance(d),
                     "sanctions": list(d.sanctions.order_by("year", "id"))})
    return render(request, "ledger/unit.html", {"rows": rows})
