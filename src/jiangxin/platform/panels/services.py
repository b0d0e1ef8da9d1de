"""Panel transitions (one service function each, atomic, audited) and the results other apps read.

Public API for other apps (issue 4): :func:`panel_result` and :func:`panel_stage_complete`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.applications.models import Application
from jiangxin.platform.applications.models import Status as AppStatus
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.core.transitions import TransitionRefused, transition
from jiangxin.platform.orgs.models import Level, Organisation
from jiangxin.platform.orgs.scope import scope
from jiangxin.platform.panels import rubrics
from jiangxin.platform.panels.aggregation import SheetScore, aggregate
from jiangxin.platform.panels.models import (
    Aggregation,
    Assignment,
    ConflictBasis,
    ConflictDeclaration,
    Panel,
    PanelMember,
    ScoreEntry,
    ScoreSheet,
    SheetStatus,
)
from jiangxin.policy.errors import FactsError
from jiangxin.policy.rubric import Rubric, RubricError

#: roles that set up and run panels for the rounds their organisation organises
MANAGER_ROLES = frozenset({Role.OFFICE, Role.PARK_OFFICE})
#: application states that may go to a panel (never a draft or a withdrawn one)
SCORABLE = (AppStatus.SUBMITTED, AppStatus.RECOMMENDED)


class PanelError(TransitionRefused):
    """A transition that is not allowed now; the message is shown to the user (Chinese)."""


# ------------------------------------------------------------------------------------------ scope


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


# ------------------------------------------------------------------------------------------ conflicts


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


def _ensure_sheet(member: PanelMember, application: Application) -> tuple[ScoreSheet, bool]:
    sheet, created = ScoreSheet.objects.get_or_create(member=member, application=application)
    if not created:
        return sheet, False
    blocked = conflict_basis(member.expert, application)
    if blocked:
        _recuse(sheet, basis=blocked[0], reason=blocked[1], automatic=True)
    record("panels.sheet.create", sheet, summary=f"分配评分：{member.expert} → {application}",
           after={"status": sheet.status})
    return sheet, True


def _recuse(sheet: ScoreSheet, *, basis: str, reason: str, automatic: bool) -> ConflictDeclaration:
    declaration, _ = ConflictDeclaration.objects.update_or_create(
        member=sheet.member, application=sheet.application,
        defaults={"conflict": True, "basis": basis, "reason": reason[:300], "automatic": automatic})
    sheet.status = SheetStatus.RECUSED
    sheet.save(update_fields=["status", "updated_at"])
    record("panels.sheet.recuse", sheet, summary=("系统自动回避：" if automatic else "专家申报回避：") + reason,
           after={"basis": basis, "automatic": automatic})
    return declaration


def _notify(users: Iterable[Any], *, title: str, body: str = "", url: str = "", kind: str = "info") -> None:
    from jiangxin.platform.notifications.services import notify

    notify(list(users), title=title, body=body, url=url, kind=kind)


def _notify_managers(panel: Panel, *, title: str, body: str = "", kind: str = "info") -> None:
    from jiangxin.platform.notifications.services import role_holders

    users = list(role_holders(panel.round.organiser, sorted(MANAGER_ROLES)))
    if panel.created_by is not None:
        users.append(panel.created_by)
    _notify(users, title=title, body=body, url=reverse("panels:detail", args=[panel.pk]), kind=kind)


# ------------------------------------------------------------------------------------------ office


def _require_manager(actor: Any, panel: Panel | None = None) -> None:
    if getattr(actor, "role", "") not in MANAGER_ROLES or (panel is not None and not can_manage(actor, panel)):
        raise PanelError("只有主管部门工作人员可以管理评审专家组")


def create_panel(actor: Any, round: Any, *, stage_key: str, title: str, rubric_key: str = "",
                 aggregation: str = Aggregation.MEAN, trim_count: int = 1, trim_min_experts: int = 5,
                 rubric_yaml: str = "") -> Panel:
    _require_manager(actor)
    if not scope(type(round).objects.filter(pk=round.pk), actor, org_field="organiser").exists():
        raise PanelError("该批次不在您的管理范围内")
    stage_key = stage_key.strip()
    if not stage_key:
        raise PanelError("请填写评审环节")
    stages = dict(stage_choices(round.program.key))
    if stage_key not in stages:
        raise PanelError("评审环节须为该项目工作流中的评分环节：" + "、".join(stages.values()))
    if Panel.objects.filter(round=round, stage_key=stage_key).exists():
        raise PanelError("该批次的这一评审环节已有专家组")
    if aggregation not in Aggregation.values:
        raise PanelError("汇总方式无效")
    if trim_min_experts < 2 * trim_count + 1:
        raise PanelError("去高去低所需的最少专家数须大于去掉的份数之和")
    program = round.program.key
    rubric_key = rubric_key or rubrics.default_rubric_key(program)
    data = None
    if rubric_key == rubrics.OFFICE:
        try:
            data = rubrics.load_office_rubric(rubric_yaml)
        except RubricError as exc:
            raise PanelError(f"评分表无法使用：{exc}") from None
    elif rubric_key not in {k for k, _ in rubrics.rubric_choices(program)}:
        raise PanelError("该项目不能使用所选评分表")
    with transaction.atomic():
        panel = Panel.objects.create(round=round, stage_key=stage_key, title=title.strip() or round.title,
                                     rubric_key=rubric_key, rubric_data=data, aggregation=aggregation,
                                     trim_count=trim_count, trim_min_experts=trim_min_experts, created_by=actor)
        record("panels.panel.create", panel, actor=actor, summary=f"组建评审专家组：{panel.title}",
               after=snapshot(panel, exclude=("rubric_data",)))
    return panel


def _add_experts(actor: Any, panel: Panel, experts: Sequence[Any]) -> list[PanelMember]:
    """Add experts; each gets a sheet for every assigned application (conflicts blocked at once)."""
    _require_manager(actor, panel)
    added: list[PanelMember] = []
    with transaction.atomic():
        for expert in experts:
            if getattr(expert, "role", "") != Role.EXPERT or not expert.is_active:
                raise PanelError(f"{expert} 不是有效的评审专家账号")
            member, created = PanelMember.objects.get_or_create(panel=panel, expert=expert)
            if not created and not member.substitute:
                continue
            if member.substitute:
                member.substitute = False
                member.save(update_fields=["substitute"])
            record("panels.member.add", member, actor=actor, summary=f"{panel.title} 增加专家 {expert}")
            for assignment in panel.assignments.select_related("application", "application__applicant_person"):
                _ensure_sheet(member, assignment.application)
            added.append(member)
        panel.completed_at = None
        panel.save(update_fields=["completed_at"])
        url = reverse("panels:mine")
        for member in added:
            _notify([member.expert], title=f"您已被选为{panel.title}的评审专家", url=url, kind="action",
                    body="请先逐项声明有无利益冲突，再独立评分。")
    return added


def _assign_applications(actor: Any, panel: Panel, applications: Sequence[Application]) -> list[Assignment]:
    """Assign applications to the panel; every (non-substitute) member gets a sheet for each."""
    _require_manager(actor, panel)
    made: list[Assignment] = []
    fresh: dict[int, tuple[Any, int]] = {}
    with transaction.atomic():
        for app in applications:
            if app.round_id != panel.round_id:
                raise PanelError(f"{app} 不属于本批次")
            if app.status not in SCORABLE:
                raise PanelError(f"{app} 当前状态为{app.get_status_display()}，不能分配评审")
            assignment, created = Assignment.objects.get_or_create(panel=panel, application=app)
            if not created:
                continue
            record("panels.assignment.create", assignment, actor=actor, summary=f"{panel.title} 分配申报 {app}")
            made.append(assignment)
            for member in panel.members.filter(substitute=False).select_related("expert", "expert__person"):
                sheet, new = _ensure_sheet(member, app)
                if new and sheet.status == SheetStatus.DRAFT:
                    seen = fresh.get(member.expert_id, (member.expert, 0))
                    fresh[member.expert_id] = (member.expert, seen[1] + 1)
        if made:
            panel.completed_at = None
            panel.save(update_fields=["completed_at"])
        for expert, count in fresh.values():
            _notify([expert], title=f"{panel.title}：新分配 {count} 份申报待评分", url=reverse("panels:mine"),
                    kind="action")
    return made


def _replace_expert(actor: Any, sheet: ScoreSheet, expert: Any) -> ScoreSheet:
    """Name a substitute for a recused expert on one application."""
    panel = sheet.member.panel
    _require_manager(actor, panel)
    if sheet.status != SheetStatus.RECUSED:
        raise PanelError("只有已回避的评分可以替换专家")
    if getattr(expert, "role", "") != Role.EXPERT or not expert.is_active:
        raise PanelError(f"{expert} 不是有效的评审专家账号")
    with transaction.atomic():
        member, _created = PanelMember.objects.get_or_create(panel=panel, expert=expert,
                                                            defaults={"substitute": True})
        if ScoreSheet.objects.filter(member=member, application=sheet.application).exists():
            raise PanelError(f"{expert} 已在评此申报")
        new, _ = _ensure_sheet(member, sheet.application)
        record("panels.sheet.replace", new, actor=actor,
               summary=f"替换回避专家：{sheet.member.expert} → {expert}（{sheet.application}）",
               before={"sheet": sheet.pk}, after={"sheet": new.pk, "status": new.status})
        panel.completed_at = None
        panel.save(update_fields=["completed_at"])
        if new.status == SheetStatus.DRAFT:
            _notify([expert], title=f"{panel.title}：请评审 {sheet.application}", url=reverse("panels:mine"),
                    kind="action", body="您作为替补专家被分配评审此申报。")
    return new


def _reopen_sheet(actor: Any, sheet: ScoreSheet, *, reason: str) -> ScoreSheet:
    """The office returns a submitted or signed sheet to the expert for correction (reason required)."""
    _require_manager(actor, sheet.member.panel)
    if not reason.strip():
        raise PanelError("请填写退回重评的原因")
    if not sheet.handed_in:
        raise PanelError("只有已提交或已签字的评分表可以退回重评")
    with transaction.atomic():
        before = snapshot(sheet, ["status", "total", "vetoed", "submitted_at", "signed_at"])
        sheet.status = SheetStatus.DRAFT
        sheet.submitted_at = sheet.signed_at = None
        sheet.reopen_reason = reason.strip()[:300]
        sheet.save()
        Panel.objects.filter(pk=sheet.member.panel_id).update(completed_at=None)
        record("panels.sheet.reopen", sheet, actor=actor, summary=f"退回重评：{reason.strip()[:200]}",
               before=before, after=snapshot(sheet, ["status", "reopen_reason"]))
        _notify([sheet.member.expert], title=f"评分表已退回重评：{sheet.application}", body=reason.strip(),
                url=reverse("panels:sheet", args=[sheet.pk]), kind="action")
    return sheet


# ------------------------------------------------------------------------------------------ expert


def _require_owner(user: Any, sheet: ScoreSheet) -> None:
    if sheet.member.expert_id != getattr(user, "pk", None):
        raise PanelError("只能操作本人的评分表")


def declaration_for(sheet: ScoreSheet) -> ConflictDeclaration | None:
    return ConflictDeclaration.objects.filter(member=sheet.member, application=sheet.application).first()


def _declare(user: Any, sheet: ScoreSheet, *, conflict: bool, reason: str = "") -> ConflictDeclaration:
    """The expert's declaration before scoring; the system check runs again first and wins."""
    _require_owner(user, sheet)
    if sheet.status == SheetStatus.RECUSED:
        raise PanelError("您已回避此申报")
    if declaration_for(sheet) is not None:
        raise PanelError("您已声明过，不能重复声明")
    if conflict and not reason.strip():
        raise PanelError("请说明利益冲突的情形")
    with transaction.atomic():
        blocked = conflict_basis(user, sheet.application)
        if blocked:
            return _recuse(sheet, basis=blocked[0], reason=blocked[1], automatic=True)
        if conflict:
            declaration = _recuse(sheet, basis=ConflictBasis.DECLARED, reason=reason.strip(), automatic=False)
            _notify_managers(sheet.member.panel, title=f"专家申报回避：{sheet.application}",
                             body=f"{user}：{reason.strip()}（请指定替补专家）", kind="action")
            return declaration
        declaration = ConflictDeclaration.objects.create(member=sheet.member, application=sheet.application,
                                                         conflict=False, reason=reason.strip()[:300])
        record("panels.declaration.create", declaration, actor=user, summary=f"声明无利益冲突：{sheet.application}")
    return declaration


