"""Application pages: list, create, edit with a live eligibility check, evidence, submit, withdraw."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from jiangxin.platform.applications import services
from jiangxin.platform.applications.details import DetailsForm
from jiangxin.platform.applications.formgen import FactsForm, chinese_expected, validate_json_fields
from jiangxin.platform.applications.models import Application, Evidence, Status
from jiangxin.platform.applications.services import ApplicationError
from jiangxin.platform.applications.uploads import LABELS, UploadError
from jiangxin.platform.core.files import serve_private_file
from jiangxin.platform.core.paginate import paginate
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.rounds.catalog import condition_choices
from jiangxin.platform.rounds.services import visible_rounds


class EvidenceForm(forms.Form):
    condition = forms.ChoiceField(label=gettext_lazy("对应条件"))
    file = forms.FileField(label=gettext_lazy("文件"))
    description = forms.CharField(label=gettext_lazy("说明"), required=False, max_length=200)

    def __init__(self, program_key: str, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["condition"]).choices = condition_choices(program_key)
        self.fields["file"].help_text = gettext("只接受 %(types)s") % {"types": LABELS}


def _get(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(services.visible_applications(request.user), pk=pk)


def _owned(request: HttpRequest, pk: int) -> Application:
    app = _get(request, pk)
    if not services.is_owner(request.user, app):
        raise PermissionDenied(gettext("只有申报人本人可以办理"))
    return app


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    apps = services.visible_applications(request.user)
    status = request.GET.get("status", "")
    if status:
        apps = apps.filter(status=status)
    # the list shows no JSON column: facts, details and the eligibility result stay in the database
    page = paginate(request, apps.defer("facts", "details", "eligibility").order_by("-updated_at", "-id"))
    return render(request, "applications/list.html", {"applications": page, "status": status,
                                                      "status_choices": Status.choices})


@login_required
@require_POST
def application_create(request: HttpRequest, round_id: int) -> HttpResponse:
    rnd = get_object_or_404(visible_rounds(request.user), pk=round_id)
    try:
        app = services.create_application(request.user, rnd)
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect("rounds:detail", pk=rnd.pk)
    messages.success(request, gettext("已创建申报草稿，请填写。"))
    return redirect("applications:edit", pk=app.pk)


def _eligibility_context(app: Application, result: dict[str, Any], form: FactsForm | None = None
                         ) -> dict[str, Any]:
    leftovers: list[dict[str, Any]] = []
    labelled = []
    for field, expected in result.get("problems", []):
        label = form.problem_label(field) if form is not None else field
        labelled.append({"field": field, "label": label, "message": chinese_expected(expected)})
    return {"result": result, "problems": labelled, "leftovers": leftovers, "app": app}


def _facts_form(app: Application) -> FactsForm | None:
    """The application's facts form (read-only use: it names the fields of eligibility problems)."""
    comp = services.eligibility_computation(app.round.program.key)
    return FactsForm(comp.facts, initial_facts=app.facts) if comp is not None else None


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = _get(request, pk)
    comp = services.eligibility_computation(app.round.program.key)
    form = FactsForm(comp.facts, initial_facts=app.facts) if comp is not None else None
    details = DetailsForm(app.round.program.key, initial=app.details)
    owner = services.is_owner(request.user, app)
    return render(request, "applications/detail.html", {
        "app": app, "form": form, "details": details, "owner": owner,
        "evidence": app.evidence.all(), "conditions": dict(condition_choices(app.round.program.key)),
        "evidence_form": EvidenceForm(app.round.program.key) if owner and app.editable else None,
        "outcome": app.eligibility})


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    app = _owned(request, pk)
    if not app.editable:
        messages.error(request, gettext("已提交的申报不能修改；如需修改请先撤回。"))
        return redirect("applications:detail", pk=app.pk)
    comp = services.eligibility_computation(app.round.program.key)
    program = app.round.program.key
    extra: dict[str, int] = {}
    if request.method == "POST":
        add_row = request.POST.get("_add_row", "")
        if add_row:
            extra[add_row] = 1
        form = FactsForm(comp.facts, request.POST, extra_rows=extra) if comp is not None else None
        details = DetailsForm(program, request.POST)
        valid = (form is None or form.is_valid()) & details.is_valid()
        if form is not None and valid:
            validate_json_fields(form)
            valid = not form.errors
        if valid and not add_row:
            facts = form.facts() if form is not None else {}
            try:
                services.save_draft(request.user, app, facts, details.cleaned_data)
            except ApplicationError as exc:
                if not exc.problems or form is None:
                    messages.error(request, str(exc))
                    return redirect("applications:detail", pk=app.pk)
                return _refused_draft(request, app, form, details, exc.problems)
            messages.success(request, gettext("草稿已保存。"))
            if request.POST.get("_next") == "submit":
                return redirect("applications:submit", pk=app.pk)
            return redirect("applications:edit", pk=app.pk)
        result = services.run_eligibility(app.round, form.facts()) if form is not None and valid else \
            {"available": comp is not None, "ok": False, "status": "incomplete", "outcome": None, "problems": []}
    else:
        form = FactsForm(comp.facts, initial_facts=app.facts) if comp is not None else None
        details = DetailsForm(program, initial=app.details)
        result = services.run_eligibility(app.round, app.facts)
    ctx = _eligibility_context(app, result, form)
    ctx.update({"form": form, "details": details, "evidence": app.evidence.all(),
                "evidence_form": EvidenceForm(program),
                "conditions": dict(condition_choices(program))})
    return render(request, "applications/edit.html", ctx)


