from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiangxin.platform.accounts.models import LoginEvent, User
from jiangxin.platform.accounts.roles import ADMIN_ROLES, Role
from jiangxin.platform.core.ui import TaskItem


def tasks_for(user: Any) -> list[TaskItem]:
    if user.role == Role.SECURITY_ADMIN:
        now = timezone.now()
        locked = User.objects.filter(locked_until__gt=now).count()
        failures = LoginEvent.objects.filter(succeeded=False, at__gte=now - dt.timedelta(days=1)).count()
        return [TaskItem(_("当前锁定的账号"), reverse("accounts:locked_accounts"), locked, kind=_("安全")),
                TaskItem(_("近24小时登录失败"), reverse("accounts:login_log") + "?succeeded=0", failures,
                         kind=_("安全"))]
    if user.role == Role.SYSTEM_ADMIN:
        pending = (User.objects.filter(must_change_password=True, is_active=True)
                   .exclude(role__in=ADMIN_ROLES).count())
        return [TaskItem(_("尚未修改初始密码的账号"), reverse("accounts:user_list"), pending, kind=_("用户"))]
    return []
