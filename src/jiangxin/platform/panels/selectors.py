"""Reading panels (no state changes): which panels and sheets a user sees, who may read a sheet, the rubric
and scoring stages, the conflict check (I-PANEL-04), and the results other apps read (issue 4):
:func:`panel_result` and :func:`panel_stage_complete`.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.applications.models import Application
from jiangxin.platform.orgs.models import Level, Organisation
from jiangxin.platform.orgs.scope import scope
from jiangxin.platform.panels import rubrics
from jiangxin.platform.panels.aggregation import SheetScore, aggregate
from jiangxin.platform.panels.base import MANAGER_ROLES
from jiangxin.platform.panels.models import ConflictBasis, ConflictDeclaration, Panel, ScoreSheet, SheetStatus
from jiangxin.policy.rubric import Rubric


def managed_panels(user: Any) -> QuerySet[Panel]:
    """Panels ``user`` manages: office staff, for rounds organised within their subtree."""
    if getattr(user, "role", "") not in MANAGER_ROLES:
        return Panel.objects.none()
    return scope(Panel.objects.select_related("round", "round__program"), user, org_field="round__organiser")


def can_manage(user: Any, panel: Panel) -> bool:
    return managed_panels(user).filter(pk=panel.pk).exists()


def assigned_applications(user: Any) -> QuerySet[Application]:
    """Applications an expert holds a score sheet for (the one query experts' application access uses)."""
    if getattr(user, "role", "") != Role.EXPERT:
        return Application.objects.none()
    return scope(Application.objects.all(), user, expert_field="panel_sheets__member__expert")


def visible_sheets(user: Any) -> QuerySet[ScoreSheet]:
    """Sheets ``user`` may list: an expert their own; managers every sheet of the panels they manage."""
    qs = ScoreSheet.objects.select_related("member", "member__expert", "member__panel", "member__panel__round",
                                           "application", "application__applicant_org")
    if getattr(user, "role", "") == Role.EXPERT:
        return scope(qs, user, expert_field="member__expert")
    if getattr(user, "role", "") in MANAGER_ROLES:
        return scope(qs, user, org_field="member__panel__round__organiser")
    return qs.none()


def may_view_sheet(user: Any, sheet: ScoreSheet) -> bool:
    """Owner always; managers of the panel; another expert of the same panel and application only once their
    own sheet for it is submitted, and only sheets that are themselves handed in."""
    if sheet.member.expert_id == getattr(user, "pk", None):
        return True
    if getattr(user, "role", "") in MANAGER_ROLES:
        return can_manage(user, sheet.member.panel)
    if getattr(user, "role", "") != Role.EXPERT or not sheet.handed_in:
        return False
    return ScoreSheet.objects.filter(member__panel_id=sheet.member.panel_id, member__expert=user,
                                     application_id=sheet.application_id,
                                     status__in=(SheetStatus.SUBMITTED, SheetStatus.SIGNED)).exists()


def panel_rubric(panel: Panel) -> Rubric:
    return rubrics.rubric_for(panel.rubric_key, panel.round.program.key, panel.rubric_data)


def stage_choices(program_key: str) -> list[tuple[str, str]]:
    """Scoring stages of the program's workflow (policy.workflow) when available, else sensible defaults."""
    try:
        from jiangxin.policy.workflow import load_workflow

        workflow = load_workflow(program_key)
        found = [(s.key, f"{s.title}（{s.key}）") for s in workflow.stages
                 if getattr(s, "kind", "") in ("panel_scoring", "site_visit", "vote")]
        if found:
            return found
    except Exception:  # the workflow module is optional here; fall back to a generic stage key
        pass
    return [("panel_scoring", "专家评审（panel_scoring）")]


def _district(org: Organisation | None) -> Organisation | None:
    """The nearest district-level (县区/系统) node at or above ``org``."""
    if org is None:
        return None
    found = [o for o in org.ancestors() if o.level == Level.DISTRICT]
    return found[-1] if found else None


def _expert_orgs(expert: Any) -> list[Organisation]:
    person = getattr(expert, "person", None)
    orgs = [getattr(person, "employer", None), getattr(expert, "organisation", None)]
    return [o for i, o in enumerate(orgs) if o is not None and o not in orgs[:i]]


def _applicant_orgs(application: Application) -> list[Organisation]:
    person = application.applicant_person
    orgs = [application.applicant_org, getattr(person, "employer", None)]
    return [o for i, o in enumerate(orgs) if o is not None and o not in orgs[:i]]


def conflict_basis(expert: Any, application: Application) -> tuple[str, str] | None:
    """Why the system blocks ``expert`` from scoring ``application`` (basis, reason), or None (I-PANEL-04)."""
    mine = _expert_orgs(expert)
    theirs = _applicant_orgs(application)
    for org in mine:
        if org in theirs:
            return ConflictBasis.SAME_EMPLOYER, f"专家所在单位（{org}）与申报单位相同"
    their_districts = {d.pk: d for d in (_district(o) for o in theirs) if d is not None}
    for org in mine:
        district = _district(org)
        if district is not None and district.pk in their_districts:
            return ConflictBasis.SAME_DISTRICT, f"专家所在单位与申报单位同属{district}"
    return None


def declaration_for(sheet: ScoreSheet) -> ConflictDeclaration | None:
    return ConflictDeclaration.objects.filter(member=sheet.member, application=sheet.application).first()


def stored_entries(sheet: ScoreSheet) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for entry in sheet.entries.all():
        if entry.value is not None:
            values[entry.item_key] = entry.value
        if entry.note:
            notes[entry.item_key] = entry.note
    return values, notes


@dataclasses.dataclass(frozen=True, slots=True)
class PanelResult:
    total: Decimal
    vetoed: bool
    items: dict[str, Decimal]
    experts: int
    method: str
    complete: bool
    outcome: dict[str, Any]


def _assignment_complete(panel: Panel, application_id: int) -> bool:
    statuses = list(ScoreSheet.objects.filter(member__panel=panel, application_id=application_id)
                    .exclude(status=SheetStatus.RECUSED).values_list("status", flat=True))
    return bool(statuses) and all(s == SheetStatus.SIGNED for s in statuses)


def _panel_complete(panel: Panel) -> bool:
    ids = list(panel.assignments.values_list("application_id", flat=True))
    return bool(ids) and all(_assignment_complete(panel, i) for i in ids)


def result_for(panel: Panel, application: Application) -> PanelResult:
    sheets = list(ScoreSheet.objects.filter(member__panel=panel, application=application)
                  .select_related("member__expert").prefetch_related("entries"))
    counted = [s for s in sheets if s.status != SheetStatus.RECUSED]
    signed = [s for s in counted if s.status == SheetStatus.SIGNED]
    scores = [SheetScore(s.pk, str(s.member.expert), s.total or Decimal(0), s.vetoed,
                         {e.item_key: e.awarded for e in s.entries.all() if e.awarded is not None}) for s in signed]
    agg = aggregate(scores, method=panel.aggregation, trim_count=panel.trim_count,
                    trim_min_experts=panel.trim_min_experts)
    rubric = panel_rubric(panel)
    complete = bool(counted) and len(signed) == len(counted)
    outcome = {**agg.outcome, "panel": panel.pk, "stage_key": panel.stage_key, "rubric": rubric.key,
               "official_rubric": rubric.official, "complete": complete,
               "recused": [{"sheet": s.pk, "expert": str(s.member.expert)} for s in sheets
                           if s.status == SheetStatus.RECUSED],
               "pending": [{"sheet": s.pk, "expert": str(s.member.expert), "status": s.status}
                           for s in counted if s.status != SheetStatus.SIGNED]}
    return PanelResult(agg.total, agg.vetoed, agg.items, len(signed), agg.method, complete, outcome)


def panel_result(application: Application, *, stage_key: str | None = None) -> PanelResult | None:
    """The aggregated panel score of ``application`` (latest panel, or the one of ``stage_key``).

    ``complete`` only when every assigned, non-recused expert has signed off; ``outcome`` is the
    aggregation trace (each expert's total, the method, what was trimmed)."""
    panels = Panel.objects.filter(assignments__application=application).select_related("round__program")
    if stage_key is not None:
        panels = panels.filter(stage_key=stage_key)
    panel = panels.order_by("-created_at", "-id").first()
    if panel is None:
        return None
    return result_for(panel, application)


def panel_stage_complete(round: Any, stage_key: str) -> bool:
    """True when the round's panel for ``stage_key`` exists and every assignment is fully signed off."""
    panel = Panel.objects.filter(round=round, stage_key=stage_key).first()
    return panel is not None and _panel_complete(panel)
