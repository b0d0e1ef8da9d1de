from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "jiangxin.platform.review"
    label = "review"
    verbose_name = "评审流程"

    def ready(self) -> None:
        from jiangxin.platform.review import signals  # noqa: F401  (opens a case when an application is submitted)
