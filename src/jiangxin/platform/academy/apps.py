from django.apps import AppConfig


class AcademyConfig(AppConfig):
    name = "jiangxin.platform.academy"
    label = "academy"
    verbose_name = "网上工匠学院"
    default_auto_field = "django.db.models.BigAutoField"
