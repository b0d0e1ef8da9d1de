"""Open (or resume) the review case when an application becomes submitted; close it when withdrawn.

Runs inside the applications app's own transaction, so the case and its first step commit with the
submission or not at all."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from jiangxin.platform.applications.models import Application, Status


@receiver(post_save, sender=Application, dispatch_uid="review_open_case")
def _on_application_saved(sender: Any, instance: Application, created: bool, **kwargs: Any) -> None:
    from jiangxin.platform.review import services

    if instance.status == Status.SUBMITTED:
        services.open_case(instance)
    elif instance.status == Status.WITHDRAWN:
        services.close_withdrawn(instance)