def _require_scoring(user: Any, sheet: ScoreSheet) -> None:
    _require_owner(user, sheet)
    if sheet.status != SheetStatus.DRAFT:
        raise PanelError("评分表已提交或已签字，不能再修改" if sheet.handed_in else "您已回避此申报")
    declaration = declaration_for(sheet)
    if declaration is None or declaration.conflict:
        raise PanelError("请先声明有无利益冲突")


def _apply_result(sheet: ScoreSheet, rubric: Rubric, entries: dict[str, Any]) -> None:
    result, trace = rubrics.score(rubric, entries)
    awarded = {i.key: i.awarded for i in result.items}
    for entry in sheet.entries.all():
        entry.awarded = awarded.get(entry.item_key)
        entry.save(update_fields=["awarded"])
    sheet.total = result.total
    sheet.vetoed = result.vetoed
    sheet.result = {"rubric": rubric.key, "title": rubric.title, "official": rubric.official,
                    "notice": rubric.notice, "citation": rubric.citation.to_dict(), "max_total": str(rubric.max_total),
                    **result.to_dict(), "trace": [s.to_dict() for s in trace.steps]}


def save_entries(user: Any, sheet: ScoreSheet, parsed: rubrics.Parsed) -> ScoreSheet:
    """Store the expert's inputs and notes; when complete, the policy scorer sets awarded points and total."""
    _require_scoring(user, sheet)
    rubric = panel_rubric(sheet.member.panel)
    if parsed.errors:
        raise PanelError("；".join(f"{rubric.item(k).title if k in rubrics.item_by_key(rubric) else k}：{m}"
                                  for k, m in parsed.errors.items()))
    with transaction.atomic():
        for item in rubric.items:
            ScoreEntry.objects.update_or_create(sheet=sheet, item_key=item.key, defaults={
                "value": parsed.entries.get(item.key), "note": parsed.notes.get(item.key, ""), "awarded": None})
        sheet.total, sheet.vetoed, sheet.result = None, False, None
        if parsed.complete:
            try:
                _apply_result(sheet, rubric, parsed.entries)
            except FactsError as exc:
                raise PanelError("；".join(f"{k}：{v}" for k, v in rubrics.facts_errors(rubric, exc).items())) from None
        sheet.save()
        record("panels.sheet.save", sheet, actor=user, summary=f"保存评分：{sheet.application}",
               after={"total": sheet.total, "complete": parsed.complete})
    return sheet


