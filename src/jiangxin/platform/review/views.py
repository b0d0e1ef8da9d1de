"""Review pages: queues per stage, the case with its full history ("why"), one form per action, and the
round pages for ranking and the round-level decisions. Views never write models: services do.

This module holds the queue and the helpers the review pages share; the case page is in ``views_case``, the
actions posted from it in ``views_case_actions``, the round pages (ranking, round-level decisions, publicity) in
``views_rounds``."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from jiangxin.platform.accounts.roles import STAFF_ROLES, Role
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.review import services
from jiangxin.platform.review.models import Case
from jiangxin.platform.rounds.models import Round
from jiangxin.policy.registry import PROGRAMS
from jiangxin.policy.workflow import workflow_programs

STAFF = tuple(str(r) for r in STAFF_ROLES if r != Role.FINANCE)


def _case(request: HttpRequest, pk: int) -> Case:
    case = services.visible_cases(request.user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


@role_required(*STAFF)
def queue(request: HttpRequest) -> HttpResponse:
    stage_key = request.GET.get("stage") or None
    stages = []
    org = getattr(request.user, "organisation", None)
    for program in workflow_programs():
        # only the programs run in the user's own jurisdiction (南昌 staff never act on 赣州 stages)
        if org is None or not Round.objects.filter(program__key=program,
                                                   organiser__jurisdiction=org.jurisdiction).exists():
            continue
        title = PROGRAMS[program].title if program in PROGRAMS else program
        for s in services.acting_stages(request.user, program):
            count = services.acting_cases(request.user, s.key).filter(program=program).count()
            stages.append({"program": program, "program_title": title, "stage": s, "count": count})
    cases = services.acting_cases(request.user, stage_key).order_by("round", "stage", "id")
    chosen = request.GET.get("program")
    if chosen:
        cases = cases.filter(program=chosen)
    rounds = Round.objects.filter(cases__in=services.visible_cases(request.user)).distinct()
    return render(request, "review/queue.html", {"stages": [s for s in stages if s["count"] or not stage_key],
                                                 "cases": cases[:500], "stage_key": stage_key, "rounds": rounds})
