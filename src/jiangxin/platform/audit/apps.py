from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jiangxin.platform.audit"
    label = "audit"
