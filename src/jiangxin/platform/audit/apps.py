from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jiangxin.platform.audit"
    label = "audit"

    def ready(self) -> None:
        from jiangxin.platform.audit.service import record
        from jiangxin.platform.core.auditing import set_recorder

        set_recorder(record)
