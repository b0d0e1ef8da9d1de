"""Round-level decisions, taken for every case of a round waiting at the stage at once: excluding a case from
the round, confirming and reopening the ranking, the party-group decision, the candidate list, the work
group's and the city's approval, the province's confirmation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiangxin.platform.applications.models import Status as AppStatus
from jiangxin.platform.audit.service import record
from jiangxin.platform.core.transitions import transition
from jiangxin.platform.review.actions._common import (
    _close,
    _locked,
    _move,
    _require_round_actor,
    _set_app_status,
    _stage_of,
    _step,
    _vote_facts,
)
from jiangxin.platform.review.base import OFFICE_ROLES, ReviewError, _ok, _run, _stage_data
from jiangxin.platform.review.models import Case, CaseState, Decision, Step
from jiangxin.platform.review.selectors import (
    _quota,
    _ranking_confirmed,
    places_taken_elsewhere,
    ranking_facts,
    ranking_spec,
    require_whole_round,
    round_cases,
)
from jiangxin.platform.rounds.models import Round
from jiangxin.policy.workflow import Stage, Workflow


def _require_year_quota(rnd: Round, stage: Stage, outcome: dict[str, Any], count: int) -> None:
    """The quota is the year's (赣州工匠办法 第五条 每年选拔名额; 南昌创新工作室办法 第七条 年度创建任务数量):
    places taken by the program's other rounds of the same year count against it."""
    quota = _quota(outcome)
    if quota is None:
        return
    taken = places_taken_elsewhere(rnd, stage.key)
    if taken and count + taken > quota:
        raise ReviewError(_("%(year)s年度名额 %(quota)s 名，本年度其他批次已入选 %(taken)s 名，本批次 %(count)s 名，"
                            "超出年度名额。") % {"year": rnd.year, "quota": quota, "taken": taken, "count": count},
                          outcome, citations=[stage.citation.label])


def _by_key(cases: Iterable[Case]) -> dict[str, Case]:
    return {c.key: c for c in cases}


@transition("review.exclude", title=gettext_lazy("排除出本批次"), record="review.Case", field="state",
            sources=("active", "returned"), target="excluded", roles=OFFICE_ROLES,
            guard="policy.workflow.round_at_stage（排除须记录理由）", citation="匠心解释口径 I-WF-05")
def exclude_from_round(case: Case, *, actor: Any, reason: str) -> Case:
    """The office takes a live case out of the round with a recorded reason, so that a round-level decision
    (ranking, list, notice) can be taken for the rest (I-WF-05). Final for this round."""
    from jiangxin.platform.rounds.services import can_manage

    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("请填写排除出本批次的理由。"), citations=["匠心解释口径 I-WF-05"])
    case = _locked(case)
    if not can_manage(actor, case.round.program):
        raise PermissionDenied(_("只有主管部门可以将申报排除出本批次。"))
    _close(case, CaseState.EXCLUDED, action="exclude", actor=actor, reasons=[(reason, "匠心解释口径 I-WF-05")])
    return case


@transition("review.rerank", title=gettext_lazy("重新排序"), record="review.Case", field="stage", sources=("*",),
            target="ranking", roles=OFFICE_ROLES, guard="后续环节尚未办理；须说明理由",
            citation="南昌创新工作室办法 第七条；赣州工匠办法 第七条（三）；匠心解释口径 I-WF-05")
def rerank(rnd: Round, *, actor: Any, reason: str) -> Decision:
    """Reopen the round's confirmed ranking with a recorded reason: every case that ranking moved on (or
    did not select) returns to the ranking stage, to be ranked again as a whole. Refused once anything was
    done at a later stage (a party-group decision, a notice, …)."""
    wf, stage = _stage_of(rnd, "ranking")
    _require_round_actor(rnd, actor, stage)
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("重新排序须说明理由。"), citations=[stage.citation.label])
    confirmed = _ranking_confirmed(rnd, stage)
    if confirmed is None:
        raise ReviewError(_("本批次尚无已确认的排序，无需重新排序。"), citations=[stage.citation.label])
    later = list(wf.keys[wf.keys.index(stage.key) + 1:])
    if (Step.objects.filter(case__round=rnd, stage_from__in=later, at__gt=confirmed.at).exists()
            or Decision.objects.filter(round=rnd, stage__in=later).exists()):
        raise ReviewError(_("排序确认后的环节已有办理记录，不能重新排序。"), citations=[stage.citation.label])
    decision = Decision.objects.create(round=rnd, stage=stage.key, kind="ranking_reopened", note=reason,
                                       actor=actor, outcome={"reopened": confirmed.pk})
    record("review.ranking.reopen", decision, actor=actor, summary=f"重新排序：{rnd.title}",
           before={"decision": confirmed.pk, "decided": confirmed.decided}, after={"reason": reason})
    moved = Step.objects.filter(case__round=rnd, stage_from=stage.key, action__in=("advance", "not_selected"),
                                at__gte=confirmed.at).values_list("case_id", flat=True)
    for case in Case.objects.filter(pk__in=set(moved)).order_by("id"):
        case = _locked(case)
        _step(case, action="rerank", actor=actor, stage_from=case.stage, stage_to=stage.key, reasons=reason,
              citations=[stage.citation.label], data={"decision": decision.pk})
        case.stage = stage.key
        case.state = CaseState.ACTIVE
        case.stage_entered_at = timezone.now()
        case.save()
        _set_app_status(case.application, AppStatus.RECOMMENDED)
    return decision


