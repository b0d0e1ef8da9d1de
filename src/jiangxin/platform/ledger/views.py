"""Ledger pages: office (run, what-if, claims, budgets), finance (batches), unit (its money and why).
Views never write models: every change goes through ``services``."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.applications.formgen import validate_json_fields
from jiangxin.platform.applications.uploads import CONTENT_TYPES, EXTENSIONS
from jiangxin.platform.core.files import serve_private_file
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.templatetags.labels import computation_title
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.ledger import services
from jiangxin.platform.ledger.exports import batch_xlsx
from jiangxin.platform.ledger.forms import (
    BudgetForm,
    ClaimFactsForm,
    ClaimMetaForm,
    RunForm,
    WhatIfForm,
    claim_years,
    facts_table,
)
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
        except (services.LedgerError, TransitionRefused) as exc:
            messages.error(request, str(exc))
    context = {"run_form": run_form, "budget_form": budget_form, "what_if_form": WhatIfForm(prefix="wi"),
               "jobs": RunJob.objects.filter(created_by__organisation=getattr(request.user, "organisation", None)
                                             ).defer("report", "overrides")[:10],
               "budgets": Budget.objects.order_by("-year", "program")[:20]}
    return render(request, "ledger/office.html", context)


@role_required(Role.OFFICE)
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(RunJob, pk=pk, created_by__organisation=getattr(request.user, "organisation", None))
    try:
        services.retry_run(job, actor=request.user, expect=request.POST.get("expect") or None)
    except (TransitionRefused, services.LedgerError) as exc:
        messages.error(request, str(exc))
    return redirect("ledger:job", pk=job.pk)


@role_required(Role.OFFICE)
def job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(RunJob, pk=pk, created_by__organisation=getattr(request.user, "organisation", None))
    if job.status in (RunJob.Status.QUEUED, RunJob.Status.RUNNING) and services.recover_stale_runs():
        job.refresh_from_db()  # its worker died: shown as failed (with a retry) within a minute
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


#: facts the platform states itself on a claim (not in the unit's form)
HIDDEN_FACTS: dict[str, tuple[str, ...]] = {"innovation_awards": ("year",), "course_subsidy": ("already_granted",)}


def _claims_qs(user: Any) -> Any:
    qs = SubsidyClaim.objects.select_related("designation")
    return scope(qs, user, org_field="designation__holder_org" if getattr(user, "role", "") in UNIT_ROLES
                 else "designation__scope_org")


def _title(program: str, computation: str) -> str:
    return computation_title(program, computation)


@role_required(Role.OFFICE, Role.UNIT, Role.TRAINING_UNIT)
def claims(request: HttpRequest) -> HttpResponse:
    """Units: the per-item subsidies each of their designations may claim, and their claims. Office: the
    claims of its jurisdiction, pending first."""
    user = request.user
    offers = []
    if getattr(user, "role", "") in UNIT_ROLES:
        for d in _designations(user).filter(status__in=services.RUN_STATUSES).order_by("-year", "id"):
            items = [{"name": name, "title": _title(d.program, name),
                      "citation": get_computation(d.program, name).citation} for name in services.claimable(d.program)]
            if items:
                offers.append({"designation": d, "items": items})
    rows = [{"claim": c, "title": _title(c.program, c.computation)}
            for c in _claims_qs(user).order_by("status", "-claimed_at")[:200]]
    return render(request, "ledger/claims.html", {"offers": offers, "rows": rows, "pending": ClaimStatus.SUBMITTED})


def _claim_year(raw: Any) -> int:
    years = [y for y, _label in claim_years()]
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return years[0]
    return year if year in years else years[0]


@role_required(Role.UNIT, Role.TRAINING_UNIT)
def claim_new(request: HttpRequest, pk: int, computation: str) -> HttpResponse:
    """One per-item subsidy's claim form: generated from the computation's facts model, pre-filled from the
    platform's records, with a preview of the amount and its trace before submitting."""
    designation = get_object_or_404(_designations(request.user).filter(status__in=services.RUN_STATUSES), pk=pk)
    if computation not in services.claimable(designation.program):
        raise Http404
    comp = get_computation(designation.program, computation)
    year = _claim_year(request.POST.get("meta-year") if request.method == "POST" else request.GET.get("year"))
    prefill = services.claim_prefill(designation, computation, year)
    hidden = HIDDEN_FACTS.get(computation, ())
    quotas = services.award_quotas(designation, year) if computation == "innovation_awards" else None
    categories = [q["category"] for q in quotas if q["amount"] is not None] if quotas else None
    preview = None
    if request.method == "POST":
        add_row = request.POST.get("_add_row", "")
        form = ClaimFactsForm(comp, request.POST, extra_rows={add_row: 1} if add_row else {}, hidden=hidden,
                              categories=categories)
        meta = ClaimMetaForm(request.POST, request.FILES, prefix="meta", require_evidence="_submit" in request.POST)
        if not add_row:
            valid = form.is_valid() & meta.is_valid()
            if valid:
                validate_json_fields(form)
                valid = not form.errors
            if valid:
                facts = {**form.facts(), **{k: prefill[k] for k in hidden if k in prefill},
                         "as_of": services.claim_as_of(year).isoformat()}
                try:
                    if "_submit" in request.POST:
                        claim = services.submit_claim(designation, computation, facts, year=year, actor=request.user,
                                                      evidence=meta.cleaned_data["evidence"],
                                                      evidence_note=meta.cleaned_data["evidence_note"])
                        messages.success(request, _("已提交，测算金额 %(a)s 元，待主管部门审核。") % {"a": claim.amount})
                        return redirect("ledger:claim", pk=claim.pk)
                    amount, outcome = services.preview_claim(designation, computation, facts)
                    preview = {"amount": amount, "outcome": outcome}
                except services.ClaimFactsError as exc:
                    form.attach_problems(exc.problems)
                except (services.LedgerError, TransitionRefused) as exc:
                    form.add_error(None, str(exc))
    else:
        form = ClaimFactsForm(comp, initial_facts=prefill, hidden=hidden, categories=categories)
        meta = ClaimMetaForm(prefix="meta", initial={"year": year})
    return render(request, "ledger/claim_form.html", {
        "designation": designation, "comp": comp, "title": _title(designation.program, computation), "form": form,
        "meta": meta, "year": year,
        "years": claim_years(), "prefill": prefill, "preview": preview, "quotas": quotas,
        "already_granted": prefill.get("already_granted"), "editable": True})


