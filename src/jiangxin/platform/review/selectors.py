"""Reading the review chain (no state changes): the cases a user sees and acts on, what still blocks a
case's stage, the conditions a reviewer confirms, a round's cases at a stage and their ranking, whether a
whole round has reached a stage, the publicity backlog and the naming-deadline warning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import APPLICANT_ROLES
from jiangxin.platform.applications.models import Application
from jiangxin.platform.orgs.scope import scope
from jiangxin.platform.review.base import LIVE, ReviewError, _current, _run, _stage_data
from jiangxin.platform.review.models import Case, CaseState, Decision
from jiangxin.platform.rounds.models import Round
from jiangxin.policy.workflow import RankingSpec, Stage, Workflow, load_workflow, round_at_stage


def visible_cases(user: Any) -> QuerySet[Case]:
    """Cases in the user's data scope: staff their subtree's, applicants their own, experts none."""
    qs = Case.objects.select_related("application", "application__applicant_org", "application__applicant_person",
                                     "round", "round__program")
    return scope(qs, user, org_field="application__applicant_org", owner_field="application__applicant_user")


def case_for(application: Application) -> Case | None:
    return Case.objects.filter(application=application).first()


def returned_until(application: Application) -> dt.date | None:
    """The date by which a returned application must come back (None: not returned with a deadline)."""
    case = case_for(application)
    return case.returned_until if case is not None else None


def acting_stages(user: Any, program: str) -> list[Stage]:
    role = str(getattr(user, "role", ""))
    return [s for s in load_workflow(program).stages if role in s.roles and s.kind != "application"]


def acting_cases(user: Any, stage_key: str | None = None) -> QuerySet[Case]:
    """Open cases waiting at a stage where the user's role acts (within the data scope)."""
    role = str(getattr(user, "role", ""))
    if role in APPLICANT_ROLES:
        return Case.objects.none()
    condition = Q()
    from jiangxin.policy.workflow import workflow_programs

    for program in workflow_programs():
        keys = [s.key for s in acting_stages(user, program)]
        if stage_key is not None:
            keys = [k for k in keys if k == stage_key]
        if keys:
            condition |= Q(program=program, stage__in=keys)
    if not condition:
        return Case.objects.none()
    return visible_cases(user).filter(condition, state=CaseState.ACTIVE)


def may_act(user: Any, case: Case, stage: Stage | None = None) -> bool:
    stage = stage or _current(case)
    return (case.state == CaseState.ACTIVE and str(getattr(user, "role", "")) in stage.roles
            and visible_cases(user).filter(pk=case.pk).exists())


def readiness(case: Case, html: bool = False) -> list[str]:
    """What still blocks leaving the current stage (empty when the case may advance), in the reader's language.

    ``html``: for the case page, articles as ``<cite lang="zh-Hans">`` (the document's own term inside the
    reader's sentence); plain text otherwise (refusal messages)."""
    from django.utils.html import format_html

    from jiangxin.platform.core.templatetags.labels import cite, stage_title

    wf = load_workflow(case.program)
    if case.stage == wf.final_key:
        return [_("已办结")]
    stage = wf.stage(case.stage)
    data = _stage_data(case, stage.key)
    missing: list[str] = []
    if (stage.computation and stage.kind in ("pre_review", "recognition")) or (
            stage.kind == "panel_scoring" and stage.computation == "eligibility"):
        if not data.get("eligibility_ok"):
            missing.append(_("须核实申报事实并通过条件审查"))
    if "letter" in stage.requires and not data.get("letter"):
        missing.append(_("须上传推荐函"))
    if stage.kind == "site_visit" and not data.get("visit_ok"):
        missing.append(_("须记录实地考察情况且结论为通过"))
    template = _("须由评审人（单位）确认条件“%(condition)s”（%(cite)s）")
    missing.extend(format_html(template.replace("{", "{{").replace("}", "}}") % {
        "condition": "{}", "cite": "{}"}, row["label"], cite(row["citation"])) if html
        else template % {"condition": row["label"], "cite": row["citation"]}
        for row in confirmation_rows(case, stage) if not row["confirmed"])
    for part in stage.parts:
        pdata = _stage_data(case, part.key)
        if part.kind == "site_visit" and not pdata.get("visit_ok"):
            missing.append(_("须完成%(stage)s") % {"stage": stage_title(part, case.program)})
        if part.kind == "panel_scoring" and not pdata.get("shortlisted"):
            missing.append(_("须完成%(stage)s且达到入围标准") % {"stage": stage_title(part, case.program)})
    if stage.kind == "panel_scoring" and not stage.parts and not data.get("scored"):
        missing.append(_("须记录评审得分"))
    if stage.kind == "vote" and not data.get("candidate"):
        missing.append(_("须记录投票表决且获通过"))
    if stage.kind == "publicity":
        from jiangxin.platform.publicity.services import clearance

        c = clearance(case.application)
        missing.extend(c.reasons)
    return missing


