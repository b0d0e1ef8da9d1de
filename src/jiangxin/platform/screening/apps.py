from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    """Proactive screening (筛查): a program's eligibility over the people registry or an uploaded table."""

    name = "jiangxin.platform.screening"
    label = "screening"
