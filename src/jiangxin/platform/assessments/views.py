from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangxin.platform.applications.uploads import CONTENT_TYPES
from jiangxin.platform.assessments import services, transitions
from jiangxin.platform.assessments.forms import AcknowledgeForm, RoundForm, ScoreForm, SubmitForm
from jiangxin.platform.assessments.models import Assessment, AssessmentStatus, RoundStatus
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.transitions import TransitionRefused

OFFICE = services.OFFICE_ROLES
UNITS = services.UNIT_ROLES


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    return get_object_or_404(services.visible_assessments(request.user), pk=pk)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    if services.is_office(user):
        return render(request, "assessments/office_index.html", {"rounds": services.visible_rounds(user)})
    if getattr(user, "role", "") in UNITS:
        return render(request, "assessments/unit_index.html",
                      {"assessments": services.visible_assessments(user).order_by("-round__year", "pk")})
    raise PermissionDenied


@role_required(*OFFICE)
def round_new(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        program = d["program"]
        params: dict[str, Any] = {}
        profile = services.profile_for(program.key)
        if d.get("pass_mark") is not None and profile.pass_mark_parameter:
            params[profile.pass_mark_parameter] = str(d["pass_mark"])
        try:
            rnd = transitions.open_round(program, actor=request.user, year=d["year"], opens=d["opens"],
                                      self_report_due=d["self_report_due"], office_parameters=params,
                                      reference=d["reference"], rubric_yaml=d["rubric_yaml"])
        except (services.AssessmentError, TransitionRefused) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已开启{rnd}，共 {rnd.assessments.count()} 个考核对象。")
            for warning in rnd.warnings:
                messages.warning(request, warning)
            return redirect("assessments:round", rnd.pk)
    return render(request, "assessments/round_new.html", {"form": form})


@role_required(*OFFICE)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_object_or_404(services.visible_rounds(request.user), pk=pk)
    profile = services.profile_for(rnd.program.key)
    return render(request, "assessments/round.html", {
        "round": rnd, "profile": profile,
        "assessments": rnd.assessments.select_related("designation").order_by("designation__certificate_no")})


@role_required(*OFFICE)
@require_POST
def round_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    rnd = get_object_or_404(services.visible_rounds(request.user), pk=pk)
    try:
        if action == "publish":
            n = transitions.publish(rnd, actor=request.user, expect=request.POST.get("expect") or None)
            messages.success(request, _("已公布 %(n)s 个考核结果。") % {"n": n})
        elif action == "sync":
            n = transitions.sync_round(rnd, actor=request.user)
            messages.success(request, _("新增 %(n)s 个考核对象。") % {"n": n})
        elif action == "remind":
            n = services.send_reminders()
            messages.success(request, _("已催报 %(n)s 个单位。") % {"n": n})
        else:
            raise Http404
    except (services.AssessmentError, TransitionRefused) as exc:
        messages.error(request, str(exc))
    return redirect("assessments:round", rnd.pk)


def _breakdown(outcome: dict[str, Any]) -> list[dict[str, Any]]:
    rows = (outcome.get("value") or {}).get("breakdown") or []
    return [r for r in rows if isinstance(r, dict)]


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    office = services.is_office(request.user)
    profile = services.profile_for(a.round.program.key)
    editable = (not office and a.round.status == RoundStatus.OPEN
                and a.status in (AssessmentStatus.PENDING, AssessmentStatus.SUBMITTED))
    show_result = a.status == AssessmentStatus.PUBLISHED or (office and a.status == AssessmentStatus.SCORED)
    try:
        rubric_id = services.rubric_key(a.round.program.key)
    except Exception:
        rubric_id = ""
    context: dict[str, Any] = {"a": a, "office": office, "profile": profile, "show_result": show_result,
                               "rubric_id": rubric_id,
                               "breakdown": _breakdown(a.outcome) if show_result else [],
                               "outcome": a.outcome if show_result else None}
    if editable:
        context["submit_form"] = SubmitForm(initial={"self_report": a.self_report, "summary": a.summary})
    if office and profile.scored and a.status in (AssessmentStatus.SUBMITTED, AssessmentStatus.SCORED) \
            and a.round.status == RoundStatus.OPEN:
        entries, links = (a.entries, a.record_links) if a.entries else services.prefill(a)
        context["score_form"] = ScoreForm(initial={"entries": json.dumps(entries, ensure_ascii=False, indent=2)})
        context["links"] = sorted(links.items())
        context.update(_item_form(a, entries, links))
    if office and not profile.scored and a.status == AssessmentStatus.SUBMITTED:
        context["ack_form"] = AcknowledgeForm()
    return render(request, "assessments/detail.html", context)


def _months(year: int) -> list[str]:
    return [f"{year:04d}-{m:02d}" for m in range(1, 13)]


def _item_form(a: Assessment, entries: dict[str, Any], links: dict[str, list[int]]) -> dict[str, Any]:
    """Item-by-item inputs (the panels app's rubric form specs), prefilled, with the records behind each item."""
    from jiangxin.platform.panels import rubrics

    rubric = services.rubric_of(a.round)
    if rubric is None:
        return {}
    derived = services.profile_for(a.round.program.key).derived_items
    specs = [s for s in rubrics.item_specs(rubric, entries, {}) if s.key not in derived]
    for spec in specs:
        spec.note = "、".join(f"#{i}" for i in links.get(spec.key, []) + links.get(f"park.{spec.key}", []))
    context: dict[str, Any] = {"specs": specs}
    if "monthly_presence" in derived:  # the month-by-month presence grid (镇江 附件2 基础分第2项)
        logged = services.prefill(a)[0].get("days_on_site") or {}
        typed = entries.get("days_on_site") or {}
        context["presence"] = [{"month": m, "days": logged.get(m, typed.get(m, "")), "logged": m in logged}
                               for m in _months(a.round.year)]
    return context


def _entries_from_items(a: Assessment, data: Any) -> tuple[dict[str, Any], list[str]]:
    """Parse the item-by-item form → (entries, problems)."""
    from jiangxin.platform.panels import rubrics

    rubric = services.rubric_of(a.round)
    parsed = rubrics.parse_post(rubric, data)
    derived = services.profile_for(a.round.program.key).derived_items
    titles = {i.key: i.title for i in rubric.items}
    problems = [_("%(item)s：未填写") % {"item": titles[k]} for k in parsed.missing if k not in derived]
    problems += [_("%(item)s：%(error)s") % {"item": titles.get(k, k), "error": e}
                 for k, e in parsed.errors.items() if k not in derived]
    entries = {k: v for k, v in parsed.entries.items() if k not in derived}
    if "monthly_presence" in derived:  # the month-by-month presence grid (镇江 附件2 基础分第2项)
        days: dict[str, int] = {}
        for month in _months(a.round.year):
            raw = str(data.get(f"presence__{month}", "") or "").strip()
            if raw:
                try:
                    days[month] = int(raw)
                except ValueError:
                    problems.append(_("%(month)s 到园天数：须为整数") % {"month": month})
        entries["days_on_site"] = days
    return entries, problems


def _named(a: Assessment, problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The policy core's (field path, English expectation) → (the rubric's names of the path, Chinese reason)."""
    from jiangxin.platform.applications.formgen import chinese_expected
    from jiangxin.platform.core.templatetags.labels import rubric_item

    try:
        rubric = services.rubric_key(a.round.program.key)
    except Exception:
        rubric = ""
    return [(" · ".join(rubric_item(part, rubric) for part in field.split(".")), chinese_expected(expected))
            for field, expected in problems]


@role_required(*UNITS)
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    form = SubmitForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            transitions.submit(a, actor=request.user, expect=request.POST.get("expect") or None, self_report=d["self_report"], summary=d["summary"],
                            self_report_file=d["self_report_file"], summary_file=d["summary_file"])
        except (services.AssessmentError, TransitionRefused) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已提交。") + (_("已过截止日期，记为逾期提交。") if a.late else ""))
    else:
        messages.error(request, _("提交内容有误，请检查。"))
    return redirect("assessments:detail", a.pk)


@role_required(*OFFICE)
@require_POST
def score(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    if "entries" in request.POST:  # the JSON form (all items at once)
        form = ScoreForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("entries", []):
                messages.error(request, str(error))  # ErrorList yields str; the stubs say ValidationError | str
            return redirect("assessments:detail", a.pk)
        entries = form.cleaned_data["entries"]
    else:
        if services.rubric_of(a.round) is None:
            raise Http404
        entries, problems = _entries_from_items(a, request.POST)
        if problems:
            messages.error(request, _("请补全评分：") + _("；").join(problems))
            return redirect("assessments:detail", a.pk)
    try:
        transitions.score(a, actor=request.user, entries=entries, expect=request.POST.get("expect") or None)
    except (services.AssessmentError, TransitionRefused) as exc:
        messages.error(request, str(exc) + "".join(_(" %(item)s：%(reason)s；") % {"item": f, "reason": e}
                                                   for f, e in _named(a, getattr(exc, "problems", []))))
    else:
        from jiangxin.platform.core.templatetags.labels import enum_name

        messages.success(request, _("已评分：%(total)s 分，%(grade)s。") % {
            "total": a.total, "grade": enum_name(a.grade) if a.grade else _("未判定")})
    return redirect("assessments:detail", a.pk)


@role_required(*OFFICE)
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk)
    form = AcknowledgeForm(request.POST)
    form.is_valid()
    try:
        transitions.acknowledge(a, actor=request.user, expect=request.POST.get("expect") or None, note=form.cleaned_data.get("note", ""))
    except (services.AssessmentError, TransitionRefused) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已备案确认。"))
    return redirect("assessments:detail", a.pk)


@login_required
def download(request: HttpRequest, pk: int, which: str) -> FileResponse:
    a = _assessment(request, pk)
    if which not in ("self_report", "summary"):
        raise Http404
    field = getattr(a, f"{which}_file")
    if not field:
        raise Http404
    ext = field.name.rsplit(".", 1)[-1]
    name = getattr(a, f"{which}_name") or f"{which}.{ext}"
    return FileResponse(field.open("rb"), as_attachment=True, filename=name,
                        content_type=CONTENT_TYPES.get(ext, "application/octet-stream"))
