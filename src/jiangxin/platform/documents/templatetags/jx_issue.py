"""``{% issued_documents "designation" d %}``: the signed PDFs of one record, with issue / re-issue / withdraw
buttons for the office and a download link. The documents offered are those the record's program declares in its
documents.yaml for that source."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("documents/_issued.html", takes_context=True)
def issued_documents(context: Any, source_key: str, obj: Any) -> dict[str, Any]:
    from jiangxin.platform.documents import catalogue
    from jiangxin.platform.documents.issued import IssuedDocument, IssueStatus
    from jiangxin.platform.documents.sources import SOURCES
    from jiangxin.platform.documents.transitions import ROLES, basis_label

    request = context.get("request")
    user = getattr(request, "user", None)
    source = SOURCES[source_key]
    program = source.program(obj)
    issued = list(IssuedDocument.objects.filter(source=source_key, subject_id=obj.pk)
                  .only("id", "number", "title", "status", "issued_on", "doc_type", "sha256"))
    can_act = getattr(user, "role", None) in {str(r) for r in ROLES} and source.can_issue(user)
    specs = []
    refusal = source.refusal(obj)
    for spec in catalogue.specs_for(program, source_key):
        current = next((d for d in issued if d.doc_type == spec["key"] and d.status == IssueStatus.ISSUED), None)
        reason, reason_citation = "", ""
        if refusal is not None:
            # the message in the reader's language; its article rendered as a citation by the template
            reason, reason_citation = str(refusal[0]), refusal[1] or basis_label(program, spec)
        specs.append({"spec": spec, "current": current, "refusal": reason, "refusal_citation": reason_citation,
                      "basis": basis_label(program, spec)})
    state = source.state(obj)
    lapsed = state.label if state.code != "valid" and any(d.status == IssueStatus.ISSUED for d in issued) else ""
    return {"source_key": source_key, "obj": obj, "specs": specs, "issued": issued, "can_act": can_act,
            "lapsed": lapsed, "lapsed_citation": state.citation,
            "next": request.get_full_path() if request is not None else "", "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("documents/_issued_inline.html", takes_context=True)
def issued_inline(context: Any, source_key: str, obj: Any) -> dict[str, Any]:
    """A compact variant for lists: per declared document, the download link or the issue button (a refusal is
    reported when the button is pressed, so a long list computes no guards)."""
    from jiangxin.platform.documents import catalogue
    from jiangxin.platform.documents.issued import IssuedDocument, IssueStatus
    from jiangxin.platform.documents.sources import SOURCES
    from jiangxin.platform.documents.transitions import ROLES

    request = context.get("request")
    user = getattr(request, "user", None)
    source = SOURCES[source_key]
    program = source.program(obj)
    current = {d.doc_type: d for d in IssuedDocument.objects.filter(source=source_key, subject_id=obj.pk,
                                                                  status=IssueStatus.ISSUED)}
    specs = [{"spec": s, "current": current.get(s["key"])} for s in catalogue.specs_for(program, source_key)]
    return {"source_key": source_key, "obj": obj, "specs": specs,
            "can_act": getattr(user, "role", None) in {str(r) for r in ROLES} and source.can_issue(user),
            "next": request.get_full_path() if request is not None else "", "csrf_token": context.get("csrf_token")}
