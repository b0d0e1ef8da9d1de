from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "jiangxin.platform.portal"
    label = "portal"
    verbose_name = "公众门户"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jiangxin.platform.core import answers
        from jiangxin.platform.portal.services import publish_listing, publish_listings

        # the designations app (a lower floor) keeps the public directory up to date through these
        answers.answer("designations.publish_listing", publish_listing)
        answers.answer("designations.publish_listings", publish_listings)
