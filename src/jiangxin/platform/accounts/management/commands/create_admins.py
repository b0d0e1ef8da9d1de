"""Create the three separated administrators (三员): system, security and audit administrator.

None is a superuser. Each gets a temporary password (printed once) that must be changed at first sign-in.
Existing accounts are left alone, so the command can be run again safely.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.accounts.services import create_user


class Command(BaseCommand):
    help = "Create the system, security and audit administrators (no superuser)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sysadmin", default="sysadmin", help="username of the system administrator")
        parser.add_argument("--secadmin", default="secadmin", help="username of the security administrator")
        parser.add_argument("--auditadmin", default="auditadmin", help="username of the audit administrator")

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = [(options["sysadmin"], Role.SYSTEM_ADMIN, "系统管理员"),
                  (options["secadmin"], Role.SECURITY_ADMIN, "安全管理员"),
                  (options["auditadmin"], Role.AUDIT_ADMIN, "审计管理员")]
        for username, role, label in wanted:
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"{label} {username}: already exists, unchanged")
                continue
            _user, temporary = create_user(username=username, role=role, display_name=label)
            self.stdout.write(f"{label} {username}: temporary password {temporary} (change at first sign-in)")