def _claimed_facts(case: Case, stage: Stage) -> Mapping[str, Any]:
    confirmed = _stage_data(case, stage.key).get("confirmed_facts")
    return confirmed if isinstance(confirmed, dict) else (case.application.facts or {})


def confirmation_rows(case: Case, stage: Stage | None = None) -> list[dict[str, Any]]:
    """Each condition the stage has the reviewer confirm, for the conditions the case's facts claim: its key,
    label, article and the confirmation recorded (who, which unit, when) or None."""
    from django.utils.translation import get_language

    from jiangxin.policy.labels import enum_label

    if stage is None:
        wf = load_workflow(case.program)
        if case.stage == wf.final_key:
            return []
        stage = wf.stage(case.stage)
    recorded = _stage_data(case, stage.key).get("confirmations") or {}
    rows = []
    for c in stage.confirmations:
        for value in c.conditions(_claimed_facts(case, stage)):
            key = f"{c.facts}:{value}"
            rows.append({"key": key, "value": value, "confirmation": c, "citation": c.citation.label,
                         "label": enum_label(case.program, c.item, value, get_language() or "zh-hans"),
                         "confirmed": recorded.get(key)})
    return rows


def with_confirmations(case: Case, stage: Stage, facts: Mapping[str, Any]) -> dict[str, Any]:
    """The facts with each confirmed row's ``field`` filled from the reviewer's confirmation (their unit)."""
    out = dict(facts)
    recorded = _stage_data(case, stage.key).get("confirmations") or {}
    for c in stage.confirmations:
        rows = out.get(c.facts)
        if not isinstance(rows, list):
            continue
        filled = []
        for row in rows:
            done = recorded.get(f"{c.facts}:{row.get(c.item)}") if isinstance(row, Mapping) else None
            filled.append({**row, c.field: done["by"]} if done else row)
        out[c.facts] = filled
    return out


def round_cases(rnd: Round, stage_key: str, actor: Any | None = None) -> list[Case]:
    qs = Case.objects.filter(round=rnd, stage=stage_key, state=CaseState.ACTIVE)
    if actor is not None:
        qs = qs.filter(pk__in=visible_cases(actor).values("pk"))
    return list(qs.select_related("application", "application__applicant_org", "application__applicant_person")
                .order_by("id"))


def ranking_spec(rnd: Round) -> RankingSpec:
    """How the program's ranking stage builds its facts (``ranking`` on the stage in workflow.yaml)."""
    stage = load_workflow(rnd.program.key).first_of_kind("ranking")
    if stage is None or stage.ranking is None:
        raise ReviewError("该项目没有排序环节。")
    return stage.ranking


def _candidate_rows(spec: RankingSpec, cases: Sequence[Case]) -> list[dict[str, Any]]:
    rows = []
    for c in cases:
        if c.score is None:
            raise ReviewError(f"“{c.application.title}”尚无评审得分。")
        row: dict[str, Any] = {"key": c.key, "score": str(c.score)}
        for name in spec.row_facts:  # e.g. 赣州: county-level craftsmen come first at equal conditions
            row[name] = bool((c.application.facts or {}).get(name, False))
        rows.append(row)
    return rows


def ranking_facts(rnd: Round, cases: Sequence[Case], decided: Sequence[str] | None = None) -> dict[str, Any]:
    spec = ranking_spec(rnd)
    facts: dict[str, Any] = {spec.year_fact: rnd.year, "candidates": _candidate_rows(spec, cases)}
    if spec.decision_fact:
        facts[spec.decision_fact] = list(decided) if decided is not None else None
    return facts


def compute_ranking(rnd: Round, stage_key: str = "ranking", actor: Any | None = None) -> dict[str, Any]:
    """The ranking of the cases waiting at ``stage_key`` (not stored; shown on the ranking page)."""
    cases = round_cases(rnd, stage_key, actor)
    if not cases:
        raise ReviewError("本环节没有待排序的申报。")
    return _run(rnd, "ranking", ranking_facts(rnd, cases))


