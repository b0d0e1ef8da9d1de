"""In-app notifications (站内消息): one row per recipient; read once opened or marked read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INFO = "info", _("通知")
    ACTION = "action", _("待办")
    WARNING = "warning", _("提醒")
    RESULT = "result", _("结果")


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                                  related_name="notifications")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.INFO)
    created = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ("-created", "-id")
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        indexes = (models.Index(fields=["recipient", "read_at"], name="notif_recipient_read"),)

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