def stored_entries(sheet: ScoreSheet) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for entry in sheet.entries.all():
        if entry.value is not None:
            values[entry.item_key] = entry.value
        if entry.note:
            notes[entry.item_key] = entry.note
    return values, notes


def _submit_sheet(user: Any, sheet: ScoreSheet) -> ScoreSheet:
    """Hand in a complete sheet; from now on the expert may read the panel's other handed-in sheets."""
    _require_scoring(user, sheet)
    rubric = panel_rubric(sheet.member.panel)
    values, _ = stored_entries(sheet)
    missing = [i.title for i in rubric.items if i.key not in values]
    if missing:
        raise PanelError("以下评分项尚未填写：" + "、".join(missing))
    with transaction.atomic():
        try:
            _apply_result(sheet, rubric, values)
        except FactsError as exc:
            raise PanelError("；".join(f"{k}：{v}" for k, v in rubrics.facts_errors(rubric, exc).items())) from None
        sheet.status = SheetStatus.SUBMITTED
        sheet.submitted_at = timezone.now()
        sheet.save()
        record("panels.sheet.submit", sheet, actor=user, summary=f"提交评分：{sheet.application} 总分 {sheet.total}",
               after={"total": sheet.total, "vetoed": sheet.vetoed})
    return sheet


def _sign_sheet(user: Any, sheet: ScoreSheet) -> ScoreSheet:
    """Sign off a submitted sheet: it is locked; when the panel is then complete the office is told."""
    _require_owner(user, sheet)
    if sheet.status != SheetStatus.SUBMITTED:
        raise PanelError("只有已提交的评分表可以签字确认")
    panel = sheet.member.panel
    with transaction.atomic():
        sheet.status = SheetStatus.SIGNED
        sheet.signed_at = timezone.now()
        sheet.save(update_fields=["status", "signed_at", "updated_at"])
        record("panels.sheet.sign", sheet, actor=user, summary=f"签字确认评分：{sheet.application} 总分 {sheet.total}")
        if panel.completed_at is None and _panel_complete(panel):
            panel.completed_at = timezone.now()
            panel.save(update_fields=["completed_at"])
            record("panels.panel.complete", panel, actor=user, summary=f"专家组评分全部完成：{panel.title}")
            _notify_managers(panel, title=f"{panel.title} 评分已全部完成", kind="result",
                             body="所有专家均已签字确认，可查看汇总结果。")
    return sheet


