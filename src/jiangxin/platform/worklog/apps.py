from typing import Any

from django.apps import AppConfig


def _work_record_entries(designation: Any, year: int, rubric_key: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """An annual assessment's rubric entries from the unit's work records, with the record ids behind each item
    (nothing when the records cannot prefill that rubric)."""
    from jiangxin.platform.worklog.services import WorklogError, rubric_facts

    try:
        return rubric_facts(designation, year, rubric_key)
    except WorklogError:
        return {}, {}


class WorklogConfig(AppConfig):
    name = "jiangxin.platform.worklog"
    label = "worklog"
    verbose_name = "工作台账与经费台账"

    def ready(self) -> None:
        from jiangxin.platform.core import answers

        answers.answer("assessments.work_record_entries", _work_record_entries)
