from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiangxin.platform.core"
    label = "core"

    def ready(self) -> None:
        # programs kept outside jiangxin.programs (settings.JIANGXIN_EXTRA_PROGRAMS), before anything loads them
        from django.conf import settings

        from jiangxin.programs import add_packages

        add_packages(settings.JIANGXIN_EXTRA_PROGRAMS)
        # the ``any_of`` lookup of the bulk services (core/bulk.py)
        from jiangxin.platform.core import bulk  # noqa: F401

        # every app's transitions.py registers its state changes (core/transitions.py)
        from jiangxin.platform.core.transitions import autodiscover

        autodiscover()
