"""The internals every designation change uses: the event row (``_event``), the public directory entry
(``publish``) and the holder's notice (``_notify_holder``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core import answers
from jiangxin.platform.designations.base import _facts
from jiangxin.platform.designations.models import LIVE, Designation, DesignationEvent


def _event(designation: Designation, *, kind: str, actor: Any, from_status: str = "", to_status: str = "",
           reason: str = "", citation: str = "", outcome: dict[str, Any] | None = None,
           effective_on: dt.date | None = None, data: dict[str, Any] | None = None) -> DesignationEvent:
    return DesignationEvent.objects.create(
        designation=designation, kind=kind, actor=actor if getattr(actor, "pk", None) else None,
        from_status=from_status, to_status=to_status, reason=reason, citation=citation, outcome=outcome,
        effective_on=effective_on, data=data or {})


def publish(designation: Designation, *, actor: Any = None) -> None:
    """Write (or rewrite) the public directory entry: the current status, revocations included."""
    kind = _facts(designation.program).listing or None
    if kind is None:
        return
    status = designation.get_status_display()
    if designation.status not in LIVE and designation.status_citation:
        status = f"{status}（{designation.status_citation}）"[:50]
    source = f"review:{designation.case_id}" if designation.case_id else f"designation:{designation.pk}"
    # the public directory is the portal's: it answers when it loads
    answers.ask("designations.publish_listing", kind=kind, source_key=source, name=designation.name, status=status,
                organisation=designation.holder_org or designation.scope_org, since=designation.designated_on,
                until=designation.status_changed_on if designation.status not in LIVE else designation.ends_on,
                person_name=designation.holder_person.name if designation.holder_person else "",
                summary=f"证书编号 {designation.certificate_no}", program=designation.program, actor=actor)


def _notify_holder(d: Designation, title: str, body: str) -> None:
    from django.urls import reverse

    from jiangxin.platform.notifications.services import notify, notify_roles

    url = reverse("designations:mine")
    if d.holder_org_id:
        notify_roles(d.holder_org, [Role.UNIT, Role.TRAINING_UNIT], title=title, body=body, url=url, kind="result")
    elif d.holder_person is not None:
        notify(d.holder_person.accounts.all(), title=title, body=body, url=url, kind="result")
    elif d.case is not None:
        notify([d.case.application.applicant_user], title=title, body=body, url=url, kind="result")
