"""Transitions of one score sheet: the expert's conflict declaration, entries, submission and signature; the
office's replacement of a recused expert and return of a sheet for correction.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.core.transitions import transition
from jiangxin.platform.panels import rubrics
from jiangxin.platform.panels.actions._common import (
    _ensure_sheet,
    _notify,
    _notify_managers,
    _recuse,
    _require_manager,
)
from jiangxin.platform.panels.base import PanelError
from jiangxin.platform.panels.models import (
    ConflictBasis,
    ConflictDeclaration,
    Panel,
    PanelMember,
    ScoreEntry,
    ScoreSheet,
    SheetStatus,
)
from jiangxin.platform.panels.selectors import (
    _panel_complete,
    conflict_basis,
    declaration_for,
    panel_rubric,
    stored_entries,
)
from jiangxin.policy.errors import FactsError
from jiangxin.policy.rubric import Rubric


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


def _require_owner(user: Any, sheet: ScoreSheet) -> None:
    if sheet.member.expert_id != getattr(user, "pk", None):
        raise PanelError("只能操作本人的评分表")


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
