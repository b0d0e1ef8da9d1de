from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiangxin.platform.audit.models import AuditEvent
from jiangxin.platform.core.roles import Role
from jiangxin.platform.core.ui import TaskItem


def tasks_for(user: Any) -> list[TaskItem]:
    if user.role != Role.AUDIT_ADMIN:
        return []
    today = timezone.localdate()
    count = AuditEvent.objects.filter(at__date=today).count()
    last = AuditEvent.objects.filter(action="audit.verify").order_by("-id").first()
    items = [TaskItem(_("今日审计事件"), reverse("audit:list") + f"?date_from={today:%Y-%m-%d}", count,
                      kind=_("审计"))]
    if last is None or timezone.localdate(last.at) < today:
        items.append(TaskItem(_("今日尚未校验哈希链"), reverse("audit:verify"), 1, kind=_("审计")))
    return items
