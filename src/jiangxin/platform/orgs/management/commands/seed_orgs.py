from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jiangxin.platform.orgs.seed import seed_org_tree


class Command(BaseCommand):
    help = "Create the standard organisation tree (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = seed_org_tree()
        self.stdout.write(f"{len(created)} organisations created")
