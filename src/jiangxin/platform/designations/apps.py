from django.apps import AppConfig


class DesignationsConfig(AppConfig):
    name = "jiangxin.platform.designations"
    label = "designations"
    verbose_name = "命名与称号"