# ------------------------------------------------------------------------------------------ results


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


def add_experts(actor: Any, panel: Panel, experts: Sequence[Any]) -> Any:
    return panel_add_experts(panel, experts, actor=actor)


@transition("panels.add_experts", title=gettext_lazy("增加评审专家（自动回避）"), record="panels.ScoreSheet", sources=('*',), target="",
            roles=('office', 'park_office'), audit=False, guard="panels.conflict_basis（回避情形）", citation="各项目专家评审条款；I-PANEL")
def panel_add_experts(panel: Panel, experts: Any, *, actor: Any) -> Any:
    return _add_experts(actor, panel, experts)


def assign_applications(actor: Any, panel: Panel, applications: Sequence[Application]) -> Any:
    return panel_assign(panel, applications, actor=actor)


@transition("panels.assign", title=gettext_lazy("分配评审申报（自动回避）"), record="panels.ScoreSheet", sources=('*',), target="draft",
            roles=('office', 'park_office'), audit=False, guard="panels.conflict_basis（回避情形）", citation="各项目专家评审条款")
def panel_assign(panel: Panel, applications: Any, *, actor: Any) -> Any:
    return _assign_applications(actor, panel, applications)


def replace_expert(actor: Any, sheet: ScoreSheet, expert: Any) -> Any:
    return sheet_replace(sheet, expert, actor=actor)


