from django.apps import AppConfig


class WorkCalendarConfig(AppConfig):
    """工作日日历维护: the office-entered years of the official working-day calendar."""

    name = "jiangxin.platform.workcalendar"
    label = "workcalendar"
    verbose_name = "工作日日历"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jiangxin.platform.workcalendar.provider import install

        install()
