"""Views of the results part, acceptance and money: the provincial acceptance (附件4) and funding via the ledger,
the trainee's certificate, and the expenses with their XLSX ledger."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jiangxin.platform.core.params import id_param
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.cultivation import forms_results as forms
from jiangxin.platform.cultivation.access import (
    CultivationError,
    is_province_office,
    training_unit_of,
    visible_enrolments,
)
from jiangxin.platform.cultivation.actions.acceptance import assess_unit
from jiangxin.platform.cultivation.actions.funding import post_funding, record_expense
from jiangxin.platform.cultivation.common_results import ZERO
from jiangxin.platform.cultivation.models import Enrolment, Expense, UnitAcceptance, UnitGrading
from jiangxin.platform.cultivation.selectors import results as results_selectors
from jiangxin.platform.cultivation.selectors.results import (
    certificate_docx,
    gradable_enrolments,
    my_enrolments,
    posted_entries,
    rubric_items,
    spending_outcome,
    visible_units,
)
from jiangxin.platform.cultivation.views_results import _file, _is_staff, _unit, _year

# ------------------------------------------------------------------------------------------------ acceptance


@login_required
@require_http_methods(["GET", "POST"])
def acceptance(request: HttpRequest, unit: int) -> HttpResponse:
    year = _year(request)
    org = _unit(request, year, unit)
    office = is_province_office(request.user)
    record = UnitAcceptance.objects.filter(year=year, training_unit=org).first()
    initial: dict[str, Any] = {}
    if record is not None:
        initial = {f"item_{k}": v for k, v in (record.item_scores or {}).items()}
        initial.update(finance_bureau=record.finance_bureau, provincial_assessor=record.provincial_assessor,
                       city_assessor=record.city_assessor)
    action = request.POST.get("action", "assess")
    data = request.POST if request.method == "POST" and action == "assess" else None
    form = forms.AcceptanceForm(data, initial=initial, items=rubric_items())
    if request.method == "POST":
        if not office:
            raise PermissionDenied
        try:
            if action == "fund":
                if record is None:
                    raise CultivationError(_("尚未完成省级考核验收。"))
                result = post_funding(request.user, record)
                messages.success(request, _("已核拨 %(n)s 笔，共 %(t)s 元。") % {"n": len(result["posted"]),
                                                                           "t": result["total"]})
                if result["existing"]:
                    messages.info(request, _("%(n)s 名培育对象此前已核拨，未重复入账。") % {"n": result["existing"]})
                if result["skipped"]:
                    messages.warning(request, _("以下培育对象没有入选记录，未能入账：%(names)s") % {
                        "names": "、".join(result["skipped"])})
                return redirect(f"{request.path}?year={year.year}")
            if form.is_valid():
                d = form.cleaned_data
                assess_unit(request.user, year, org, item_scores=form.item_scores(),
                                     finance_bureau=d["finance_bureau"], provincial_assessor=d["provincial_assessor"],
                                     city_assessor=d["city_assessor"])
                messages.success(request, _("验收结果已保存。"))
                return redirect(f"{request.path}?year={year.year}")
        except TransitionRefused as exc:
            messages.error(request, str(exc))
    passers = Enrolment.objects.filter(year=year, major__training_unit=org, passed=True).select_related("person")
    return render(request, "cultivation/results/acceptance.html", {
        "year": year, "unit": org, "acceptance": record, "form": form, "office": office,
        "grading": UnitGrading.objects.filter(year=year, training_unit=org).first(), "passers": passers,
        "entries": posted_entries(year, org).select_related("designation"),
        "posted": sum((e.amount for e in posted_entries(year, org)), ZERO)},
        status=400 if form.errors else 200)


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("person", "year", "major__training_unit"), pk=pk)
    mine = my_enrolments(request.user).filter(pk=pk).exists()
    if not (mine or visible_enrolments(request.user, enrolment.year).filter(pk=pk).exists()):
        raise Http404
    try:
        content = certificate_docx(enrolment)
    except TransitionRefused as exc:
        raise Http404(str(exc)) from exc
    return _file(content, f"合格证书-{enrolment.certificate_no}.docx")


# ------------------------------------------------------------------------------------------------ expenses


@login_required
@require_http_methods(["GET", "POST"])
def expenses(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    own = training_unit_of(request.user)
    if own is None and not _is_staff(request.user, year):
        raise PermissionDenied
    units = list(visible_units(request.user, year))
    if own is not None:
        units = [own]
    chosen = own
    if own is None and id_param(request.GET.get("unit")):
        chosen = next((u for u in units if u.pk == id_param(request.GET.get("unit"))), None)
    form = None
    if own is not None:
        enrolments = gradable_enrolments(year, own)
        form = forms.ExpenseForm(request.POST or None, request.FILES or None, enrolments=enrolments)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                record_expense(request.user, year, own, category=d["category"], amount=d["amount"],
                                        spent_on=d["spent_on"], description=d["description"],
                                        enrolment=d["enrolment"], at_unit_canteen=d["at_unit_canteen"],
                                        trainee_only=d["trainee_only"], evidence=d["evidence"])
            except TransitionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("支出已登记。"))
                return redirect(f"{request.path}?year={year.year}")
    elif request.method == "POST":
        raise PermissionDenied
    splits: list[dict[str, Any]] = [{"unit": u, "outcome": spending_outcome(year, u)} for u in units]
    lines = Expense.objects.filter(year=year, training_unit=chosen).select_related("enrolment__person") \
        if chosen else Expense.objects.none()
    chosen_outcome = next((s["outcome"] for s in splits if chosen and s["unit"].pk == chosen.pk), None)
    rejected = results_selectors.rejected_lines(chosen_outcome)
    flagged: dict[str, list[str]] = {}
    for r in rejected:
        flagged.setdefault(r["key"], []).append(r["reason"])
    rows = [{"line": x, "flag": _("；").join(flagged.get(f"L{x.pk}", []))} for x in lines]
    return render(request, "cultivation/results/expenses.html", {
        "year": year, "splits": splits, "chosen": chosen, "rows": rows, "outcome": chosen_outcome,
        "rejected": rejected, "form": form},
        status=400 if form is not None and form.errors else 200)


@login_required
def expenses_xlsx(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    own = training_unit_of(request.user)
    if own is None and not _is_staff(request.user, year):
        raise PermissionDenied
    units = [own] if own is not None else list(visible_units(request.user, year))
    return _file(results_selectors.expenses_xlsx(year, units), f"培育补助经费支出台账-{year.year}.xlsx")
