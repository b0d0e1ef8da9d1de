"""Public verification (证书查验) under /verify/: no login, rate-limited, personal data masked.

The status shown is computed at look-up time from the document's own state (withdrawn, superseded) and the live
record it is about (designation, enrolment, residency), so a revocation, expiry or claw-back shows at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiangxin.platform.core.masking import mask_name
from jiangxin.platform.documents import throttle
from jiangxin.platform.documents.issued import IssuedDocument, IssueStatus
from jiangxin.platform.documents.sources import EXPIRED, REVOKED, SOURCES, VALID, PublicState


class NumberForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("证书编号"), max_length=60,
                             error_messages={"required": gettext_lazy("请输入证书编号。")})


def _limited(request: HttpRequest) -> HttpResponse | None:
    if throttle.allow(request):
        return None
    response = render(request, "documents/verify_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


def _clean(number: str) -> str:
    return "".join(str(number or "").split()).upper()[:60]


def form(request: HttpRequest) -> HttpResponse:
    number_form = NumberForm(request.GET or None)
    if request.GET and number_form.is_valid():
        return redirect("verify:detail", number=_clean(number_form.cleaned_data["number"]))
    return render(request, "documents/verify_form.html", {"form": number_form})


def public_state(doc: IssuedDocument) -> tuple[str, PublicState]:
    """(code, state): code is valid / revoked / expired / withdrawn / superseded."""
    if doc.status == IssueStatus.WITHDRAWN:
        return "withdrawn", PublicState(REVOKED, doc.get_status_display(), doc.status_on, doc.status_citation)
    if doc.status == IssueStatus.SUPERSEDED:
        return "superseded", PublicState(EXPIRED, doc.get_status_display(), doc.status_on)
    source = SOURCES.get(doc.source)
    try:
        obj = source.get(doc.subject_id) if source is not None else None
    except Exception:  # the record is gone: the document no longer stands for anything
        obj = None
    if source is None or obj is None:
        return REVOKED, PublicState(REVOKED, _("记录已不存在"))
    state = source.state(obj)
    return state.code, state


def _holder(doc: IssuedDocument) -> str:
    return mask_name(doc.holder_name) if doc.holder_is_person else doc.holder_name


def detail(request: HttpRequest, number: str) -> HttpResponse:
    limited = _limited(request)
    if limited is not None:
        return limited
    cleaned = _clean(number)
    doc = IssuedDocument.objects.filter(number=cleaned).select_related("replaced_by").first()
    context: dict[str, Any] = {"number": cleaned, "form": NumberForm(initial={"number": cleaned})}
    if doc is None:
        return render(request, "documents/verify_detail.html", context, status=404)
    code, state = public_state(doc)
    labels = {VALID: _("有效"), REVOKED: _("已撤销"), EXPIRED: _("已过期"), "withdrawn": _("已收回"),
              "superseded": _("已换发")}
    replaced_by = getattr(doc, "replaced_by", None) if doc.status == IssueStatus.SUPERSEDED else None
    context.update({"doc": doc, "code": code, "code_label": labels[code], "state": state,
                    "holder": _holder(doc), "replaced_by": replaced_by})
    return render(request, "documents/verify_detail.html", context)
