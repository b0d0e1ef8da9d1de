from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiangxin.platform.core"
    label = "core"
