from django.apps import AppConfig


class CultivationConfig(AppConfig):
    name = "jiangxin.platform.cultivation"
    label = "cultivation"
    verbose_name = "江苏省卓越技师培育学年"

    def ready(self) -> None:
        from jiangxin.platform.cultivation.ledger_source import passing_counts
        from jiangxin.platform.ledger.caps import set_passing_source

        set_passing_source(passing_counts)
