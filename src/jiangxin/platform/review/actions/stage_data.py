"""Recording a case's data at its current stage: the eligibility review of confirmed facts, the
recommendation letter, the site visit, the panel's result, the vote, the reviewer's confirmations of
conditions, and a stage result stored without a move (panels, publicity). Each moves the case on when the
stage's condition then holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiangxin.platform.core.transitions import transition
from jiangxin.platform.review.actions._common import (
    _citations,
    _close,
    _locked,
    _move,
    _next,
    _put,
    _require_actor,
    _step,
    _vote_facts,
)
from jiangxin.platform.review.base import REVIEW_ROLES, ReviewError, _ok, _run, _stage_data
from jiangxin.platform.review.models import Attachment, Case, CaseState, Step
from jiangxin.platform.review.selectors import confirmation_rows, readiness, with_confirmations
from jiangxin.policy.workflow import load_workflow, panel_shortlist


def record_stage_result(case: Case, *, action: str, actor: Any, outcome: dict[str, Any] | None,
                        note: str = "") -> Step:
    """Store a stage result without moving the case (used by panels and publicity)."""
    with transaction.atomic():
        case = _locked(case)
        wf = load_workflow(case.program)
        citations = _citations(wf.stage(case.stage), outcome) if case.stage != wf.final_key else []
        return _step(case, action=action, actor=actor, stage_to=case.stage, reasons=note, citations=citations,
                     outcome=outcome)


@transition("review.confirm_conditions", title=gettext_lazy("评审确认申报条件"), record="review.Case", field="state",
            sources=("active",), target="", roles=REVIEW_ROLES,
            guard="policy.workflow：本环节须由评审人确认的条件（confirmations）", citation="各项目 workflow.yaml 所列条款")
def confirm_conditions(case: Case, *, actor: Any, conditions: Sequence[str], note: str = "") -> list[str]:
    """The acting reviewer records that they (their unit) confirmed the listed conditions of the case."""
    with transaction.atomic():
        case = _locked(case)
        stage = _require_actor(case, actor)
        rows = {row["key"]: row for row in confirmation_rows(case, stage)}
        chosen = [k for k in dict.fromkeys(conditions) if k]
        unknown = [k for k in chosen if k not in rows]
        if not rows:
            raise ReviewError(_("“%(stage)s”环节没有须由评审人确认的条件。") % {"stage": stage.title})
        if not chosen or unknown:
            raise ReviewError(_("请勾选本案卷申报的、须由您确认的条件。"))
        org = getattr(actor, "organisation", None)
        name = getattr(actor, "display_name", "") or getattr(actor, "username", "")
        by = f"{org.name}（{name}）" if org is not None else str(name)
        recorded = dict(_stage_data(case, stage.key).get("confirmations") or {})
        at = timezone.now().isoformat()
        for key in chosen:
            recorded[key] = {"by": by, "user": actor.pk, "unit": getattr(org, "name", ""), "at": at}
        _put(case, stage.key, confirmations=recorded)
        case.save()
        _step(case, action="confirm_conditions", actor=actor, stage_to=case.stage, reasons=note,
              citations=list(dict.fromkeys(rows[k]["citation"] for k in chosen)),
              data={"conditions": chosen, "by": by})
    return chosen


@transition("review.eligibility_review", title=gettext_lazy("核实事实并条件审查"), record="review.Case", field="state", sources=("active",),
            target="", roles=REVIEW_ROLES, guard="<program>/<本环节 computation>（如 eligibility）",
            citation="本环节条款")
def review_eligibility(case: Case, *, actor: Any, facts: Mapping[str, Any], advance_if_ok: bool = True,
                       note: str = "") -> dict[str, Any]:
    """Re-run the stage's eligibility computation on the facts the reviewer confirmed; store the outcome.

    Moves the case on when it passes and nothing else is missing (``advance_if_ok``)."""
    with transaction.atomic():
        case = _locked(case)
        stage = _require_actor(case, actor)
        if not stage.computation:
            raise ReviewError(f"“{stage.title}”环节没有条件审查。")
        outcome = _run(case.round, stage.computation, with_confirmations(case, stage, facts), as_of=case.round.closes)
        ok = _ok(outcome)
        _put(case, stage.key, eligibility_ok=ok, confirmed_facts=dict(facts))
        case.save()
        _step(case, action="eligibility_review", actor=actor, stage_to=case.stage, reasons=note,
              citations=_citations(stage, outcome), outcome=outcome, data={"confirmed_facts": dict(facts)})
        if ok and advance_if_ok and stage.allows("advance") and not readiness(case):
            _move(case, _next(case), action="advance", actor=actor, outcome=outcome)
    return outcome


def attach_letter(case: Case, *, actor: Any, uploaded: Any, kind: str = "recommendation_letter") -> Attachment:
    """File the recommendation letter (推荐函) at the current stage (checked like evidence files)."""
    from jiangxin.platform.applications.uploads import check_upload

    stage = _require_actor(case, actor)
    file_type, digest = check_upload(uploaded)
    att = Attachment(case=case, stage=stage.key, kind=kind, original_name=str(uploaded.name)[:255],
                     file_type=file_type, sha256=digest, uploaded_by=actor)
    stored = ""
    try:
        with transaction.atomic():
            case = _locked(case)
            att.file.save(uploaded.name, uploaded, save=False)
            stored = att.file.name
            att.save()
            _put(case, stage.key, letter=att.pk)
            case.save()
            _step(case, action="letter", actor=actor, stage_to=case.stage, citations=[stage.citation.label],
                  data={"attachment": att.pk, "sha256": digest, "name": att.original_name})
    except Exception:
        if stored:
            att.file.storage.delete(stored)
        raise
    return att


@transition("review.site_visit", title=gettext_lazy("记录实地考察"), record="review.Case", field="state", sources=("active",), target="",
            roles=REVIEW_ROLES, guard="policy.workflow：考察事项逐项记录", citation="本环节条款")
def record_site_visit(case: Case, *, actor: Any, visited_on: dt.date, findings: Mapping[str, str], passed: bool,
                      note: str = "") -> Case:
    """Record a site visit: findings against each area of the stage (academy 第十九条（二）1, Zhenjiang 现场考察)."""
    with transaction.atomic():
        case = _locked(case)
        wf = load_workflow(case.program)
        current = _require_actor(case, actor)
        stage = next((p for p in current.parts if p.kind == "site_visit"), current)
        if stage.kind != "site_visit":
            raise ReviewError(f"“{current.title}”环节没有实地考察。")
        missing = [a for a in stage.areas if not str(findings.get(a, "")).strip()]
        if missing:
            raise ReviewError("请逐项记录考察情况：" + "、".join(missing) + "。")
        clean = {a: str(findings[a]).strip()[:1000] for a in stage.areas}
        _put(case, stage.key, visit_ok=passed, visited_on=visited_on.isoformat(), findings=clean)
        case.save()
        _step(case, action="site_visit", actor=actor, stage_to=case.stage, reasons=note,
              citations=[stage.citation.label], data={"part": stage.key, "visited_on": visited_on.isoformat(),
                                                      "findings": clean, "passed": passed})
        if passed and current.allows("advance") and not readiness(case):
            _move(case, wf.next_stage(case.stage, case.track or None), action="advance", actor=actor)
    return case


@transition("review.panel_result", title=gettext_lazy("记录专家评审结果"), record="review.Case", field="state", sources=("active",), target="",
            roles=REVIEW_ROLES, guard="panels.panel_result；policy.workflow.panel_shortlist", citation="本环节条款")
def record_panel(case: Case, *, actor: Any, score: Decimal | None = None, note: str = "") -> dict[str, Any]:
    """Take the panel's aggregated result (panels.services.panel_result) for the current stage; where the
    stage has no panel (e.g. Jiangsu B from a scored list) an entered ``score`` with a note is recorded.

    The academy's on-site review is shortlisted on the total (80, included) and the veto (policy.workflow)."""
    from jiangxin.platform.panels.services import panel_result

    with transaction.atomic():
        case = _locked(case)
        current = _require_actor(case, actor)
        stage = next((p for p in current.parts if p.kind == "panel_scoring"), current)
        if stage.kind != "panel_scoring":
            raise ReviewError(f"“{current.title}”环节没有专家评审。")
        result = panel_result(case.application, stage_key=stage.key) or panel_result(case.application,
                                                                                    stage_key=current.key)
        if result is None and score is None:
            raise ReviewError("尚无专家评审结果。")
        if result is not None and not result.complete:
            raise ReviewError("专家评审尚未全部签字确认。", result.outcome)
        if result is not None:
            total, vetoed, panel_outcome = result.total, result.vetoed, result.outcome
            source = "panel"
        else:
            if not note.strip():
                raise ReviewError("录入评分时请注明评分来源（如评审会纪要）。")
            try:
                total = Decimal(str(score))
            except InvalidOperation:
                raise ReviewError("评分须为数字。") from None
            vetoed, panel_outcome, source = False, None, "entered"
        outcome: dict[str, Any] | None = panel_outcome
        shortlisted = True
        if stage.shortlist_mark:
            decided = panel_shortlist(stage, total, vetoed, case.round.parameter_set(), timezone.localdate())
            outcome = {**decided.to_dict(), "panel": panel_outcome, "total": str(total)}
            shortlisted = bool(decided.value)
        case.score = total
        _put(case, stage.key, scored=True, total=str(total), vetoed=vetoed, shortlisted=shortlisted, source=source)
        case.save()
        _step(case, action="panel_result", actor=actor, stage_to=case.stage, reasons=note,
              citations=_citations(stage, outcome), outcome=outcome,
              data={"part": stage.key, "total": str(total), "vetoed": vetoed, "source": source,
                    "shortlisted": shortlisted})
        if shortlisted and not readiness(case) and current.allows("advance"):
            _move(case, _next(case), action="advance", actor=actor, outcome=outcome)
    return outcome or {"value": str(total), "status": "ok", "failures": [], "trace": []}


