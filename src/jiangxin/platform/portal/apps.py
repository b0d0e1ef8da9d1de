from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "jiangxin.platform.portal"
    label = "portal"
    verbose_name = "公众门户"
    default_auto_field = "django.db.models.BigAutoField"
