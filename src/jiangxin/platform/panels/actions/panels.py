"""Transitions of a panel's composition (office): creating the panel, adding experts, assigning
applications; each new (expert, application) pair gets a score sheet, a conflict recused at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.applications.models import Application
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.core.transitions import transition
from jiangxin.platform.orgs.scope import scope
from jiangxin.platform.panels import rubrics
from jiangxin.platform.panels.actions._common import _ensure_sheet, _notify, _require_manager
from jiangxin.platform.panels.base import SCORABLE, PanelError
from jiangxin.platform.panels.models import Aggregation, Assignment, Panel, PanelMember, SheetStatus
from jiangxin.platform.panels.selectors import stage_choices
from jiangxin.policy.rubric import RubricError


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
