from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "jiangxin.platform.notifications"
    label = "notifications"
