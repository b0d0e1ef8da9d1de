"""Audit log (审计日志): append-only and hash-chained; each event's hash is a keyed HMAC-SHA256 (key outside the
database, ``settings.JIANGXIN_AUDIT_KEY``) over its content and the previous event's hash."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def audit_key() -> bytes:
    """The HMAC key of the chain (from the environment, never stored in the database)."""
    key = str(getattr(settings, "JIANGXIN_AUDIT_KEY", "") or "")
    if not key:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("JIANGXIN_AUDIT_KEY is not set")
    return key.encode("utf-8")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    # no database constraint and no cascade: deleting a user must not rewrite (and so break) the chain
    # no index either: nothing looks events up by actor id (the search matches ``actor_name``)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
                              db_constraint=False, db_index=False, related_name="+")
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=80)
    object_type = models.CharField(_("对象类型"), max_length=80, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    #: the request that caused it (the same id as in the log lines and the X-Request-ID header)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True, default="")
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["id"]  # noqa: RUF012
        # Only the indexes a query uses (every append writes each one; the yearly run appends 70,000 events):
        # ``action`` and ``object_id`` are matched exactly, ``object_type`` only by ``icontains`` (no index
        # helps), so none of the ``*_like`` pattern indexes ``db_index``/``unique`` add on PostgreSQL.
        indexes = (models.Index(fields=["action"], name="audit_event_action"),
                   models.Index(fields=["object_id"], name="audit_event_object_id"))
        constraints = (models.UniqueConstraint(fields=["hash"], name="audit_event_hash_unique"),)
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")

    def payload(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "actor": self.actor_id, "actor_name": self.actor_name,
                "action": self.action, "object_type": self.object_type, "object_id": self.object_id,
                "summary": self.summary, "before": self.before, "after": self.after,
                "address": self.address, "prev_hash": self.prev_hash,
                **({"request_id": self.request_id} if self.request_id else {})}

    def compute_hash(self) -> str:
        text = json.dumps(self.payload(), ensure_ascii=False, sort_keys=True, default=str)
        return hmac.new(audit_key(), text.encode("utf-8"), hashlib.sha256).hexdigest()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("audit events are append-only")


class AuditHead(models.Model):
    """Single row locked while appending, so the chain stays linear under concurrent writers."""

    last_hash = models.CharField(max_length=64, default="0" * 64)