def require_whole_round(rnd: Round, stage: Stage, wf: Workflow | None = None) -> dict[str, Any]:
    """Refuse a round-level decision at ``stage`` while a live case of the round has not reached it (I-WF-05,
    ``policy.workflow.round_at_stage``); cases the office excluded are no longer live. Returns the outcome."""
    wf = wf or load_workflow(rnd.program.key)
    live = list(Case.objects.filter(round=rnd, state__in=LIVE).select_related("application")
                .order_by("id"))
    decided = round_at_stage(wf, stage.key, [(c.key, c.stage, c.track or None) for c in live])
    outcome = decided.to_dict()
    if not decided.value:
        behind = [c for c in live if c.key in set(outcome["failures"][0]["inputs"]["behind"])]
        names = "、".join(f"“{c.application.title}”（{c.stage_title}，{c.get_state_display()}）" for c in behind[:5])
        more = _("等") if len(behind) > 5 else ""
        raise ReviewError(_("本批次还有 %(n)d 项申报未到达“%(stage)s”环节：%(names)s%(more)s。该环节对全批次统一办理，"
                            "须待其全部到达，或由主管部门记录理由将其排除出本批次后再办理。") % {
            "n": len(behind), "stage": stage.title, "names": names, "more": more}, outcome)
    return outcome


def _ranking_confirmed(rnd: Round, stage: Stage) -> Decision | None:
    """The round's confirmed ranking at ``stage`` (None when never confirmed or reopened for re-ranking)."""
    latest = Decision.objects.filter(round=rnd, stage=stage.key, kind__in=("ranking", "ranking_reopened")).first()
    return latest if latest is not None and latest.kind == "ranking" else None


def _quota(outcome: Mapping[str, Any]) -> int | None:
    value = outcome.get("value", {})
    if isinstance(value, dict) and value.get("quota") is not None:
        return int(value["quota"])
    for s in outcome.get("trace", []):
        if s.get("rule") == "annual_quota":
            try:
                return int(Decimal(str(s["result"])))
            except (InvalidOperation, TypeError, ValueError):
                return None
    return None


def unpublished_cases(rnd: Round, actor: Any | None = None) -> list[Case]:
    """Cases waiting at the round's publicity stage that are not yet on any notice of that stage (I-PUB-07)."""
    from jiangxin.platform.publicity.models import NoticeEntry

    stage = load_workflow(rnd.program.key).first_of_kind("publicity")
    if stage is None:
        return []
    on_notice = set(NoticeEntry.objects.filter(notice__round=rnd, notice__stage_key=stage.key)
                    .values_list("application_id", flat=True))
    return [c for c in round_cases(rnd, stage.key, actor) if c.application_id not in on_notice]


def publicity_backlog(user: Any) -> list[tuple[Round, int]]:
    """The rounds the user's office runs with cases waiting for a notice, and how many (I-PUB-07)."""
    from jiangxin.platform.rounds.services import can_manage
    from jiangxin.policy.workflow import workflow_programs

    role = str(getattr(user, "role", ""))
    stages: dict[str, str] = {}
    for program in workflow_programs():
        stage = load_workflow(program).first_of_kind("publicity")
        if stage is not None and role in stage.roles:
            stages[program] = stage.key
    if not stages:
        return []
    condition = Q()
    for program, key in stages.items():
        condition |= Q(program=program, stage=key)
    round_ids = set(Case.objects.filter(condition, state=CaseState.ACTIVE).values_list("round_id", flat=True))
    out = []
    for rnd in Round.objects.filter(pk__in=round_ids).select_related("program", "organiser").order_by("-year", "id"):
        if can_manage(user, rnd.program):
            n = len(unpublished_cases(rnd, user))
            if n:
                out.append((rnd, n))
    return out


def naming_warning(case: Case, on: dt.date) -> tuple[str, dict[str, Any] | None]:
    """A warning when naming on ``on`` would miss the program's deadline (31 December), with the outcome."""
    stage = _current(case)
    if stage.computation != "naming_deadline":
        return "", None
    from jiangxin.platform.publicity.services import clearance

    c = clearance(case.application)
    facts: dict[str, Any] = {"round_year": case.round.year, "planned_naming_date": on.isoformat(),
                             "publicity_end": c.window_end.isoformat() if c.window_end else None}
    outcome = _run(case.round, "naming_deadline", facts)
    if outcome["value"].get("meets_deadline") is False:
        return (f"命名日期{on:%Y年%m月%d日}晚于命名期限{outcome['value']['deadline']}"
                f"（{stage.citation.label}）。"), outcome
    return "", outcome


def places_taken_elsewhere(rnd: Round, stage_key: str) -> int:
    """Places of the year's quota already taken by the program's other rounds of the same year: their cases
    that passed the ranking stage (``stage_key``) and are still live or final (每年选拔名额 is the year's)."""
    return (Case.objects.filter(round__program=rnd.program, round__year=rnd.year,
                                state__in=(CaseState.ACTIVE, CaseState.DONE),
                                steps__stage_from=stage_key, steps__action="advance")
            .exclude(round=rnd).exclude(stage=stage_key).distinct().count())