@transition("review.ranking_confirm", title=gettext_lazy("确认排序"), record="review.Case", field="stage", sources=("ranking",), target="",
            roles=OFFICE_ROLES, guard="<program>/ranking；policy.workflow.round_at_stage（全批次到达本环节）",
            citation="南昌创新工作室办法 第七条；赣州工匠办法 第七条（三）")
def confirm_ranking(rnd: Round, *, actor: Any, tie_choice: Sequence[str] = (), meeting_date: dt.date | None = None,
                    reference: str = "", note: str = "") -> Decision:
    """Confirm the round's ranking. Studio: shortlisted studios go on to the party-group meeting, those below
    the mark are not selected. Ganzhou: the selected (plus the office's choice among a tie at the cut) go
    on to publicity, the rest are not selected."""
    wf, stage = _stage_of(rnd, "ranking")
    _require_round_actor(rnd, actor, stage)
    with transaction.atomic():
        if _ranking_confirmed(rnd, stage) is not None:
            raise ReviewError(_("本批次的排序已经确认，每批次只确认一次；如确需重新排序，请办理“重新排序”并说明理由。"),
                              citations=[stage.citation.label])
        require_whole_round(rnd, stage, wf)
        cases = round_cases(rnd, stage.key, actor)
        if not cases:
            raise ReviewError("本环节没有待排序的申报。")
        outcome = _run(rnd, "ranking", ranking_facts(rnd, cases))
        value = outcome["value"]
        keys = _by_key(cases)
        if ranking_spec(rnd).ties == "decision":
            go = set(value["proposed"]) | set(value["tie_at_cut"]) | set(value["reserve"])
            if tie_choice:
                raise ReviewError("并列名次由下一环节研究确定，排序时不能选择。")
        else:
            ties = set(value["tie_at_cut"])
            chosen = set(tie_choice)
            if chosen - ties:
                raise ReviewError("只能在名额线上并列的人员中选择。")
            if ties and not chosen:
                raise ReviewError("名额线上有并列，请选择入选人员并记录会议情况。", outcome)
            go = set(value["selected"]) | chosen
            quota = _quota(outcome)
            if quota is not None and len(go) > quota:
                raise ReviewError(f"入选人数 {len(go)} 超过名额 {quota}。", outcome)
            _require_year_quota(rnd, stage, outcome, len(go))
            if chosen and not (meeting_date and reference):
                raise ReviewError("选择并列人员时请填写会议日期和纪要文号。")
        decision = Decision.objects.create(round=rnd, stage=stage.key, kind="ranking", outcome=outcome,
                                           decided=sorted(go), meeting_date=meeting_date, reference=reference,
                                           note=note, actor=actor)
        record("review.ranking.confirm", decision, actor=actor, summary=f"确认排序：{rnd.title}",
               after={"decided": sorted(go), "tie_choice": sorted(tie_choice)})
        for key, case in keys.items():
            case = _locked(case)
            if key in go:
                _move(case, wf.next_stage(stage.key, case.track or None), action="advance", actor=actor,
                      outcome=outcome, data={"decision": decision.pk})
            else:
                below = key in value.get("below_mark", [])
                reason = "未达到入围标准" if below else "未列入名额内"
                _close(case, CaseState.NOT_SELECTED, action="not_selected", actor=actor,
                       reasons=[(reason, stage.citation.label)], outcome=outcome)
    return decision


@transition("review.party_decision", title=gettext_lazy("党组会研究确定"), record="review.Case", field="stage", sources=("party_group_decision",),
            target="", roles=OFFICE_ROLES, guard="nanchang_studio/ranking；policy.workflow.round_at_stage",
            citation="南昌创新工作室办法 第七条")
