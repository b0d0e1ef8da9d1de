"""Roles (角色) live in :mod:`jiangxin.platform.core.roles`, on the bottom floor, so that the apps below accounts
(core, audit, orgs, notifications) can use them; this module keeps the accounts import path working."""

from __future__ import annotations

from jiangxin.platform.core.roles import ADMIN_ROLES, APPLICANT_ROLES, STAFF_ROLES, Role

__all__ = ["ADMIN_ROLES", "APPLICANT_ROLES", "STAFF_ROLES", "Role"]
