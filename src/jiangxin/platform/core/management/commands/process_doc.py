"""Write docs/process.md from the transition registry and the programs' workflows (``--check``: only compare)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jiangxin.platform.core.process_doc import DOC, render_process


class Command(BaseCommand):
    help = "Regenerate docs/process.md from the transition registry and each program's workflow.yaml"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="exit with an error when the file is out of step")

    def handle(self, *args: Any, **options: Any) -> None:
        text = render_process()
        if options["check"]:
            if not DOC.is_file() or DOC.read_text(encoding="utf-8") != text:
                raise CommandError("docs/process.md is out of step: run manage.py process_doc")
            return
        DOC.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {DOC}")
