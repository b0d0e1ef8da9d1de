"""Publicity (公示): notices with their entries, and objections (异议) from the public.

The window of a notice is never typed in: it is the program's ``publicity_window`` computation, whose
Outcome JSON (value + trace with citations) is stored with the notice.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.core.transitions import GuardedQuerySet


class Notice(models.Model):
    objects = GuardedQuerySet.as_manager()

    round = models.ForeignKey("rounds.Round", verbose_name=_("申报批次"), on_delete=models.PROTECT,
                              related_name="notices")
    stage_key = models.CharField(_("环节"), max_length=40, default="publicity")
    title = models.CharField(_("公示标题"), max_length=200)
    reference = models.CharField(_("文号"), max_length=100, blank=True)
    issuing_body = models.CharField(_("发布单位"), max_length=200)
    intro = models.TextField(_("公示说明"), blank=True)
    published = models.DateField(_("发布日期"))
    window_start = models.DateField(_("公示开始"))
    window_end = models.DateField(_("公示截止（含当日）"))
    working_days = models.BooleanField(_("按工作日计算"), default=False)
    outcome = models.JSONField(_("公示期计算结果"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ("-published", "-id")
        verbose_name = _("公示")
        verbose_name_plural = _("公示")

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day: object) -> bool:
        """Objections are received from the publication day to the window's last day (I-PUB-02)."""
        return min(self.published, self.window_start) <= day <= self.window_end  # type: ignore[operator]

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())

    @property
    def is_closed(self) -> bool:
        return timezone.localdate() > self.window_end

    @property
    def citation_label(self) -> str:
        for step in (self.outcome or {}).get("trace", []):
            label = (step.get("citation") or {}).get("label")
            if label:
                return str(label)
        return ""


class NoticeEntry(models.Model):
    notice = models.ForeignKey(Notice, verbose_name=_("公示"), on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey("applications.Application", verbose_name=_("申报"), on_delete=models.PROTECT,
                                    related_name="notice_entries")
    position = models.PositiveIntegerField(_("序号"), default=0)
    display_name = models.CharField(_("公示名称"), max_length=200)
    unit = models.CharField(_("所在单位"), max_length=200, blank=True)
    #: masked forms only (e.g. 360102********1234); the full number never leaves the people registry
    masked_id = models.CharField(_("公民身份号码（脱敏）"), max_length=20, blank=True)
    extra = models.JSONField(_("其他公示信息"), default=dict, blank=True)

    class Meta:
        ordering = ("notice", "position", "id")
        verbose_name = _("公示对象")
        verbose_name_plural = _("公示对象")
        constraints = (models.UniqueConstraint(fields=["notice", "application"], name="one_entry_per_application"),)

    def __str__(self) -> str:
        return self.display_name


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    VERIFYING = "verifying", _("核实中")
    UPHELD = "upheld", _("经核实属实")
    DISMISSED = "dismissed", _("经核实不属实")


#: objections still waiting for a decision
PENDING = (ObjectionStatus.RECEIVED, ObjectionStatus.VERIFYING)
SETTLED = (ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED)


def new_receipt() -> str:
    return secrets.token_hex(6).upper()


class Objection(models.Model):
    objects = GuardedQuerySet.as_manager()

    notice = models.ForeignKey(Notice, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="objections")
    entry = models.ForeignKey(NoticeEntry, verbose_name=_("异议对象"), on_delete=models.PROTECT,
                              related_name="objections")
    anonymous = models.BooleanField(_("匿名反映"), default=False)
    name = models.CharField(_("反映人姓名"), max_length=50, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100)
    content = models.TextField(_("异议内容"))
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    receipt = models.CharField(_("受理编号"), max_length=12, unique=True, default=new_receipt)
    #: keyed hash of the sender's address, for the rate limit only (the address itself is not kept)
    address_hash = models.CharField(max_length=64, db_index=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.RECEIVED)
    verification_note = models.TextField(_("核实情况"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核实人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("核实时间"), null=True, blank=True)

    class Meta:
        ordering = ("-submitted_at", "-id")
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        constraints = (
            models.CheckConstraint(condition=models.Q(anonymous=True) | ~models.Q(name=""),
                                   name="named_objection_has_a_name",
                                   violation_error_message="实名反映须填写姓名"),
        )

    def __str__(self) -> str:
        return f"{self.receipt} → {self.entry}"

    @property
    def pending(self) -> bool:
        return self.status in PENDING

    @property
    def sender_label(self) -> str:
        return str(_("匿名")) if self.anonymous else self.name
