from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.ui import NavItem


def nav_items(user: Any) -> list[NavItem]:
    if user.role == Role.SYSTEM_ADMIN:
        return [NavItem(_("用户管理"), "accounts:user_list", order=10),
                NavItem(_("新建用户"), "accounts:user_create", order=11)]
    if user.role == Role.SECURITY_ADMIN:
        return [NavItem(_("登录日志"), "accounts:login_log", order=10),
                NavItem(_("锁定账号"), "accounts:locked_accounts", order=11),
                NavItem(_("安全策略"), "accounts:security_policy", order=12),
                NavItem(_("双因素认证设置"), "accounts:second_factor_policy", order=13)]
    return []
