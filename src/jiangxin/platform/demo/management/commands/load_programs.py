from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jiangxin.platform.rounds.services import sync_programs


class Command(BaseCommand):
    help = "Create or update a Program row for every program of the policy registry (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        created, updated = sync_programs()
        self.stdout.write(f"项目同步完成：新建 {created} 个，更新 {updated} 个。")
