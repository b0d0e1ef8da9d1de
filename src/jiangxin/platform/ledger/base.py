"""The ledger app's shared ground: ``LedgerError`` (and ``ClaimFactsError``), the constants, and the internals
both the reading (``selectors``, ``run_compute``) and the changing (``actions``) modules stand on: the role
checks, an unsaved entry (``_entry``), the designation-years already applied (``_history``) and an engine item's
dicts (``_item_dicts``). Every change is one ``transaction.atomic()`` with its audit record (in ``actions``).

Money comes only from the policy core: tranches from the tranche machine (``engine``), per-item subsidies,
rewards and per-head money from the program computations. The platform stores their Outcome JSON.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.transitions import TransitionRefused
from jiangxin.platform.ledger import engine
from jiangxin.platform.ledger.models import LedgerEntry, YearApplied
from jiangxin.platform.orgs.scope import scope

ZERO = Decimal("0.00")
OFFICE_ROLES = frozenset({Role.OFFICE})
#: designation statuses the yearly run looks at (a completed cycle is still assessed: I-FUND post-cycle rule)
RUN_STATUSES = ("active", "yellow_card", "cycle_complete")


class LedgerError(TransitionRefused):
    """A refused ledger action, with a Chinese message for the user (a refused transition: nothing written)."""


class ClaimFactsError(LedgerError):
    """Facts the computation refused: the message plus the (field, expected) problems a form can attach."""

    def __init__(self, message: str, problems: list[tuple[str, str]]) -> None:
        super().__init__(message)
        self.problems = problems


def _designation_model() -> Any:
    from jiangxin.platform.designations.models import Designation

    return Designation


def _require(actor: Any, roles: frozenset[str], message: str) -> None:
    if actor is None:
        return  # the system (management command, benchmark)
    if getattr(actor, "role", "") not in roles:
        raise PermissionDenied(message)


def _require_office(actor: Any, designation: Any = None) -> None:
    _require(actor, OFFICE_ROLES, "只有主管部门工作人员可以办理。")
    if actor is not None and designation is not None and not scope(
            _designation_model().objects.filter(pk=designation.pk), actor, org_field="scope_org").exists():
        raise PermissionDenied("该命名不在您的管辖范围内。")


def _entry(designation: Any, *, year: int, kind: str, amount: Decimal, citation: str, reason: str,
           outcome: dict[str, Any], actor: Any, payee: str = "", claim: Any = None,
           reverses: Any = None) -> LedgerEntry:
    return LedgerEntry(designation=designation, program=designation.program, year=year, kind=kind,
                       amount=amount, citation=citation[:200], reason=reason[:300], outcome=outcome,
                       payee=(payee or str(getattr(designation, "holder_label", "")))[:200], claim=claim, reverses=reverses,
                       created_by=actor if getattr(actor, "pk", None) else None)


def _history(program: str, year: int, ids: list[int] | None = None
             ) -> dict[int, list[tuple[int, bool | None, bool]]]:
    qs = YearApplied.objects.filter(program=program, year__lte=year)
    if ids is not None:
        qs = qs.filter(designation_id__any_of=ids)
    history: dict[int, list[tuple[int, bool | None, bool]]] = defaultdict(list)
    for d_id, y, result, kind in qs.order_by("year", "kind").values_list("designation_id", "year", "result",
                                                                         "kind").iterator(chunk_size=20000):
        # "fraud" sorts before "run": put a fraud after the run of the same year
        history[d_id].append((y, result, kind == YearApplied.Kind.FRAUD))
    for rows in history.values():
        rows.sort(key=lambda r: (r[0], r[2]))
    return history


def _item_dicts(item: engine.Item) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The ``to_dict()`` of an item's events and of its state, computed once for all the rows that hold them
    (entries, sanctions, status changes, the year's marker)."""
    return [e.to_dict() for e in item.events], item.state.to_dict() if item.state else None
