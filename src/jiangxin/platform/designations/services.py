"""The designations app's public surface. Designation lifecycle (命名后的状态管理): every change is one atomic,
audited service call that writes a ``DesignationEvent`` with its reason and article, and refreshes the public
directory entry.

Lifecycle: active ⇄ yellow_card → revoked | cycle_complete (→ revoked on a later failure) | expired | exited
(镇江 only). The end date of a fixed term comes from the policy core: 赣州 ``ganzhou_craftsman/cultivation_period``, 镇江
``zhenjiang_park/rent_free_term``, 江苏 the parameter ``tracking_years`` (I-DESIG-01).

This module only re-exports; the code lives in

- ``designations.base``: ``DesignationError``, ``TRANSITIONS``, the role constants, the actor check;
- ``designations.selectors``: reading (directory, held designations, a case's designation, term end,
  whether a status change is allowed, leader history);
- ``designations.actions.designate``: creating a designation (certificate number, from a case);
- ``designations.actions.status``: status changes (one, or many for the yearly run; expiry);
- ``designations.actions.leader``: a change of leader;
- ``designations.actions._common``: the event row, the directory entry (``publish``), the holder's notice.
"""

from __future__ import annotations

from jiangxin.platform.designations.actions._common import publish
from jiangxin.platform.designations.actions.designate import (
    designate,
    designate_from_case,
    next_certificate_no,
)
from jiangxin.platform.designations.actions.leader import change_leader
from jiangxin.platform.designations.actions.status import (
    STATUS_FIELDS,
    expire_ended,
    set_status,
    set_status_many,
    validate_status_change,
    write_status,
)
from jiangxin.platform.designations.base import ACTING_ROLES, STAFF_VIEW_ROLES, TRANSITIONS, DesignationError
from jiangxin.platform.designations.selectors import (
    check_transition,
    directory_queryset,
    for_case,
    held_by,
    known_programs,
    leader_history,
    term_end,
)

__all__ = [
    "ACTING_ROLES", "STAFF_VIEW_ROLES", "STATUS_FIELDS", "TRANSITIONS", "DesignationError", "change_leader",
    "check_transition", "designate", "designate_from_case", "directory_queryset", "expire_ended", "for_case",
    "held_by", "known_programs", "leader_history", "next_certificate_no", "publish", "set_status",
    "set_status_many", "term_end", "validate_status_change", "write_status",
]