@transition("review.vote", title=gettext_lazy("登记投票表决"), record="review.Case", field="state", sources=("active",), target="",
            roles=REVIEW_ROLES, guard="zhenjiang_park/admission_vote", citation="镇江园区办法 三（二）2")
def record_vote(case: Case, *, actor: Any, members_total: int, votes: Mapping[str, str], note: str = "") -> dict[
        str, Any]:
    """Record each member's vote (for / against / abstain / absent) and decide with ``admission_vote``."""
    allowed = {"for", "against", "abstain", "absent"}
    if set(votes.values()) - allowed:
        raise ReviewError("每位成员的表决须为同意、不同意、弃权或缺席。")
    if len(votes) != members_total:
        raise ReviewError(f"请为全部 {members_total} 名评审成员登记表决情况。")
    with transaction.atomic():
        case = _locked(case)
        stage = _require_actor(case, actor)
        if stage.kind != "vote":
            raise ReviewError(f"“{stage.title}”环节不是投票表决。")
        counts = {k: sum(1 for v in votes.values() if v == k) for k in allowed}
        facts = _vote_facts(case, members_total, counts, "pending")
        outcome = _run(case.round, stage.computation, facts)
        candidate = bool(outcome["value"].get("candidate"))
        _put(case, stage.key, candidate=candidate, votes=dict(votes), members_total=members_total, counts=counts)
        case.save()
        _step(case, action="vote", actor=actor, stage_to=case.stage, reasons=note,
              citations=_citations(stage, outcome), outcome=outcome, data={"votes": dict(votes), **counts})
        if candidate:
            _move(case, _next(case), action="advance", actor=actor, outcome=outcome)
        else:
            from jiangxin.policy.labels import rule_label

            reasons = [(rule_label(case.program, f.get("rule", "")), f["citation"]["label"])
                       for f in outcome["failures"]] or [
                ("表决未获通过", stage.citation.label)]
            _close(case, CaseState.NOT_SELECTED, action="not_selected", actor=actor, reasons=reasons,
                   outcome=outcome)
    return outcome
