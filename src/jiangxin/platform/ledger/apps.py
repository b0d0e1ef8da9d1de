from typing import Any

from django.apps import AppConfig


def _years_applied(designation: Any) -> list[tuple[int, bool | None]]:
    """The years the yearly run applied to the designation, with the assessment result it used."""
    from jiangxin.platform.ledger.models import YearApplied

    return [(int(year), result) for year, result in YearApplied.objects.filter(
        designation=designation, kind=YearApplied.Kind.RUN).values_list("year", "result")]


def _money(designation: Any) -> dict[str, Any]:
    """The designation's funding ledger entries and their total."""
    from jiangxin.platform.ledger.models import LedgerEntry

    entries = list(LedgerEntry.objects.filter(designation=designation).order_by("year", "id"))
    return {"entries": entries, "total": sum((e.amount for e in entries), start=0)}


class LedgerConfig(AppConfig):
    name = "jiangxin.platform.ledger"
    label = "ledger"
    verbose_name = "资金台账"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jiangxin.platform.core import answers
        from jiangxin.platform.ledger import services

        # what the designations app (a lower floor) asks of the money kept here
        answers.answer("designations.years_applied", _years_applied)
        answers.answer("designations.money", _money)
        answers.answer("designations.fraud_finding", services.fraud_finding)
        answers.answer("designations.bans_on_fraud", services.program_bans_on_fraud)
        answers.answer("designations.record_revocation", services.record_revocation)
