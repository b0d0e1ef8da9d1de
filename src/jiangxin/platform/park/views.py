"""Park views: the park office sees every studio under its node, a studio (unit account) only its own,
every other role gets 403. Views never write models: they call the actions in ``actions``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.params import year_param
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.orgs.scope import visible_organisations
from jiangxin.platform.park import forms
from jiangxin.platform.park import selectors as selectors_park
from jiangxin.platform.park.actions import residency as residency_actions
from jiangxin.platform.park.actions.evaluation import open_rectification, recheck, record_evaluation
from jiangxin.platform.park.actions.exit import exit_residency
from jiangxin.platform.park.actions.offerings import publish_offering, record_benefits
from jiangxin.platform.park.actions.presence import import_presence, record_presence
from jiangxin.platform.park.actions.reports import submit_report
from jiangxin.platform.park.actions.requests import move_request, submit_request
from jiangxin.platform.park.actions.residency import record_payment, set_obligation
from jiangxin.platform.park.common import EXIT_GROUND_LABELS, is_office, visible_residencies
from jiangxin.platform.park.errors import ParkError
from jiangxin.platform.park.models import RequestStatus, ResidencyStatus
from jiangxin.platform.park.selectors import arrears, fee_months, public_offerings, visible_requests

PARK_ROLES = (Role.PARK_OFFICE, Role.UNIT)


def _fail(form: Any, exc: TransitionRefused) -> None:
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, str(exc))


@role_required(*PARK_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    residencies = list(visible_residencies(request.user).prefetch_related("rooms"))
    if request.user.role == Role.UNIT and not residencies:  # type: ignore[union-attr]
        raise PermissionDenied
    if request.user.role == Role.UNIT and len(residencies) == 1:  # type: ignore[union-attr]
        return redirect("park:detail", pk=residencies[0].pk)
    return render(request, "park/home.html", {"residencies": residencies,
                                              "office": is_office(request.user)})


@role_required(Role.PARK_OFFICE)
@require_http_methods(["GET", "POST"])
def admit(request: HttpRequest) -> HttpResponse:
    form = forms.AdmitForm(request.POST or None, request.FILES or None,
                           orgs=visible_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            residency = residency_actions.admit(request.user, studio_org=d["studio_org"], name=d["name"],
                                       agreement_no=d["agreement_no"], signed_on=d["signed_on"],
                                       admission_date=d["admission_date"], rooms=list(d["rooms"]),
                                       agreement_file=d["agreement_file"])
        except TransitionRefused as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("入驻已登记，免租期至 %(d)s。") % {"d": residency.rent_free_until})
            return redirect("park:detail", pk=residency.pk)
    return render(request, "park/admit.html", {"form": form}, status=400 if form.errors else 200)


@role_required(Role.PARK_OFFICE)
def fees(request: HttpRequest) -> HttpResponse:
    rows = []
    for residency in visible_residencies(request.user):
        outcome = arrears(residency)
        rows.append({"residency": residency, "outcome": outcome})
    return render(request, "park/fees.html", {"rows": rows})


@role_required(Role.PARK_OFFICE)
@require_http_methods(["GET", "POST"])
def presence_import(request: HttpRequest) -> HttpResponse:
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = import_presence(request.user, form.cleaned_data["file"])
        except TransitionRefused as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("已导入 %(n)s 条到园记录。") % {"n": count})
            return redirect("park:home")
    return render(request, "park/import.html", {"form": form}, status=400 if form.errors else 200)


OFFICE_ACTIONS = {"fee": forms.FeeForm, "payment": forms.PaymentForm, "presence": forms.PresenceForm,
                  "evaluation": forms.EvaluationForm, "rectification": forms.RectificationForm,
                  "recheck": forms.RecheckForm, "exit": forms.ExitForm, "benefits": forms.BenefitForm}


def _office_form(action: str, residency: Any, data: Any, initial: dict[str, Any] | None = None) -> Any:
    if action == "exit":
        return forms.ExitForm(data, initial=initial, residency=residency)
    return OFFICE_ACTIONS[action](data, initial=initial)


def _apply(request: HttpRequest, action: str, residency: Any, d: dict[str, Any]) -> str:
    user = request.user
    if action == "fee":
        set_obligation(user, residency, d["month"], utilities=d["utilities"], property_fee=d["property_fee"])
        return _("应缴费用已登记。")
    if action == "payment":
        record_payment(user, residency, d["month"], amount=d["amount"], paid_on=d["paid_on"])
        return _("缴费已登记。")
    if action == "presence":
        record_presence(user, residency, d["month"], d["days"])
        return _("到园天数已登记。")
    if action == "evaluation":
        ev = record_evaluation(user, residency, d["year"], d["facts"] or {}, pass_mark=d["pass_mark"])
        return _("评估结果已登记：%(t)s 分。") % {"t": ev.total}
    if action == "rectification":
        rect = open_rectification(user, residency, d["year"], notice_date=d["notice_date"],
                                           period_months=d["period_months"], pass_mark=d["pass_mark"],
                                           fraud_found=d["fraud_found"])
        return _("已下达整改通知，截止 %(d)s。") % {"d": rect.deadline}
    if action == "recheck":
        rect = residency.rectifications.first()
        if rect is None:
            raise ParkError(_("没有进行中的整改。"))
        rect = recheck(user, rect, recheck_date=d["recheck_date"], recheck_total=d["recheck_total"])
        return _("复查已登记：%(s)s。") % {"s": rect.stage}
    if action == "exit":
        exit_residency(user, residency, on=d["on"], ground=d["ground"], reference=d["reference"],
                                note=d["note"], expect=request.POST.get("expect") or None)
        return _("已取消入驻资格。")
    record_benefits(user, residency, as_of=d["as_of"], upgraded_to_business=d["upgraded_to_business"],
                             outstanding_in=d["outstanding_in"], startup_subsidy_amount=d["startup_subsidy_amount"],
                             performance_reward_amount=d["performance_reward_amount"])
    return _("优惠政策已认定。")


@role_required(*PARK_ROLES)
@require_http_methods(["GET", "POST"])
def residency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    residency = get_object_or_404(visible_residencies(request.user), pk=pk)
    office = is_office(request.user)
    bound: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        if not office:
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action not in OFFICE_ACTIONS:
            raise PermissionDenied
        form = _office_form(action, residency, request.POST)
        if form.is_valid():
            try:
                messages.success(request, _apply(request, action, residency, form.cleaned_data))
            except TransitionRefused as exc:
                _fail(form, exc)
            else:
                return redirect("park:detail", pk=residency.pk)
        bound[action] = form
        status = 400
    today = timezone.localdate()
    year = year_param(request.GET.get("year"), today.year)
    presence_rows, presence = selectors_park.presence_rows(residency, year)
    initial = {"year": year, "on": today, "as_of": today, "notice_date": today, "recheck_date": today,
               "paid_on": today}
    office_forms = {name: bound.get(name) or _office_form(name, residency, None, initial)
                    for name in OFFICE_ACTIONS} if office else {}
    context = {
        "r": residency, "office": office, "year": year, "years": range(today.year, residency.admission_date.year - 1, -1),
        "rooms": residency.rooms.all(), "fee_months": fee_months(residency),
        "arrears": arrears(residency), "presence_rows": presence_rows, "presence": presence,
        "reports": residency.reports.filter(year=year), "evaluations": residency.evaluations.order_by("-year"),
        "rectifications": residency.rectifications.all(), "benefits": residency.benefits.all()[:5],
        "offerings": residency.offerings.all(), "forms": office_forms,
        "exit_labels": [EXIT_GROUND_LABELS.get(g, g) for g in
                        (residency.exit_outcome or {}).get("value", {}).get("grounds", [])],
        "exited": residency.status == ResidencyStatus.EXITED,
    }
    return render(request, "park/detail.html", context, status=status)


@role_required(*PARK_ROLES)
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    residency = get_object_or_404(visible_residencies(request.user), pk=pk)
    form = forms.ReportForm(request.POST or None, request.FILES or None,
                            initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            submit_report(request.user, residency, year=d["year"], kind=d["kind"], title=d["title"],
                                   count=d["count"], level=d["level"], grade=d["grade"], amount=d["amount"],
                                   evidence=d["evidence"])
        except TransitionRefused as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("数据已报送。"))
            return redirect("park:detail", pk=residency.pk)
    return render(request, "park/form.html", {"form": form, "r": residency, "title": _("报送数据"),
                                              "multipart": True}, status=400 if form.errors else 200)


@role_required(*PARK_ROLES)
@require_http_methods(["GET", "POST"])
def offering_new(request: HttpRequest, pk: int) -> HttpResponse:
    residency = get_object_or_404(visible_residencies(request.user), pk=pk)
    form = forms.OfferingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            publish_offering(request.user, residency, kind=d["kind"], title=d["title"],
                                      description=d["description"])
        except TransitionRefused as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("服务已发布到公共服务目录。"))
            return redirect("park:detail", pk=residency.pk)
    return render(request, "park/form.html", {"form": form, "r": residency, "title": _("发布服务")},
                  status=400 if form.errors else 200)


@role_required(*PARK_ROLES)
def request_list(request: HttpRequest) -> HttpResponse:
    reqs = visible_requests(request.user)
    wanted = request.GET.get("status", "")
    if wanted in RequestStatus.values:
        reqs = reqs.filter(status=wanted)
    return render(request, "park/requests.html", {"requests": reqs[:300], "statuses": RequestStatus.choices,
                                                  "wanted": wanted})


@role_required(*PARK_ROLES)
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(visible_requests(request.user), pk=pk)
    residencies = visible_residencies(request.user).exclude(status=ResidencyStatus.EXITED)
    form = forms.RouteForm(request.POST or None, residencies=residencies)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            move_request(request.user, req, d["to"], residency=d["residency"], note=d["note"])
        except TransitionRefused as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("已更新。"))
            return redirect("park:request_detail", pk=req.pk)
    return render(request, "park/request_detail.html", {"req": req, "form": form,
                                                        "office": is_office(request.user)},
                  status=400 if form.errors else 200)


# --------------------------------------------------------------------------------------------------------
# public (no login)


def public_catalogue(request: HttpRequest) -> HttpResponse:
    offerings = list(public_offerings())
    return render(request, "park/public_catalogue.html", {"offerings": offerings})


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "")


@require_http_methods(["GET", "POST"])
def public_request(request: HttpRequest) -> HttpResponse:
    offerings = public_offerings()
    initial: dict[str, Any] = {}
    chosen = request.GET.get("offering", "")
    if chosen.isdecimal():
        offering = offerings.filter(pk=int(chosen)).first()
        if offering is not None:
            initial = {"offering": offering.pk, "kind": offering.kind}
    form = forms.ServiceRequestForm(request.POST or None, offerings=offerings, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            req = submit_request(enterprise_name=d["enterprise_name"], credit_code=d["credit_code"],
                                          contact_name=d["contact_name"], contact_phone=d["contact_phone"],
                                          need=d["need"], kind=d["kind"], offering=d["offering"],
                                          address=_client_address(request))
        except TransitionRefused as exc:
            _fail(form, exc)
        else:
            return render(request, "park/public_thanks.html", {"req": req})
    return render(request, "park/public_request.html", {"form": form},
                  status=400 if request.method == "POST" else 200)

