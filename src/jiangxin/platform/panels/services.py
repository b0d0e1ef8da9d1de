"""The panels app's public surface: panel transitions (one service function each, atomic, audited) and the
results other apps read.

Public API for other apps (issue 4): :func:`panel_result` and :func:`panel_stage_complete`.

This module only re-exports; the code lives in

- ``panels.base``: ``PanelError``, ``MANAGER_ROLES``, ``SCORABLE``;
- ``panels.selectors``: reading (managed panels, visible sheets, who may read a sheet, the rubric, the
  conflict check, the aggregated results);
- ``panels.actions.panels``: a panel's composition (create, add experts, assign applications);
- ``panels.actions.sheets``: one score sheet (declaration, entries, submission, signature, replacement of a
  recused expert, return for correction);
- ``panels.actions._common``: the internals both share (``_ensure_sheet``, ``_recuse``, notifications).

Importing this module imports every actions module, which registers the panels.* transitions.
"""

from __future__ import annotations

from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.panels.actions.panels import (
    add_experts,
    assign_applications,
    create_panel,
    panel_add_experts,
    panel_assign,
)
from jiangxin.platform.panels.actions.sheets import (
    declare,
    reopen_sheet,
    replace_expert,
    save_entries,
    sheet_declare,
    sheet_reopen,
    sheet_replace,
    sheet_sign,
    sheet_submit,
    sign_sheet,
    submit_sheet,
)
from jiangxin.platform.panels.base import MANAGER_ROLES, SCORABLE, PanelError
from jiangxin.platform.panels.selectors import (
    PanelResult,
    assigned_applications,
    can_manage,
    conflict_basis,
    declaration_for,
    managed_panels,
    may_view_sheet,
    panel_result,
    panel_rubric,
    panel_stage_complete,
    result_for,
    stage_choices,
    stored_entries,
    visible_sheets,
)

__all__ = [
    "MANAGER_ROLES", "SCORABLE", "PanelError", "PanelResult", "TransitionRefused", "add_experts",
    "assign_applications", "assigned_applications", "can_manage", "conflict_basis", "create_panel",
    "declaration_for", "declare", "managed_panels", "may_view_sheet", "panel_add_experts", "panel_assign",
    "panel_result", "panel_rubric", "panel_stage_complete", "reopen_sheet", "replace_expert", "result_for",
    "save_entries", "sheet_declare", "sheet_reopen", "sheet_replace", "sheet_sign", "sheet_submit",
    "sign_sheet", "stage_choices", "stored_entries", "submit_sheet", "visible_sheets",
]
