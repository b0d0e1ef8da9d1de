"""Office pages for signed PDFs: issue, re-issue, withdraw (each a registered transition) and download."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangxin.platform.accounts.roles import APPLICANT_ROLES, STAFF_ROLES
from jiangxin.platform.core.params import id_param
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.documents import transitions
from jiangxin.platform.documents.issued import IssuedDocument
from jiangxin.platform.documents.pdf import FontMissing
from jiangxin.platform.documents.signing import SigningUnavailable
from jiangxin.platform.documents.sources import SOURCES

ROLES = tuple(str(r) for r in transitions.ROLES)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("documents:index")


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _run(request: HttpRequest, action, *args, **kwargs) -> IssuedDocument | None:  # type: ignore[no-untyped-def]
    try:
        return action(*args, actor=request.user, **kwargs)  # type: ignore[no-any-return]
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    except (SigningUnavailable, FontMissing) as exc:
        messages.error(request, str(exc))
    return None


@role_required(*ROLES)
@require_POST
def issue(request: HttpRequest) -> HttpResponse:
    subject = id_param(request.POST.get("subject"))
    if subject is None:
        messages.error(request, _("所涉记录不存在。"))
        return _back(request)
    doc = _run(request, transitions.issue, request.POST.get("source", ""), subject,
               request.POST.get("doc_type", ""), base_url=_base(request))
    if doc is not None:
        messages.success(request, _("已签发：%(t)s，编号 %(n)s。") % {"t": doc.title, "n": doc.number})
    return _back(request)


def _document(request: HttpRequest, pk: int) -> IssuedDocument:
    doc = get_object_or_404(IssuedDocument, pk=pk)
    source = SOURCES.get(doc.source)
    if source is None or not source.visible(request.user).filter(pk=doc.subject_id).exists():
        raise Http404
    if getattr(request.user, "role", None) in APPLICANT_ROLES and not source.holders_download:
        raise Http404
    return doc


@role_required(*ROLES)
@require_POST
def reissue(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document(request, pk)
    new = _run(request, transitions.reissue, doc, reason=request.POST.get("reason", ""), base_url=_base(request),
               expect=request.POST.get("expect") or None)
    if new is not None:
        messages.success(request, _("已换发：新编号 %(n)s。") % {"n": new.number})
    return _back(request)


@role_required(*ROLES)
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document(request, pk)
    done = _run(request, transitions.withdraw, doc, reason=request.POST.get("reason", ""),
                citation=request.POST.get("citation", ""), expect=request.POST.get("expect") or None)
    if done is not None:
        messages.success(request, _("已收回：%(n)s。") % {"n": done.number})
    return _back(request)


@role_required(*STAFF_ROLES, *APPLICANT_ROLES)
def download(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document(request, pk)
    response = HttpResponse(bytes(doc.pdf), content_type="application/pdf")
    filename = f"{doc.title}-{doc.number}.pdf"
    response["Content-Disposition"] = (f"attachment; filename=\"{doc.number}.pdf\"; "
                                       f"filename*=UTF-8''{quote(filename)}")
    return response
