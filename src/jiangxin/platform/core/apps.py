from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiangxin.platform.core"
    label = "core"

    def ready(self) -> None:
        # every app's transitions.py registers its state changes (core/transitions.py)
        from jiangxin.platform.core.transitions import autodiscover

        autodiscover()
