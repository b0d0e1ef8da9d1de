"""Review pages, the actions posted from the case page: each is checked against the stage the form was rendered
in, then handed to one service call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.review import forms as f
from jiangxin.platform.review import services
from jiangxin.platform.review.models import Case
from jiangxin.platform.review.views import STAFF, _case
from jiangxin.platform.review.views_case import _case_page, _facts_form, _failures
from jiangxin.policy.workflow import load_workflow


def _done(request: HttpRequest, case: Case, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("review:case", pk=case.pk)


def _refused(request: HttpRequest, case: Case, exc: TransitionRefused) -> HttpResponse:
    messages.error(request, str(exc))
    return redirect("review:case", pk=case.pk)


def _acting_case(request: HttpRequest, pk: int) -> Case:
    case = _case(request, pk)
    assert request.user.is_authenticated, "login_required"
    if request.user.role not in STAFF:
        raise PermissionDenied
    return case


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = _acting_case(request, pk)
    user = request.user
    wf = load_workflow(case.program)
    # a stale form (the case moved on since the page was rendered) is refused, never applied to the new stage
    posted_stage = request.POST.get("stage")
    if posted_stage and posted_stage != case.stage:
        messages.error(request, _("该案卷已进入其他环节，请刷新页面后再办理。"))
        return redirect("review:case", pk=case.pk)
    expect = request.POST.get("expect") or None
    if action == "exclude":
        ef = f.ExcludeForm(request.POST)
        if not ef.is_valid():
            return _invalid(request, case, ef)
        try:
            services.exclude_from_round(case, actor=user, reason=ef.cleaned_data["reason"], expect=expect)
        except TransitionRefused as exc:
            return _refused(request, case, exc)
        return _done(request, case, _("已将该申报排除出本批次，理由已记录。"))
    if case.stage == wf.final_key:
        messages.error(request, "该案卷已办结。")
        return redirect("review:case", pk=case.pk)
    stage = wf.stage(case.stage)
    try:
        if action == "advance":
            form = f.NoteForm(request.POST)
            form.is_valid()
            services.advance(case, actor=user, note=form.cleaned_data.get("note", ""), expect=expect)
            return _done(request, case, "已进入下一环节。")
        if action == "return":
            rf = f.ReturnForm(request.POST)
            if not rf.is_valid():
                return _invalid(request, case, rf)
            services.return_for_revision(case, actor=user, reasons=rf.cleaned_data["reasons"],
                                         deadline=rf.cleaned_data["deadline"], expect=expect)
            return _done(request, case, "已退回申报人修改。")
        if action == "reject":
            jf = f.RejectForm(request.POST, failures=_failures(case), program=case.program)
            if not jf.is_valid():
                return _invalid(request, case, jf)
            services.reject(case, actor=user, reasons=jf.reasons(), expect=expect)
            return _done(request, case, "已作出不予通过决定。")
        if action == "eligibility":
            form, _live = _facts_form(case, stage, request.POST)
            if not form.is_valid():
                return _invalid(request, case, form)
            outcome = services.review_eligibility(case, actor=user, facts=form.facts(),
                                                  note=request.POST.get("note", ""), expect=expect)
            if outcome["failures"]:
                messages.warning(request, f"条件审查未通过：{len(outcome['failures'])} 项未满足，可退回修改或不予通过。")
            return _done(request, case, "已记录核实后的条件审查结果。")
        if action == "confirm":
            cf = f.ConfirmConditionsForm(request.POST, rows=services.confirmation_rows(case, stage))
            if not cf.is_valid():
                return _invalid(request, case, cf)
            services.confirm_conditions(case, actor=user, conditions=cf.cleaned_data["conditions"],
                                        note=cf.cleaned_data["note"], expect=expect)
            return _done(request, case, _("已记录评审确认。"))
        if action == "letter":
            lf = f.LetterForm(request.POST, request.FILES)
            if not lf.is_valid():
                return _invalid(request, case, lf)
            from jiangxin.platform.applications.uploads import UploadError

            try:
                services.attach_letter(case, actor=user, uploaded=lf.cleaned_data["file"])
            except UploadError as exc:
                messages.error(request, str(exc))
                return redirect("review:case", pk=case.pk)
            return _done(request, case, "推荐函已上传。")
        if action == "site-visit":
            visit = next((p for p in (stage, *stage.parts) if p.kind == "site_visit"), stage)
            vf = f.SiteVisitForm(request.POST, areas=visit.areas)
            if not vf.is_valid():
                return _invalid(request, case, vf)
            services.record_site_visit(case, actor=user, visited_on=vf.cleaned_data["visited_on"],
                                       findings=vf.findings(), passed=vf.cleaned_data["passed"],
                                       note=vf.cleaned_data["note"], expect=expect)
            return _done(request, case, "已记录实地考察情况。")
        if action == "panel":
            pf = f.PanelForm(request.POST)
            if not pf.is_valid():
                return _invalid(request, case, pf)
            services.record_panel(case, actor=user, score=pf.cleaned_data["score"], note=pf.cleaned_data["note"],
                                  expect=expect)
            return _done(request, case, "已记录评审结果。")
        if action == "vote":
            vf2 = f.VoteForm(request.POST)
            rows = f.vote_formset(request.POST)
            if not (vf2.is_valid() and rows.is_valid()):
                messages.error(request, "表决登记有误，请按提示修改。")
                return _case_page(request, case, vote_form=vf2, vote_formset=rows)
            votes = rows.votes()
            services.record_vote(case, actor=user, members_total=len(votes), votes=votes,
                                 note=vf2.cleaned_data["note"], expect=expect)
            return _done(request, case, "已记录投票表决。")
        if action == "name":
            nf = f.NameForm(request.POST)
            if not nf.is_valid():
                return _invalid(request, case, nf)
            _named, warning = services.name(case, actor=user, on=nf.cleaned_data["on"], note=nf.cleaned_data["note"],
                                       expect=expect)
            if warning:
                messages.warning(request, warning)
            return _done(request, case, f"已{wf.final_title}。")
    except TransitionRefused as exc:
        return _refused(request, case, exc)
    raise Http404


def _invalid(request: HttpRequest, case: Case, form: Any) -> HttpResponse:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
    return redirect("review:case", pk=case.pk)
