from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jiangxin.platform.api"
    label = "api"