def record_party_decision(rnd: Round, *, actor: Any, decided: Sequence[str], meeting_date: dt.date,
                          reference: str, note: str = "") -> Decision:
    """Studio 第七条: the party-group meeting's decided list (meeting date and minutes reference recorded)."""
    wf, stage = _stage_of(rnd, "decision", "party_group_decision")
    _require_round_actor(rnd, actor, stage)
    if not reference.strip():
        raise ReviewError("请填写党组会纪要文号。")
    with transaction.atomic():
        keys = _listed_cases(rnd, wf, stage, actor, decided, none_left="没有待党组会研究的工作室。",
                             not_here="确定名单中有不在本环节的申报。")
        outcome = _run(rnd, "ranking", ranking_facts(rnd, list(keys.values()), decided))
        if outcome["failures"]:
            raise ReviewError("确定名单与排序规则不符。", outcome)
        _require_year_quota(rnd, stage, outcome, len(decided))
        decision = Decision.objects.create(round=rnd, stage=stage.key, kind="party_group", outcome=outcome,
                                           decided=list(decided), meeting_date=meeting_date, reference=reference,
                                           note=note, actor=actor)
        record("review.party_decision", decision, actor=actor, summary=f"党组会研究确定：{rnd.title}",
               after={"decided": list(decided), "meeting_date": meeting_date, "reference": reference})
        for key, case in keys.items():
            case = _locked(case)
            if key in decided:
                _move(case, wf.next_stage(stage.key), action="advance", actor=actor, outcome=outcome,
                      data={"decision": decision.pk})
            else:
                _close(case, CaseState.NOT_SELECTED, action="not_selected", actor=actor,
                       reasons=[("未列入党组会确定名单", stage.citation.label)], outcome=outcome)
    return decision


@transition("review.candidate_list", title=gettext_lazy("确定候选名单"), record="review.Case", field="stage", sources=("candidate_list",),
            target="", roles=OFFICE_ROLES, guard="zhenjiang_park/admission_vote；policy.workflow.round_at_stage",
            citation="镇江园区办法 三（二）2")
def confirm_candidate_list(rnd: Round, *, actor: Any, note: str = "") -> Decision:
    """Zhenjiang: the candidates of the vote form the list sent to the work group."""
    wf, stage = _stage_of(rnd, "decision", "candidate_list")
    _require_round_actor(rnd, actor, stage)
    with transaction.atomic():
        require_whole_round(rnd, stage, wf)
        cases = round_cases(rnd, stage.key, actor)
        if not cases:
            raise ReviewError("没有候选工作室。")
        decision = Decision.objects.create(round=rnd, stage=stage.key, kind="candidate_list",
                                           decided=[c.key for c in cases], note=note, actor=actor,
                                           outcome={"candidates": [c.key for c in cases]})
        record("review.candidate_list", decision, actor=actor, summary=f"确定候选名单：{rnd.title}",
               after={"decided": decision.decided})
        for case in cases:
            case = _locked(case)
            vote = _stage_data(case, "vote")
            _move(case, wf.next_stage(stage.key), action="advance", actor=actor,
                  outcome=case.steps.filter(action="vote").last().outcome if vote else None,  # type: ignore[union-attr]
                  data={"decision": decision.pk})
    return decision


@transition("review.work_group", title=gettext_lazy("项目工作小组审核认定"), record="review.Case", field="stage", sources=("work_group_approval",),
            target="", roles=("office",), guard="zhenjiang_park/admission_vote；policy.workflow.round_at_stage",
            citation="镇江园区办法 三（二）2")
def record_work_group(rnd: Round, *, actor: Any, approved: Sequence[str], meeting_date: dt.date, reference: str,
                      note: str = "") -> Decision:
    """Zhenjiang: the work group's approval (三（二）2); each case is decided with ``admission_vote``."""
    wf, stage = _stage_of(rnd, "approval", "work_group_approval")
    return _approval(rnd, wf, stage, actor=actor, approved=approved, meeting_date=meeting_date, reference=reference,
                     note=note, kind="work_group")


@transition("review.city_approval", title=gettext_lazy("市政府批准"), record="review.Case", field="stage", sources=("city_approval",),
            target="", roles=("office",), guard="policy.workflow.round_at_stage", citation="赣州工匠办法 第七条（五）")
def record_city_approval(rnd: Round, *, actor: Any, approved: Sequence[str], meeting_date: dt.date, reference: str,
                         note: str = "") -> Decision:
    """Ganzhou 第七条（五）: the city government's approval of the list (date and document number recorded)."""
    wf, stage = _stage_of(rnd, "approval", "city_approval")
    return _approval(rnd, wf, stage, actor=actor, approved=approved, meeting_date=meeting_date, reference=reference,
                     note=note, kind="city_approval")


