"""The internals the assessment actions share: the office and holder checks and notifying the filing units.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from jiangxin.platform.assessments.base import UNIT_ROLES
from jiangxin.platform.assessments.models import Assessment, AssessmentRound
from jiangxin.platform.assessments.selectors import filer_org, is_office, visible_rounds


def _require_office(actor: Any, rnd: AssessmentRound | None = None) -> None:
    if not is_office(actor):
        raise PermissionDenied("只有主管部门工作人员可以办理年度考核。")
    if rnd is not None and not visible_rounds(actor).filter(pk=rnd.pk).exists():
        raise PermissionDenied("该考核批次不在您的管理范围内。")


def _require_holder(actor: Any, assessment: Assessment) -> None:
    if getattr(actor, "role", "") not in UNIT_ROLES or not getattr(actor, "is_active", False):
        raise PermissionDenied("只有被考核单位可以提交自评材料。")
    holder = getattr(filer_org(assessment.designation), "pk", None)
    if holder is None or holder != getattr(actor, "organisation_id", None):
        raise PermissionDenied("只能提交本单位的自评材料。")


def _assessment_url(assessment: Assessment) -> str:
    return f"/assessments/{assessment.pk}/"


def _notify_holders(designations: Any, *, title: str, body: str = "", kind: str = "info",
                    url_for: Any = None) -> int:
    from jiangxin.platform.notifications.services import notify_roles

    sent = 0
    for d in designations:
        org = filer_org(d)
        if org is None:
            continue
        url = url_for(d) if url_for else "/assessments/"
        sent += len(notify_roles(org, UNIT_ROLES, title=title, body=body, url=url, kind=kind))
    return sent
