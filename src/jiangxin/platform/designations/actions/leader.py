"""A change of a designation's leader (领衔人), kept in its events.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from jiangxin.platform.audit.service import record, snapshot
from jiangxin.platform.designations.actions._common import _event
from jiangxin.platform.designations.base import DesignationError, _facts, _require
from jiangxin.platform.designations.models import LIVE, Designation, EventKind


def _leader_change_citation(program: str) -> str:
    """The article that governs a change of leader, when the program's document has one (re-runs through review)."""
    citation = _facts(program).leader_change
    return citation.label if citation is not None else ""


def change_leader(designation: Designation, person: Any, *, actor: Any, effective_on: dt.date,
                  case: Any = None, reason: str = "", citation: str = "") -> Designation:
    """Record a change of leader (领衔人); the history stays in the events. For the studio the change itself
    goes through review (``case``); this records its result."""
    with transaction.atomic():
        d = Designation.objects.select_for_update().get(pk=designation.pk)
        _require(actor, d)
        if d.status not in LIVE:
            raise DesignationError("该命名已终止，不能变更领衔人。")
        if d.leader_person_id == getattr(person, "pk", None):
            raise DesignationError("新领衔人与现领衔人相同。")
        before = snapshot(d)
        old = d.leader_person
        d.leader_person = person
        d.save(update_fields=["leader_person", "updated_at"])
        _event(d, kind=EventKind.LEADER, actor=actor, reason=reason or "领衔人变更",
               citation=citation or _leader_change_citation(d.program), effective_on=effective_on,
               data={"from_person": old.pk if old else None, "from_name": old.name if old else "",
                     "to_person": person.pk, "to_name": person.name,
                     "case": getattr(case, "pk", None)})
        record("designations.leader", d, actor=actor, summary=f"{d}：领衔人 {old.name if old else '—'}→{person.name}",
               before=before, after=snapshot(d))
    return d