def _listed_cases(rnd: Round, wf: Workflow, stage: Stage, actor: Any, listed: Sequence[str], *, none_left: str,
                  not_here: str) -> dict[str, Case]:
    """Inside a round decision's transaction: the whole round is at ``stage``, it has cases there, and every key
    on the decided list is one of them. Returns the cases by key, in the round's order."""
    require_whole_round(rnd, stage, wf)
    cases = round_cases(rnd, stage.key, actor)
    if not cases:
        raise ReviewError(none_left)
    keys = _by_key(cases)
    if set(listed) - set(keys):
        raise ReviewError(not_here)
    return keys


def _approval(rnd: Round, wf: Workflow, stage: Stage, *, actor: Any, approved: Sequence[str],
              meeting_date: dt.date, reference: str, note: str, kind: str) -> Decision:
    _require_round_actor(rnd, actor, stage)
    if not reference.strip():
        raise ReviewError("请填写批准文号或会议纪要文号。")
    with transaction.atomic():
        keys = _listed_cases(rnd, wf, stage, actor, approved, none_left="没有待审批的申报。",
                             not_here="批准名单中有不在本环节的申报。")
        decision = Decision.objects.create(round=rnd, stage=stage.key, kind=kind, decided=list(approved),
                                           meeting_date=meeting_date, reference=reference, note=note, actor=actor)
        record(f"review.{kind}", decision, actor=actor, summary=f"{stage.title}：{rnd.title}",
               after={"approved": list(approved), "reference": reference})
        for key, case in keys.items():
            case = _locked(case)
            outcome = None
            if stage.computation == "admission_vote":
                v = _stage_data(case, "vote")
                outcome = _run(rnd, "admission_vote", _vote_facts(
                    case, int(v.get("members_total", 0)), v.get("counts", {}),
                    "approved" if key in approved else "rejected"))
            if key in approved:
                _move(case, wf.next_stage(stage.key), action="advance", actor=actor, outcome=outcome,
                      data={"decision": decision.pk})
            else:
                _close(case, CaseState.REJECTED, action="reject", actor=actor,
                       reasons=[("未获批准", stage.citation.label)], outcome=outcome)
    return decision


@transition("review.province_confirmation", title=gettext_lazy("省级确认"), record="review.Case", field="stage",
            sources=("province_confirmation",), target="confirmed", roles=("office",),
            guard="jiangsu_technician/class_size", citation="江苏卓越技师办法 第五条、第二条")
def confirm_province(rnd: Round, *, actor: Any, note: str = "") -> Decision:
    """Jiangsu 第五条: the province confirms the year's cohort; ``class_size`` (≤100 per class, 第二条) is
    checked over every person already confirmed in the program's rounds of that year (a second round of the year
    does not get another hundred per class) plus those now confirmed."""
    _wf, stage = _stage_of(rnd, "confirmation", "province_confirmation")
    _require_round_actor(rnd, actor, stage)
    with transaction.atomic():
        cases = round_cases(rnd, stage.key, actor)
        if not cases:
            raise ReviewError("没有待确认的人选。")
        confirmed = list(Case.objects.filter(round__program=rnd.program, round__year=rnd.year, state=CaseState.DONE)
                         .select_related("application"))
        members = [_member(c) for c in [*confirmed, *cases]]
        outcome = _run(rnd, "class_size", {"plan_year": int((cases[0].application.facts or {}).get(
            "plan_year", rnd.year)), "members": members})
        if not _ok(outcome):
            raise ReviewError("超过每类年度培育人数上限，不能确认。", outcome)
        decision = Decision.objects.create(round=rnd, stage=stage.key, kind="province_confirmation",
                                           outcome=outcome, decided=[c.key for c in cases], note=note, actor=actor)
        record("review.province_confirmation", decision, actor=actor, summary=f"省级确认：{rnd.title}",
               after={"decided": decision.decided})
        from jiangxin.platform.designations.services import designate_from_case

        today = timezone.localdate()
        for case in cases:
            _move(_locked(case), None, action="confirm", actor=actor, outcome=outcome,
                  data={"decision": decision.pk})
            designate_from_case(case, actor=actor, on=today)  # 江苏: the cohort member's 2-year tracking
    return decision


def _member(case: Case) -> dict[str, Any]:
    facts = case.application.facts or {}
    senior = str(facts.get("skill_level", "")) != "技师"
    return {"key": case.key, "track": case.track or str(facts.get("track", "")),
            "route": "main" if senior else "exceptional"}
