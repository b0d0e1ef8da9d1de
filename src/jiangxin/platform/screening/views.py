"""Screening pages (office staff): start a run, follow its progress, read who qualifies and who is one condition
short (with the article), open any row's full trace, export."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.screening import services, transitions
from jiangxin.platform.screening.forms import StartForm
from jiangxin.platform.screening.models import ScreeningRun
from jiangxin.platform.screening.tasks import run_screening
from jiangxin.policy.screening import get_screener


def _targets(request: HttpRequest) -> list[tuple[str, str]]:
    return [(f"{p.key}/{s.computation}", f"{p.title} — {s.title}") for p, s in services.screenable(request.user)]


@role_required("office")
def index(request: HttpRequest) -> HttpResponse:
    targets = _targets(request)
    if not targets:
        raise PermissionDenied
    form = StartForm(request.POST or None, request.FILES or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        program, computation = form.cleaned_data["target"].split("/", 1)
        try:
            run = transitions.start(actor=request.user, program=program, computation=computation,
                                    source=form.cleaned_data["source"], plan_year=form.cleaned_data["plan_year"],
                                    as_of=form.cleaned_data["as_of"], track_value=form.cleaned_data["track"] or "",
                                    upload=form.cleaned_data.get("upload"))
        except TransitionRefused as refused:
            messages.error(request, str(refused))
        else:
            run_screening.enqueue(run.pk)
            return redirect("screening:run", pk=run.pk)
    runs = Paginator(services.visible_runs(request.user).only(
        "pk", "program", "plan_year", "source", "status", "total", "eligible", "near", "created_at"), 20)
    return render(request, "screening/index.html", {"form": form, "runs": runs.get_page(request.GET.get("page"))})


def _run(request: HttpRequest, pk: int) -> ScreeningRun:
    return get_object_or_404(services.visible_runs(request.user), pk=pk)


@role_required("office")
def run(request: HttpRequest, pk: int) -> HttpResponse:
    screening = _run(request, pk)
    context: dict[str, object] = {"run": screening}
    if screening.status == "succeeded":
        result, _columns, keys = services.result_of(screening)
        which = request.GET.get("which", "near")
        which = which if which in services.FILTERS else "near"
        condition = request.GET.get("condition", "")
        indices = services.row_indices(result, which, condition)
        page = Paginator(range(len(indices)), services.PAGE_SIZE).get_page(request.GET.get("page"))
        rows = []
        for i in page.object_list:
            row = int(indices[i])
            failures = result.failures(row)
            rows.append({"row": row, "key": keys[row], "eligible": bool(result.eligible[row]),
                         "failures": [{"title": c.title, "article": c.citation.label} for c in failures]})
        context |= {"rows": rows, "page": page, "which": which, "condition": condition,
                    "conditions": get_screener(screening.program, screening.computation).conditions}
    template = "screening/_progress.html" if getattr(request, "htmx", False) else "screening/run.html"
    return render(request, template, context)


@role_required("office")
def row(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    screening = _run(request, pk)
    if screening.status != "succeeded":
        raise Http404
    try:
        outcome = services.person_trace(screening, row)
    except services.ScreeningError as error:
        raise Http404 from error
    _result, _columns, keys = services.result_of(screening)
    shown = outcome.to_dict()
    shown.setdefault("computation", f"{screening.program}/{screening.computation}")
    return render(request, "screening/row.html", {"run": screening, "row": row, "key": keys[row],
                                                  "outcome": shown})


@role_required("office")
def export(request: HttpRequest, pk: int) -> FileResponse:
    screening = _run(request, pk)
    if screening.status != "succeeded":
        raise Http404
    which = request.GET.get("which", "all")
    which = which if which in services.FILTERS else "all"
    from jiangxin.screening_table import write_result

    result, _columns, keys = services.result_of(screening)
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")
    write_result(Path(handle.name), result, keys, which)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"screening-{screening.pk}-{which}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@role_required("office")
def template_file(request: HttpRequest, program: str, computation: str) -> HttpResponse:
    """An empty table with the columns the screen reads (Chinese labels), to fill in and upload."""
    if (program, computation) not in {(p.key, s.computation) for p, s in services.screenable(request.user)}:
        raise Http404
    screener = get_screener(program, computation)
    import io

    from jiangxin.platform.core.spreadsheet import SafeWriter

    buffer = io.StringIO()
    SafeWriter(buffer).writerow(["编号", *[c.label for c in screener.columns]])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename=screening-{program}.csv"
    messages.info(request, _("已下载名单模板。"))
    return response
