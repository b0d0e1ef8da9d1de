from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "催报：向未提交年度考核自评材料的单位发送提醒（截止前 JIANGXIN_ASSESSMENT_REMINDER_DAYS 天起，每个考核一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=dt.date.fromisoformat, default=None, help="按该日期计算（YYYY-MM-DD）")

    def handle(self, *args: Any, **options: Any) -> None:
        from jiangxin.platform.assessments.services import send_reminders

        sent = send_reminders(options["on"])
        self.stdout.write(f"reminded {sent}")
