from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "jiangxin.platform.panels"
    label = "panels"
    verbose_name = "评审专家组"
    default_auto_field = "django.db.models.BigAutoField"
