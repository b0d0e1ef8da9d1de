from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "jiangxin.platform.applications"
    label = "applications"
