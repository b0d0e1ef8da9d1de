from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "jiangxin.platform.publicity"
    label = "publicity"