@transition("panels.replace_expert", title=gettext_lazy("替换回避专家"), record="panels.ScoreSheet", sources=('recused',), target="",
            roles=('office', 'park_office'), audit=False, guard="仅已回避的评分表", citation="各项目专家评审条款")
def sheet_replace(sheet: ScoreSheet, expert: Any, *, actor: Any) -> Any:
    return _replace_expert(actor, sheet, expert)


def reopen_sheet(actor: Any, sheet: ScoreSheet, *, reason: str) -> Any:
    return sheet_reopen(sheet, actor=actor, reason=reason)


@transition("panels.reopen", title=gettext_lazy("退回重评"), record="panels.ScoreSheet", sources=('submitted', 'signed'), target="draft",
            roles=('office', 'park_office'), audit=False, guard="须填写理由", citation="各项目专家评审条款")
def sheet_reopen(sheet: ScoreSheet, *, actor: Any, reason: str) -> Any:
    return _reopen_sheet(actor, sheet, reason=reason)


def declare(user: Any, sheet: ScoreSheet, *, conflict: bool, reason: str = "") -> Any:
    return sheet_declare(sheet, actor=user, conflict=conflict, reason=reason)


@transition("panels.declare", title=gettext_lazy("声明利益冲突（回避）"), record="panels.ScoreSheet", sources=('draft',), target="",
            roles=('expert',), audit=False, guard="panels.conflict_basis（系统核对优先）", citation="各项目专家评审条款")
def sheet_declare(sheet: ScoreSheet, *, actor: Any, conflict: bool, reason: str = "") -> Any:
    return _declare(actor, sheet, conflict=conflict, reason=reason)


def submit_sheet(user: Any, sheet: ScoreSheet) -> Any:
    return sheet_submit(sheet, actor=user)


@transition("panels.submit_sheet", title=gettext_lazy("提交评分表"), record="panels.ScoreSheet", sources=('draft',), target="submitted",
            roles=('expert',), audit=False, guard="<rubric> 评分计算（各评分项完整）", citation="各项目评分细则（附件）")
def sheet_submit(sheet: ScoreSheet, *, actor: Any) -> Any:
    return _submit_sheet(actor, sheet)


def sign_sheet(user: Any, sheet: ScoreSheet) -> Any:
    return sheet_sign(sheet, actor=user)


@transition("panels.sign_sheet", title=gettext_lazy("签字确认评分表"), record="panels.ScoreSheet", sources=('submitted',), target="signed",
            roles=('expert',), audit=False, guard="仅已提交的评分表", citation="各项目专家评审条款")
def sheet_sign(sheet: ScoreSheet, *, actor: Any) -> Any:
    return _sign_sheet(actor, sheet)
