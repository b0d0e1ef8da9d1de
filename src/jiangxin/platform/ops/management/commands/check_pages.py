"""``jiangxin-admin check_pages --password …``: open every demo login's pages against the configured database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import setup_test_environment

from jiangxin.platform.demo.data import LOGINS
from jiangxin.platform.ops.pagecheck import check_pages


class Command(BaseCommand):
    help = "以每个演示账号登录，打开其待办页与导航中的每一页，报告非 200 的页面。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        setup_test_environment()  # the test client needs "testserver" among the allowed hosts
        opened, problems = check_pages([login[0] for login in LOGINS], options["password"])
        if problems:
            raise CommandError("；".join(problems))
        self.stdout.write(self.style.SUCCESS(f"{len(LOGINS)} 个账号、{opened} 个页面全部正常打开。"))
