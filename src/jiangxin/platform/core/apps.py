from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiangxin.platform.core"
    label = "core"

    def ready(self) -> None:
        # the ``any_of`` lookup of the bulk services (core/bulk.py)
        from jiangxin.platform.core import bulk  # noqa: F401

        # every app's transitions.py registers its state changes (core/transitions.py)
        from jiangxin.platform.core.transitions import autodiscover

        autodiscover()
