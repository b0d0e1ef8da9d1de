"""Staff pages (publicity/) and public pages (public/notices/, no login)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangxin.platform.accounts import ratelimit
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.publicity import services
from jiangxin.platform.publicity.forms import NamingDateForm, NoticeForm, ObjectionForm, VerifyForm
from jiangxin.platform.publicity.models import NoticeEntry, Objection
from jiangxin.platform.rounds.models import Round, RoundStatus

STAFF = (Role.OFFICE, Role.PARK_OFFICE)


def _manageable_rounds(user: Any) -> list[Round]:
    from jiangxin.platform.rounds.services import managed_programs

    return list(Round.objects.filter(program__in=managed_programs(user)).exclude(status=RoundStatus.DRAFT)
                .select_related("program").order_by("-year", "program__key", "id"))


@role_required(*STAFF)
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = services.visible_notices(request.user)
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    return render(request, "publicity/list.html", {"page": page, "rounds": _manageable_rounds(request.user),
                                                   "today": timezone.localdate()})


@role_required(*STAFF)
def notice_create(request: HttpRequest, round_id: int) -> HttpResponse:
    rnd = get_object_or_404(Round.objects.select_related("program", "organiser"), pk=round_id)
    if not services.can_run(request.user, rnd):
        raise Http404
    form = NoticeForm(request.POST or None, round_obj=rnd,
                      initial={"title": _("%(round)s拟命名名单公示") % {"round": rnd.title},
                               "start": timezone.localdate()})
    missing_year = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            notice = services.open_notice(rnd, d["applications"], start=d["start"], actor=request.user,
                                          title=d["title"], reference=d["reference"], intro=d["intro"])
        except services.TransitionRefused as exc:
            field = getattr(exc, "field", None)
            form.add_error(field if field in form.fields else None, str(exc))
            missing_year = getattr(exc, "calendar_year", None)
        else:
            messages.success(request, _("公示已发布：%(s)s 至 %(e)s。") % {
                "s": notice.window_start.isoformat(), "e": notice.window_end.isoformat()})
            return redirect("publicity:detail", pk=notice.pk)
    return render(request, "publicity/create.html", {"form": form, "round": rnd, "year": missing_year})


@role_required(*STAFF)
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(services.visible_notices(request.user), pk=pk)
    entries = list(notice.entries.select_related("application"))
    objections = list(notice.objections.select_related("entry", "decided_by"))
    rows = [{"entry": e, "clearance": services.clearance(e.application),
             "objections": [o for o in objections if o.entry_id == e.pk]} for e in entries]
    date_form = NamingDateForm(request.GET or None)
    planned = date_form.cleaned_data.get("planned") if date_form.is_valid() else None
    naming = services.naming_check(notice.round, planned)
    return render(request, "publicity/detail.html", {
        "notice": notice, "rows": rows, "objections": objections, "verify_form": VerifyForm(),
        "naming": naming, "date_form": date_form, "outcome": notice.outcome})


@role_required(*STAFF)
@require_POST
def objection_verify(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(Objection.objects.select_related("notice", "entry"), pk=pk,
                                  notice__in=services.visible_notices(request.user))
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            services.verify_objection(objection, actor=request.user, status=form.cleaned_data["status"],
                                      note=form.cleaned_data["note"], expect=request.POST.get("expect") or None)
        except services.TransitionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已记录异议 %(r)s 的核实结论。") % {"r": objection.receipt})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))  # ErrorList yields str; the stubs say ValidationError | str
    return redirect("publicity:detail", pk=objection.notice_id)


# ---- public -------------------------------------------------------------------------------------------

def public_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    notices = list(services.public_notices(today)[:200])
    return render(request, "publicity/public_list.html", {
        "current": [n for n in notices if n.window_end >= today],
        "past": [n for n in notices if n.window_end < today], "today": today})


def _client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: a forwarded-for header is set by the sender and cannot be trusted here
    return str(request.META.get("REMOTE_ADDR") or "")


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(services.public_notices(), pk=pk)
    entries = list(notice.entries.all())
    open_now = notice.is_open
    form = ObjectionForm(request.POST or None, notice=notice)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        if not open_now:
            form.add_error(None, _("公示期已结束或尚未开始，不受理异议。"))
        elif ratelimit.check_and_hit("objection_address", _client_address(request)):
            # every POST counts, valid or not (the per-hour limit on accepted objections is in the service)
            form.add_error(None, _("提交过于频繁，请一小时后再试。"))
            status = 429
        elif form.is_valid():
            d = form.cleaned_data
            entry = get_object_or_404(NoticeEntry, pk=d["entry"], notice=notice)
            try:
                objection = services.submit_objection(
                    notice, entry=entry, anonymous=d["anonymous"], name=d["name"], contact=d["contact"],
                    content=d["content"], address=_client_address(request))
            except services.TransitionRefused as exc:
                field = getattr(exc, "field", None)
                form.add_error(field if field in form.fields else None, str(exc))
            else:
                messages.success(request, _("您的异议已受理，受理编号 %(r)s。我们将核实并通过您留下的联系方式反馈。")
                                 % {"r": objection.receipt})
                return redirect("public_notices:detail", pk=notice.pk)
    return render(request, "publicity/public_detail.html", {
        "notice": notice, "entries": entries, "form": form, "open_now": open_now,
        "show_id": any(e.masked_id for e in entries),
        "show_occupation": any(e.extra.get("occupation") for e in entries)}, status=status)
