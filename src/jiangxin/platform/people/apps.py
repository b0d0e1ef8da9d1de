from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "jiangxin.platform.people"
    label = "people"
