"""Issued documents (已签发文书): each signed PDF the platform hands out, with its public number.

The row keeps the signed file and its SHA-256 so a printed or forwarded copy can be matched, who issued it under
which office certificate, and its own state (issued, superseded by a re-issue, withdrawn). What the public verify
page says about the *holder* (valid, revoked, expired) is never stored here: it is read from the designation or
enrolment the document is about, at the moment of the look-up (see :mod:`.sources`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IssueStatus(models.TextChoices):
    ISSUED = "issued", _("已签发")
    SUPERSEDED = "superseded", _("已换发")
    WITHDRAWN = "withdrawn", _("已收回")


class IssuedDocument(models.Model):
    number = models.CharField(_("文书编号"), max_length=60, unique=True)
    source = models.CharField(_("文书来源"), max_length=40)  # a key of sources.SOURCES
    doc_type = models.CharField(_("文书类别"), max_length=40)  # a key declared in the program's documents.yaml
    program = models.CharField(_("项目"), max_length=50, blank=True, db_index=True)
    title = models.CharField(_("文书标题"), max_length=200)
    subject_id = models.PositiveBigIntegerField(_("所涉记录"))
    holder_name = models.CharField(_("持证人/单位"), max_length=200, blank=True)
    holder_is_person = models.BooleanField(default=False)
    holder_id_mask = models.CharField(_("公民身份号码（打码）"), max_length=20, blank=True)
    issuer = models.ForeignKey("orgs.Organisation", verbose_name=_("发证机关"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    issuer_name = models.CharField(_("发证机关"), max_length=200)
    issued_on = models.DateField(_("签发日期"))
    status = models.CharField(_("状态"), max_length=20, choices=IssueStatus.choices, default=IssueStatus.ISSUED,
                              db_index=True)
    status_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    status_reason = models.TextField(_("状态说明"), blank=True)
    status_citation = models.CharField(_("依据条款"), max_length=200, blank=True)
    replaces = models.OneToOneField("self", verbose_name=_("换发自"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="replaced_by")
    pdf = models.BinaryField(_("签名文件"))
    sha256 = models.CharField(_("文件摘要（SHA-256）"), max_length=64, db_index=True)
    signer = models.CharField(_("签名证书"), max_length=300, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-issued_on", "-id")
        verbose_name = _("已签发文书")
        verbose_name_plural = _("已签发文书")
        indexes = (models.Index(fields=["source", "subject_id"]),)

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"


class NumberCounter(models.Model):
    """The last number taken per prefix and year (row-locked while a number is taken)."""

    prefix = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["prefix", "year"], name="one_document_counter_per_prefix"),)


class VerifyHit(models.Model):
    """Look-ups of the public verify page per address and minute (the rate limit, shared by every process)."""

    address = models.CharField(max_length=64)  # a keyed hash of the client address, never the address itself
    minute = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["address", "minute"], name="one_verify_hit_row_per_minute"),)
