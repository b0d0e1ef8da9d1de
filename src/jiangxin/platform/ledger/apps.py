from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "jiangxin.platform.ledger"
    label = "ledger"
    verbose_name = "资金台账"
    default_auto_field = "django.db.models.BigAutoField"
