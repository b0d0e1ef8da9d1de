from django.apps import AppConfig


class ParkConfig(AppConfig):
    name = "jiangxin.platform.park"
    label = "park"
    verbose_name = "镇江技能大师产业创新园"
