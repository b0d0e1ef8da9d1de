from django.apps import AppConfig


class CultivationConfig(AppConfig):
    name = "jiangxin.platform.cultivation"
    label = "cultivation"
    verbose_name = "江苏省卓越技师培育学年"