def _refused_draft(request: HttpRequest, app: Application, form: FactsForm, details: DetailsForm,
                   problems: list[tuple[str, str]]) -> HttpResponse:
    """The edit page again, as typed, with each fact no application could have marked at its field by its label
    and a Chinese reason (the policy core's bounds, as at submission); nothing was saved."""
    messages.error(request, gettext("草稿未保存：有填写内容超出政策规定的范围，请按提示修改。"))
    result = {"available": True, "ok": False, "status": "incomplete", "outcome": None, "problems": problems}
    ctx = _eligibility_context(app, result, form)
    for problem in ctx["problems"]:
        target = form.problem_field(problem["field"])
        if target is not None:  # every problem is listed above the form too (the eligibility panel)
            form.add_error(target, f"{problem['label']}：{problem['message']}")
    program = app.round.program.key
    ctx.update({"form": form, "details": details, "evidence": app.evidence.all(),
                "evidence_form": EvidenceForm(program), "conditions": dict(condition_choices(program))})
    return render(request, "applications/edit.html", ctx)


@login_required
@require_POST
def application_check(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: run the eligibility check on the form as it stands (nothing is saved)."""
    app = _owned(request, pk)
    comp = services.eligibility_computation(app.round.program.key)
    if comp is None:
        result = {"available": False, "ok": True, "status": "", "outcome": None, "problems": []}
        form = None
    else:
        form = FactsForm(comp.facts, request.POST)
        if form.is_valid():
            result = services.run_eligibility(app.round, form.facts())
        else:
            problems = [(name.replace("__", "."), "; ".join(str(e) for e in errs))
                        for name, errs in form.errors.items()]
            result = {"available": True, "ok": False, "status": "incomplete", "outcome": None,
                      "problems": problems}
    return render(request, "applications/_eligibility.html", _eligibility_context(app, result, form))


@login_required
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    app = _owned(request, pk)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, gettext("请勾选确认后再提交。"))
            return redirect("applications:submit", pk=app.pk)
        try:
            services.submit_application(app, actor=request.user, expect=request.POST.get("expect") or None)
        except TransitionRefused as exc:
            messages.error(request, str(exc))
            problems = getattr(exc, "problems", [])[:20]
            if problems:
                labelled = _eligibility_context(app, {"problems": problems}, _facts_form(app))["problems"]
                for problem in labelled:
                    messages.error(request, f"{problem['label']}：{problem['message']}")
            return redirect("applications:detail", pk=app.pk)
        messages.success(request, gettext("申报已提交。"))
        return redirect("applications:detail", pk=app.pk)
    if not app.editable:
        messages.info(request, gettext("该申报已经提交，无需重复提交。") if app.submitted_at
                      else gettext("该申报当前不能提交。"))
        return redirect("applications:detail", pk=app.pk)
    result = services.run_eligibility(app.round, app.facts)
    missing = DetailsForm(app.round.program.key).missing(app.details or {})
    ctx = _eligibility_context(app, result, _facts_form(app))
    ctx.update({"missing": missing, "evidence": app.evidence.all()})
    return render(request, "applications/submit.html", ctx)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    app = _owned(request, pk)
    try:
        services.withdraw_application(app, actor=request.user, expect=request.POST.get("expect") or None)
        messages.success(request, gettext("申报已撤回。"))
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    return redirect("applications:detail", pk=app.pk)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    app = _owned(request, pk)
    form = EvidenceForm(app.round.program.key, request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence(request.user, app, form.cleaned_data["file"], form.cleaned_data["condition"],
                                  form.cleaned_data["description"])
            messages.success(request, gettext("材料已上传。"))
        except (ApplicationError, UploadError) as exc:
            messages.error(request, str(exc))
    else:
        for errs in form.errors.values():
            for err in errs:
                messages.error(request, gettext("上传失败：%(error)s") % {"error": err})
    target = "applications:edit" if app.editable else "applications:detail"
    return redirect(target, pk=app.pk)


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    app = _owned(request, pk)
    evidence = get_object_or_404(Evidence, pk=evidence_id, application=app)
    try:
        services.delete_evidence(request.user, evidence)
        messages.success(request, gettext("材料已删除。"))
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return redirect("applications:edit", pk=app.pk)


@login_required
def evidence_download(request: HttpRequest, pk: int, evidence_id: int) -> FileResponse:
    """Serve a file only within the viewer's scope, and only from inside MEDIA_ROOT."""
    app = _get(request, pk)
    evidence = get_object_or_404(Evidence, pk=evidence_id, application=app)
    from jiangxin.platform.applications.uploads import CONTENT_TYPES

    return serve_private_file(evidence.file, filename=evidence.original_name,
                              content_type=CONTENT_TYPES.get(evidence.file_type))
