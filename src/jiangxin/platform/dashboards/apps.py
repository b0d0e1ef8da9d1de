from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """统计看板: per-program charts with their tables for the office, province, district and park roles."""

    name = "jiangxin.platform.dashboards"
    label = "dashboards"
    verbose_name = "统计看板"
    default_auto_field = "django.db.models.BigAutoField"
