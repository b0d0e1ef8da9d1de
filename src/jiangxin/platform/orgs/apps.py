from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "jiangxin.platform.orgs"
    label = "orgs"
