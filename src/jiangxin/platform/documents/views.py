"""Office pages: download each document of a round / notice, upload or replace templates."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.applications.models import Application
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.documents import rows as row_source
from jiangxin.platform.documents import services
from jiangxin.platform.documents.models import FORMATS, DocumentTemplate, Kind
from jiangxin.platform.publicity.services import can_run, visible_notices
from jiangxin.platform.rounds.models import Round

STAFF = (Role.OFFICE, Role.PARK_OFFICE)
MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def _file(content: bytes, filename: str) -> HttpResponse:
    ext = filename.rsplit(".", 1)[-1]
    response = HttpResponse(content, content_type=MIME[ext])
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename=\"document.{ext}\"; filename*=UTF-8''{quote(filename)}"
    return response


def _round(request: HttpRequest, pk: int) -> Round:
    rnd = get_object_or_404(Round.objects.select_related("program", "organiser"), pk=pk)
    if not can_run(request.user, rnd):
        raise Http404
    return rnd


class TemplateUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("文书类别"), choices=Kind.choices,
                             error_messages={"required": gettext_lazy("请选择文书类别。"),
                                             "invalid_choice": gettext_lazy("请选择文书类别。")})
    file = forms.FileField(label=gettext_lazy("模板文件（DOCX/XLSX）"),
                           error_messages={"required": gettext_lazy("请选择模板文件。"),
                                           "empty": gettext_lazy("上传的文件是空的。")})


@role_required(*STAFF)
def index(request: HttpRequest) -> HttpResponse:
    from jiangxin.platform.rounds.services import managed_programs

    org = request.user.organisation  # type: ignore[union-attr]
    rounds = Round.objects.filter(program__in=managed_programs(request.user)).select_related("program")
    active = {t.kind: t for t in DocumentTemplate.objects.filter(organisation=org, active=True)} if org else {}
    kinds = [{"kind": k, "label": k.label, "format": FORMATS[k], "template": active.get(k.value),
              "placeholders": sorted(services.ALLOWED[k])} for k in Kind]
    return render(request, "documents/index.html", {
        "rounds": rounds, "notices": visible_notices(request.user)[:50], "kinds": kinds,
        "form": TemplateUploadForm()})


@role_required(*STAFF)
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = _round(request, pk)
    return _file(services.ranking_xlsx(rnd, row_source.ranking_rows(rnd)), f"{rnd.title}-评审排名表.xlsx")


@role_required(*STAFF)
def naming_list(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = _round(request, pk)
    return _file(services.naming_list_xlsx(rnd, row_source.named_rows(rnd)), f"{rnd.title}-命名名单.xlsx")


@role_required(*STAFF)
def naming_decision(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = _round(request, pk)
    return _file(services.naming_decision_docx(rnd, row_source.named_rows(rnd)), f"{rnd.title}-命名决定.docx")


@role_required(*STAFF)
def notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(visible_notices(request.user), pk=pk)
    return _file(services.publicity_notice_docx(notice), f"{notice.title}.docx")


@role_required(*STAFF)
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_object_or_404(Application.objects.select_related("round", "round__program", "round__organiser"),
                            pk=pk)
    if not can_run(request.user, app.round):
        raise Http404
    from jiangxin.platform.publicity.services import clearance

    if not clearance(app).clear:
        messages.error(request, _("该申报尚未通过公示，不能制作证书。"))
        return redirect("documents:index")
    return _file(services.certificate_docx(app), f"{app.title}-证书.docx")


@role_required(*STAFF)
def default_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in Kind.values:
        raise Http404
    return _file(services.default_template(kind), f"{Kind(kind).label}-默认模板.{FORMATS[Kind(kind)]}")


@role_required(*STAFF)
def template_download(request: HttpRequest, pk: int) -> HttpResponse:
    org = request.user.organisation  # type: ignore[union-attr]
    row = get_object_or_404(DocumentTemplate, pk=pk, organisation=org)
    return _file(bytes(row.content), f"{row.get_kind_display()}-模板.{row.file_type}")


@role_required(*STAFF)
@require_POST
def template_upload(request: HttpRequest) -> HttpResponse:
    form = TemplateUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services.MAX_TEMPLATE_BYTES:
            form.add_error("file", _("模板文件不能超过 5 MB。"))
        else:
            try:
                row = services.upload_template(kind=form.cleaned_data["kind"],
                                               organisation=request.user.organisation,  # type: ignore[union-attr]
                                               content=upload.read(), original_name=upload.name,
                                               actor=request.user)
            except services.DocumentError as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, _("已启用新模板：%(t)s") % {"t": row})
                return redirect("documents:index")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))  # ErrorList yields str; the stubs say ValidationError | str
    return redirect("documents:index")


@role_required(*STAFF)
@require_POST
def template_reset(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in Kind.values:
        raise Http404
    services.reset_template(kind=kind, organisation=request.user.organisation,  # type: ignore[union-attr]
                            actor=request.user)
    messages.success(request, _("已恢复默认模板。"))
    return redirect("documents:index")