def _claim_for(request: HttpRequest, pk: int) -> SubsidyClaim:
    return get_object_or_404(_claims_qs(request.user), pk=pk)


@role_required(Role.OFFICE, Role.UNIT, Role.TRAINING_UNIT)
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A claim as the office reviews it: facts as tables, evidence, amount with citations, budget and quota."""
    claim = _claim_for(request, pk)
    comp = get_computation(claim.program, claim.computation)
    pending = claim.status == ClaimStatus.SUBMITTED
    records = None
    if claim.computation == "upgrade_subsidy":
        known = services.claim_prefill(claim.designation, "upgrade_subsidy", claim.year).get("upgrades")
        if known and known != claim.facts.get("upgrades"):
            records = known
    return render(request, "ledger/claim_detail.html", {
        "claim": claim, "comp": comp, "title": _title(claim.program, claim.computation), "facts": facts_table(comp, claim.facts, claim.program), "outcome": claim.outcome,
        "lines": (claim.outcome.get("value") or {}).get("lines", []),
        "quotas": services.award_quotas(claim.designation, claim.year, claim)
        if claim.computation == "innovation_awards" else None,
        "warning": services.budget_warning(claim.program, claim.year, claim.amount) if pending else "",
        "records": records, "siblings": list(services.same_item_claims(claim).order_by("id")),
        "can_decide": pending and getattr(request.user, "role", "") == Role.OFFICE})


@role_required(Role.OFFICE, Role.UNIT, Role.TRAINING_UNIT)
def claim_evidence(request: HttpRequest, pk: int) -> FileResponse:
    claim = _claim_for(request, pk)
    name = claim.evidence.name if claim.evidence else ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
    return serve_private_file(claim.evidence, filename=f"claim-{claim.pk}-evidence.{extension}",
                              content_type=CONTENT_TYPES.get(EXTENSIONS.get(extension, ""), None))


@require_POST
@role_required(Role.OFFICE)
def claim_decide(request: HttpRequest, pk: int) -> HttpResponse:
    qs = scope(SubsidyClaim.objects.all(), request.user, org_field="designation__scope_org")
    claim = get_object_or_404(qs, pk=pk)
    try:
        services.decide_claim(claim, actor=request.user, approve=request.POST.get("decision") == "approve",
                              note=request.POST.get("note", ""), expect=request.POST.get("expect") or None)
        messages.success(request, _("已处理。"))
    except (services.LedgerError, TransitionRefused) as exc:
        messages.error(request, str(exc))
    return redirect("ledger:claim", pk=claim.pk)


@role_required(Role.OFFICE, Role.FINANCE)
def batches(request: HttpRequest) -> HttpResponse:
    form = RunForm(request.POST or None, prefix="batch")
    own = services.programs_of(request.user)
    program = cast(forms.ChoiceField, form.fields["program"])
    offered = cast("Iterable[tuple[str, str]]", program.choices)  # the stubs' getter type also admits callables
    program.choices = [c for c in offered if c[0] in own]
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
            except (services.LedgerError, TransitionRefused) as exc:
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
        services.approve_batch(b, actor=request.user, expect=request.POST.get("expect") or None)
        messages.success(request, _("批次已审批。"))
    except (services.LedgerError, TransitionRefused) as exc:
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
