"""Ledger pages: the holder records work and funds with evidence; staff read within their scope."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangxin.platform.applications.uploads import CONTENT_TYPES
from jiangxin.platform.core.params import year_param
from jiangxin.platform.designations.models import Designation
from jiangxin.platform.worklog import services
from jiangxin.platform.worklog.forms import EvidenceForm, FundForm, RecordForm
from jiangxin.platform.worklog.models import FundRecord, WorkEvidence, WorkRecord


def prefill_rubric(program: str) -> str | None:
    """The key of the program's annual-assessment rubric when the work records can prefill it, else None."""
    from jiangxin.platform.rounds.catalog import PROGRAM_INFO, declaration
    from jiangxin.policy.registry import PROGRAMS

    facts = declaration(program).assessment if program in PROGRAM_INFO else None
    if facts is None or not facts.rubric:
        return None
    key = str(PROGRAMS[program].resolve(facts.rubric).key)
    return key if key in services.ADAPTERS else None


def _designation(request: HttpRequest, pk: int) -> Designation:
    d = services.visible_designations(request.user).filter(pk=pk).first()
    if d is None:
        raise Http404
    return d


def _year(request: HttpRequest) -> int:
    return year_param(request.GET.get("year") or request.POST.get("year"), timezone.localdate().year)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    designations = services.visible_designations(request.user)
    if not designations.exists() and getattr(request.user, "role", "") not in (
            "unit", "training_unit", "office", "district", "park_office"):
        raise PermissionDenied
    return render(request, "worklog/index.html", {"designations": designations[:500]})


def _page(request: HttpRequest, d: Designation, *, record_form: Any = None, fund_form: Any = None,
          status: int = 200) -> HttpResponse:
    year = _year(request)
    records = services.records_for(request.user, d, year)
    prefill = None
    rubric = prefill_rubric(d.program)
    if rubric is not None:
        entries, ids = services.rubric_facts(d, year, rubric)
        prefill = [{"key": k, "value": v, "ids": ids.get(k, [])} for k, v in entries.items()]
        prefill += [{"key": k, "value": None, "ids": v} for k, v in ids.items() if k not in entries]
    editable = services.may_edit(request.user, d) and d.is_live
    return render(request, "worklog/ledger.html", {
        "d": d, "year": year, "years": range(d.designated_on.year, timezone.localdate().year + 1),
        "records": records, "funds": services.funds_for(request.user, d, year),
        "totals": services.fund_totals(d, year), "prefill": prefill, "rubric": rubric or "", "editable": editable,
        "record_form": record_form or (RecordForm() if editable else None),
        "fund_form": fund_form or (FundForm() if editable else None), "evidence_form": EvidenceForm()},
        status=status)


@login_required
def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _designation(request, pk))


@require_POST
@login_required
def record_new(request: HttpRequest, pk: int) -> HttpResponse:
    d = _designation(request, pk)
    if not services.may_edit(request.user, d):
        raise PermissionDenied
    form = RecordForm(request.POST)
    if form.is_valid():
        try:
            rec = services.create_record(request.user, d, form.cleaned_data)
        except services.WorklogError as exc:
            form.add_error(None, str(exc))
        else:
            if request.FILES.get("file"):
                try:
                    services.add_evidence(request.user, rec, request.FILES["file"])
                except services.UploadError as exc:
                    messages.error(request, _("记录已保存，但证明材料未上传：%(e)s") % {"e": exc})
            messages.success(request, _("已登记。"))
            return redirect(f"/worklog/{d.pk}/?year={rec.year}")
    return _page(request, d, record_form=form, status=400)


def _record(request: HttpRequest, rid: int) -> WorkRecord:
    rec = WorkRecord.objects.select_related("designation").filter(pk=rid).first()
    if rec is None or not services.visible_designations(request.user).filter(pk=rec.designation_id).exists():
        raise Http404
    if not services.may_edit(request.user, rec.designation):
        raise PermissionDenied
    return rec


@login_required
def record_edit(request: HttpRequest, rid: int) -> HttpResponse:
    rec = _record(request, rid)
    form = RecordForm(request.POST or None, instance=rec)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_record(request.user, rec, form.cleaned_data)
        except services.WorklogError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已修改。"))
            return redirect(f"/worklog/{rec.designation_id}/?year={form.cleaned_data['date'].year}")
    rec.refresh_from_db()
    return render(request, "worklog/record_edit.html", {"rec": rec, "form": form},
                  status=400 if request.method == "POST" else 200)


@require_POST
@login_required
def record_delete(request: HttpRequest, rid: int) -> HttpResponse:
    rec = _record(request, rid)
    try:
        services.delete_record(request.user, rec)
    except services.WorklogError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已删除。"))
    return redirect(f"/worklog/{rec.designation_id}/?year={rec.year}")


def _attach(request: HttpRequest, target: WorkRecord | FundRecord) -> HttpResponse:
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence(request.user, target, form.cleaned_data["file"])
        except (services.UploadError, services.WorklogError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("证明材料已上传。"))
    else:
        messages.error(request, _("请选择文件。"))
    return redirect(f"/worklog/{target.designation_id}/?year={target.year}")


@require_POST
@login_required
def record_evidence(request: HttpRequest, rid: int) -> HttpResponse:
    return _attach(request, _record(request, rid))


def _fund(request: HttpRequest, fid: int) -> FundRecord:
    fund = FundRecord.objects.select_related("designation").filter(pk=fid).first()
    if fund is None or not services.visible_designations(request.user).filter(pk=fund.designation_id).exists():
        raise Http404
    if not services.may_edit(request.user, fund.designation):
        raise PermissionDenied
    return fund


@require_POST
@login_required
def fund_new(request: HttpRequest, pk: int) -> HttpResponse:
    d = _designation(request, pk)
    if not services.may_edit(request.user, d):
        raise PermissionDenied
    form = FundForm(request.POST)
    if form.is_valid():
        try:
            fund = services.create_fund(request.user, d, **form.cleaned_data)
        except services.WorklogError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记。"))
            return redirect(f"/worklog/{d.pk}/?year={fund.year}")
    return _page(request, d, fund_form=form, status=400)


@require_POST
@login_required
def fund_delete(request: HttpRequest, fid: int) -> HttpResponse:
    fund = _fund(request, fid)
    services.delete_fund(request.user, fund)
    messages.success(request, _("已删除。"))
    return redirect(f"/worklog/{fund.designation_id}/?year={fund.year}")


@require_POST
@login_required
def fund_evidence(request: HttpRequest, fid: int) -> HttpResponse:
    return _attach(request, _fund(request, fid))


@login_required
def evidence_file(request: HttpRequest, eid: int) -> FileResponse:
    ev = WorkEvidence.objects.filter(pk=eid).first()
    if ev is None or not services.visible_designations(request.user).filter(pk=ev.designation_id).exists():
        raise Http404
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.original_name,
                        content_type=CONTENT_TYPES.get(ev.file_type, "application/octet-stream"))
