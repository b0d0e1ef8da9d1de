"""The designations app's shared ground: what a program declares about the designation it confers
(``_facts``), the lifecycle's allowed moves (``TRANSITIONS``), who acts and who views, ``DesignationError``
and the actor check (``_require``).
"""

from __future__ import annotations

from typing import Any

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.designations.models import Designation, DesignationStatus
from jiangxin.platform.orgs.scope import scope
from jiangxin.platform.rounds.catalog import declaration
from jiangxin.policy.declaration import DesignationFacts


def _facts(program: str) -> DesignationFacts:
    """What the program declares about the designation it confers (KeyError for an unknown program)."""
    return declaration(program).designation


#: the allowed transitions (a final state is never left)
TRANSITIONS: dict[str, frozenset[str]] = {
    DesignationStatus.ACTIVE: frozenset({DesignationStatus.YELLOW_CARD, DesignationStatus.REVOKED,
                                         DesignationStatus.CYCLE_COMPLETE, DesignationStatus.EXPIRED,
                                         DesignationStatus.EXITED}),
    DesignationStatus.YELLOW_CARD: frozenset({DesignationStatus.ACTIVE, DesignationStatus.REVOKED,
                                              DesignationStatus.CYCLE_COMPLETE, DesignationStatus.EXPIRED,
                                              DesignationStatus.EXITED}),
    # the cycle's end is not the naming's end: a yearly failure afterwards revokes
    DesignationStatus.CYCLE_COMPLETE: frozenset({DesignationStatus.REVOKED}),
}
#: who may change a designation
ACTING_ROLES = frozenset({Role.OFFICE, Role.PARK_OFFICE})
STAFF_VIEW_ROLES = frozenset({Role.OFFICE, Role.DISTRICT, Role.PARK_OFFICE, Role.FINANCE})


class DesignationError(TransitionRefused):
    """A refused designation change, with a Chinese message for the user (a refused transition)."""


def _require(actor: Any, designation: Designation | None = None) -> None:
    """Staff of the office (or the park office) in whose subtree the designation lies; ``None`` = system."""
    if actor is None:
        return
    if getattr(actor, "role", "") not in ACTING_ROLES:
        raise DesignationError("只有主管部门（或园区管理办公室）工作人员可以办理。")
    if designation is not None and designation.pk is not None and not scope(
            Designation.objects.filter(pk=designation.pk), actor, org_field="scope_org").exists():
        raise DesignationError("该命名不在您的管辖范围内。")
