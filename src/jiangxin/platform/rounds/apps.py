from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "jiangxin.platform.rounds"
    label = "rounds"
