"""The internals the panel transitions share: the manager check, creating a score sheet (blocked at once on a
conflict), recusing a sheet, and notifying experts and the office.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from jiangxin.platform.applications.models import Application
from jiangxin.platform.audit.service import record
from jiangxin.platform.panels.base import MANAGER_ROLES, PanelError
from jiangxin.platform.panels.models import ConflictDeclaration, Panel, PanelMember, ScoreSheet, SheetStatus
from jiangxin.platform.panels.selectors import can_manage, conflict_basis


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


def _require_manager(actor: Any, panel: Panel | None = None) -> None:
    if getattr(actor, "role", "") not in MANAGER_ROLES or (panel is not None and not can_manage(actor, panel)):
        raise PanelError("只有主管部门工作人员可以管理评审专家组")
