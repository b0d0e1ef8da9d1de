"""Audit log pages: only the audit administrator (审计管理员) may open any of them."""

from __future__ import annotations

import json
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from jiangxin.platform.audit import export, integrity
from jiangxin.platform.audit.forms import AuditFilterForm
from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.audit.service import record
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.roles import Role

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


@role_required(Role.AUDIT_ADMIN)
def event_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    qs = form.filter(AuditEvent.objects.order_by("-id"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        event.summary_masked = export.mask_ids(event.summary)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    template = "audit/_event_rows.html" if getattr(request, "htmx", False) else "audit/list.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


def diff(before: Any, after: Any) -> list[dict[str, Any]]:
    """Field-by-field comparison of two snapshots (dicts); other JSON values compare as a whole."""
    if not isinstance(before, dict) and not isinstance(after, dict):
        return [] if before is None and after is None else [
            {"field": "", "before": export.mask_ids(str(before)), "after": export.mask_ids(str(after)),
             "changed": before != after}]
    before, after = before or {}, after or {}
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return [{"field": k, "before": export.mask_ids(_show(before.get(k))), "after": export.mask_ids(_show(after.get(k))),
             "changed": before.get(k) != after.get(k), "only_after": k not in before, "only_before": k not in after}
            for k in keys]


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@role_required(Role.AUDIT_ADMIN)
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(AuditEvent, pk=pk)
    previous = AuditEvent.objects.filter(pk__lt=event.pk).order_by("-pk").first()
    return render(request, "audit/detail.html", {
        "event": event, "rows": diff(event.before, event.after),
        "hash_ok": event.compute_hash() == event.hash,
        "link_ok": event.prev_hash == (previous.hash if previous else "0" * 64),
        "summary": export.mask_ids(event.summary)})


@role_required(Role.AUDIT_ADMIN)
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Verify the chain (from the first row to the stored head, against every stored checkpoint and, when the
    administrator uploads one, an exported checkpoint file kept elsewhere)."""
    result: dict[str, Any] | None = None
    upload_error = ""
    if request.method == "POST":
        extra: list[dict[str, Any]] = []
        uploaded = request.FILES.get("checkpoint")
        if uploaded is not None:
            try:
                extra.append(integrity.parse_checkpoint(uploaded.read(integrity.CHECKPOINT_MAX_BYTES + 1)))
            except ValueError as exc:
                upload_error = str(exc)
        if not upload_error:
            outcome = integrity.verify(extra)
            result = {"intact": outcome.intact, "broken": outcome.first_bad, "count": outcome.count,
                      "reason": outcome.message, "checkpoints": outcome.checkpoints, "uploaded": bool(extra),
                      "exists": outcome.first_bad is not None
                      and AuditEvent.objects.filter(pk=outcome.first_bad).exists(), "at": timezone.now()}
            state = "完整" if outcome.intact else f"自第{outcome.first_bad}条起异常：{outcome.message}"
            record("audit.verify", None, object_type="audit.AuditEvent",
                   summary=f"校验审计日志哈希链：{state}（共{outcome.count}条）"[:300],
                   after={"intact": outcome.intact, "first_broken": outcome.first_bad, "problem": outcome.problem,
                          "events": outcome.count, "checkpoints": outcome.checkpoints})
    return render(request, "audit/verify.html", {
        "result": result, "upload_error": upload_error,
        "checkpoints": list(reversed(integrity.stored_checkpoints()))[:30]})


@role_required(Role.AUDIT_ADMIN)
@require_http_methods(["POST"])
def export_checkpoint(request: HttpRequest) -> HttpResponse:
    """Write today's signed checkpoint and hand it to the audit administrator to keep outside the system."""
    path, data = integrity.write_checkpoint()
    record("audit.checkpoint", None, object_type="audit.AuditEvent",
           summary=f"导出审计日志检查点（{data['date']}，共{data['events']}条，末条第{data['last_id']}条）",
           after={k: data[k] for k in ("date", "events", "last_id", "last_hash")})
    response = HttpResponse(path.read_bytes(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{path.name}"'
    return response


@role_required(Role.AUDIT_ADMIN)
def export_events(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    events = list(form.filter(AuditEvent.objects.order_by("id"))[:EXPORT_LIMIT])
    record("audit.export", None, object_type="audit.AuditEvent",
           summary=f"导出审计日志（{fmt.upper()}，{len(events)}条）",
           after={"filters": dict(request.GET.items()), "rows": len(events)})
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    if fmt == "xlsx":
        response = HttpResponse(export.to_xlsx(events), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    else:
        response = HttpResponse(export.to_csv(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{fmt}"'
    return response
