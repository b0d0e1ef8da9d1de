"""Issuing documents is a transition (签发、换发、收回文书), declared in the registry like every state change.

- ``documents.issue``: render the PDF (GB/T 9704), sign it with the issuing office's certificate, store it with a
  new public number. Refused before the naming/acceptance decision and for a revoked holder, citing the article.
- ``documents.reissue``: the same for a document already issued; the old one is marked superseded and its verify
  page points to the new number.
- ``documents.withdraw``: take an issued document back (with reason and article); its verify page says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record
from jiangxin.platform.core.formats import chinese_date
from jiangxin.platform.core.transitions import TransitionRefused, track, transition
from jiangxin.platform.documents import catalogue
from jiangxin.platform.documents.issued import IssuedDocument, IssueStatus, NumberCounter
from jiangxin.platform.documents.pdf import Official, render_pdf
from jiangxin.platform.documents.signing import get_signer
from jiangxin.platform.documents.sources import SOURCES, Source
from jiangxin.policy.outcome import cite

ROLES = (Role.OFFICE, Role.PARK_OFFICE)
GUARD = "documents/issue_guard"
CITATION = "命名、认定或验收决定之后方可签发；已撤销者不予签发"

track(IssuedDocument, "status")


def basis_label(program: str, spec: dict[str, Any]) -> str:
    basis = spec.get("basis") or {}
    if not basis.get("article"):
        return ""
    try:
        return cite(program, str(basis["article"]), str(basis.get("clause", ""))).label
    except ValueError:
        return ""


def _next_number(prefix: str, year: int) -> str:
    counter, _created = NumberCounter.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:05d}"


def verify_path(number: str) -> str:
    return reverse("verify:detail", kwargs={"number": number})


def verify_url(number: str, base_url: str = "") -> str:
    base = str(getattr(settings, "JIANGXIN_PUBLIC_URL", "") or base_url or "").rstrip("/")
    return f"{base}{verify_path(number)}"


def _refuse(source: Source, obj: Any, program: str, spec: dict[str, Any]) -> None:
    refusal = source.refusal(obj)
    if refusal is not None:
        message, citation = refusal
        raise TransitionRefused(message, citations=[citation or basis_label(program, spec)])


def _visible(source: Source, obj: Any, actor: Any) -> None:
    if actor is not None and not source.visible(actor).filter(pk=obj.pk).exists():
        raise TransitionRefused(str(_("该记录不在您的管辖范围内。")))
    if actor is not None and not source.can_issue(actor):
        raise TransitionRefused(str(_("此类文书由其他发证机关签发。")))


def _make(source: Source, obj: Any, spec: dict[str, Any], *, actor: Any, on: dt.date, base_url: str,
          replaces: IssuedDocument | None = None) -> IssuedDocument:
    program = source.program(obj)
    content = source.content(obj, spec)
    office = getattr(actor, "organisation", None) if actor is not None else None
    issuer_name = office.name if office is not None else (replaces.issuer_name if replaces else "")
    number = _next_number(str(spec["prefix"]), on.year)
    is_certificate = bool(spec.get("certificate"))
    url = verify_url(number, base_url) if is_certificate else ""
    holder = source.holder(obj)
    pdf = render_pdf(Official(title=content.title, issuer=issuer_name, number=number, date=chinese_date(on),
                              body=content.body, fields=content.fields, columns=content.columns, rows=content.rows,
                              verify_url=url, subject=program, certificate=is_certificate))
    signed = get_signer().sign(pdf, office=office, reason=f"{issuer_name}签发：{content.title}（{number}）")
    return IssuedDocument.objects.create(
        number=number, source=source.key, doc_type=str(spec["key"]), program=program, title=content.title,
        subject_id=obj.pk, holder_name=holder.name, holder_is_person=holder.is_person,
        holder_id_mask=holder.id_mask, issuer=office, issuer_name=issuer_name, issued_on=on, pdf=signed.data,
        sha256=hashlib.sha256(signed.data).hexdigest(), signer=signed.signer[:300], issued_by=actor,
        replaces=replaces)


@transition("documents.issue", title=_("签发文书"), record="documents.IssuedDocument", target=IssueStatus.ISSUED,
            roles=ROLES, guard=GUARD, citation=CITATION, audit=False)
def issue(source_key: str, subject_id: int, doc_type: str, *, actor: Any, on: dt.date | None = None,
          base_url: str = "") -> IssuedDocument:
    """Issue the signed PDF ``doc_type`` (declared in the program's documents.yaml) for one record."""
    source = SOURCES.get(source_key)
    if source is None:
        raise TransitionRefused(str(_("未知的文书来源。")))
    try:
        obj = source.get(int(subject_id))
    except (source.get_model().DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]  # stubs: concrete models only
        raise TransitionRefused(str(_("所涉记录不存在。"))) from None
    _visible(source, obj, actor)
    if getattr(actor, "organisation", None) is None:
        raise TransitionRefused(str(_("须由发证机关的工作人员签发（账号未关联单位）。")))
    program = source.program(obj)
    spec = catalogue.spec(program, doc_type)
    if spec is None or spec["source"] != source_key:
        raise TransitionRefused(str(_("该项目不签发此类文书。")))
    _refuse(source, obj, program, spec)
    if IssuedDocument.objects.filter(source=source_key, subject_id=obj.pk, doc_type=doc_type,
                                     status=IssueStatus.ISSUED).exists():
        raise TransitionRefused(str(_("该文书已签发；如需更正请办理换发。")))
    doc = _make(source, obj, spec, actor=actor, on=on or timezone.localdate(), base_url=base_url)
    record("transition:documents.issue", doc, actor=actor, summary=f"签发文书：{doc}",
           after={"status": doc.status, "number": doc.number, "sha256": doc.sha256, "source": source_key,
                  "subject": obj.pk})
    return doc


@transition("documents.reissue", title=_("换发文书"), record="documents.IssuedDocument",
            sources=(IssueStatus.ISSUED,), target=IssueStatus.SUPERSEDED, roles=ROLES, guard=GUARD,
            citation=CITATION)
def reissue(document: IssuedDocument, *, actor: Any, reason: str, on: dt.date | None = None,
            base_url: str = "") -> IssuedDocument:
    """Issue a corrected copy under a new number; the old one shows as superseded (换发)."""
    if not (reason or "").strip():
        raise TransitionRefused(str(_("须写明换发理由。")))
    source = SOURCES[document.source]
    obj = source.get(document.subject_id)
    _visible(source, obj, actor)
    spec = catalogue.spec(document.program, document.doc_type)
    if spec is None:
        raise TransitionRefused(str(_("该项目不签发此类文书。")))
    _refuse(source, obj, document.program, spec)
    day = on or timezone.localdate()
    document.status, document.status_on, document.status_reason = IssueStatus.SUPERSEDED, day, reason.strip()
    document.save(update_fields=["status", "status_on", "status_reason"])
    new = _make(source, obj, spec, actor=actor, on=day, base_url=base_url, replaces=document)
    record("transition:documents.issue", new, actor=actor, summary=f"换发文书：{new}（原{document.number}）",
           after={"status": new.status, "number": new.number, "sha256": new.sha256, "replaces": document.number})
    return new


@transition("documents.withdraw", title=_("收回文书"), record="documents.IssuedDocument",
            sources=(IssueStatus.ISSUED,), target=IssueStatus.WITHDRAWN, roles=ROLES, guard=GUARD,
            citation=CITATION)
def withdraw(document: IssuedDocument, *, actor: Any, reason: str, citation: str,
             on: dt.date | None = None) -> IssuedDocument:
    """Take an issued document back (收回), with the reason and the article it rests on."""
    if not (reason or "").strip() or not (citation or "").strip():
        raise TransitionRefused(str(_("须写明收回理由和依据条款。")))
    source = SOURCES[document.source]
    _visible(source, source.get(document.subject_id), actor)
    document.status, document.status_on = IssueStatus.WITHDRAWN, on or timezone.localdate()
    document.status_reason, document.status_citation = reason.strip(), citation.strip()
    document.save(update_fields=["status", "status_on", "status_reason", "status_citation"])
    return document
