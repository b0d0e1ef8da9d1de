from django.apps import AppConfig


class WorklogConfig(AppConfig):
    name = "jiangxin.platform.worklog"
    label = "worklog"
    verbose_name = "工作台账与经费台账"
