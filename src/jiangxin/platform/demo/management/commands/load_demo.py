from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jiangxin.platform.demo.data import Demo


class Command(BaseCommand):
    help = ("Load deterministic synthetic demo data: organisations, people, one user per role, rounds and "
            "applications, then each area's own demo (online academy, designations, assessments, park, ledger, Jiangsu cultivation year).")

    def handle(self, *args: Any, **options: Any) -> None:
        from jiangxin.platform.assessments.demo import load_assessments_demo
        from jiangxin.platform.cultivation.demo import load_cultivation_demo
        from jiangxin.platform.demo.loaders.academy import load_academy_demo
        from jiangxin.platform.demo.loaders.designations import load_designations_demo
        from jiangxin.platform.documents.demo import load_documents_demo
        from jiangxin.platform.ledger.demo import load_ledger_demo
        from jiangxin.platform.park.demo import load_park_demo

        say = self.stdout.write
        Demo(self.stdout).run()
        # each area's loader is idempotent and builds on the ones before it
        load_academy_demo(self.stdout)
        load_designations_demo(say)
        load_assessments_demo(say)
        load_park_demo()
        load_ledger_demo(say)
        load_cultivation_demo()
        load_documents_demo(say)
        say("演示数据已载入。运行 demo_logins 查看演示账号。")
